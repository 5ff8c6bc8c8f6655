package dev.resty4j.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import org.junit.jupiter.api.Test;

/** The {@code ngx} table's surface as OpenResty's t/005-exit.t and t/062-count.t check it. */
class NgxBaseLibTest {

    @Test
    void httpNotImplementedIs501() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.contentByLua(
                "ngx.exit(ngx.HTTP_NOT_IMPLEMENTED)")))) {
            MockResponse r = t.get("/t").run();
            assertThat(r.status()).isEqualTo(501);
            assertThat(r.body()).contains("501");
        }
    }

    @Test
    void ngxConfigHasNginxsSixEntries() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.contentByLua("""
                local ks = {}
                for k in pairs(ngx.config) do ks[#ks + 1] = k end
                table.sort(ks)
                ngx.say(table.concat(ks, " "))
                """)))) {
            assertThat(t.get("/t").run().body())
                    .isEqualTo("debug nginx_configure nginx_version ngx_lua_version prefix subsystem\n");
        }
    }
}
