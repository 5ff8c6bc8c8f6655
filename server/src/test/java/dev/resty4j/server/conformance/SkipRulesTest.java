package dev.resty4j.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class SkipRulesTest {

    private static String reason(String relative) {
        return SkipRules.skipReason(TestCases.load(relative)).orElse(null);
    }

    @Test
    void ordinaryCasesRun() {
        assertThat(reason("shared_dict/043-shdict__1.json")).isNull();
        assertThat(reason("misc/161-load-resty-core__2.json")).as("resty.core tag is not skipped").isNull();
        assertThat(reason("misc/014-bugs__42.json")).as("failing DNS lookup works offline").isNull();
    }

    @Test
    void ffi() {
        assertThat(reason("misc/099-c-api__1.json")).contains("LuaJIT FFI");
        assertThat(reason("init_phases/160-disable-init-by-lua__2.json")).contains("LuaJIT FFI");
    }

    @Test
    void ndkSetVar() {
        assertThat(reason("modules/004-require__9.json")).contains("ndk.set_var");
    }

    @Test
    void rawDownstreamSocket() {
        assertThat(reason("cosocket/147-tcp-socket-timeouts__4.json")).contains("ngx.req.socket");
        assertThat(reason("cosocket/116-raw-req-socket__2.json")).contains("ngx.req.socket");
    }

    @Test
    void testOnlyCModule() {
        assertThat(reason("shared_dict/150-fake-delayed-load__2.json")).contains("ngx.delayed_load");
    }

    @Test
    void internet() {
        for (String f : List.of("coroutine/091-coroutine__3.json", "coroutine/091-coroutine__24.json",
                "coroutine/091-coroutine__25.json", "cosocket/087-udp-socket__10.json", "misc/014-bugs__43.json",
                "misc/014-bugs__45.json")) {
            assertThat(reason(f)).as(f).contains("Internet");
        }
    }

    @Test
    void theListStaysSmall() {
        Map<String, Integer> byReason = new TreeMap<>();
        for (ConformanceCase c : TestCases.all()) {
            SkipRules.skipReason(c).ifPresent(r -> byReason.merge(r, 1, Integer::sum));
        }
        int skipped = byReason.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(byReason).hasSize(SkipRules.RULES.size());
        assertThat(skipped).isBetween(40, 60);
    }
}
