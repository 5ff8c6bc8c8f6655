package dev.resty4j.lua;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.log.LogRecord;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import org.junit.jupiter.api.Test;

/** Runtime errors and ngx.log lines carry the script position and a traceback as lua-nginx-module writes them. */
class TracebackTest {

    private static String errorLine(MockResponse r) {
        assertThat(r.logs()).filteredOn(l -> l.level() == LogLevel.ERR).hasSize(1);
        return r.logs().stream().filter(l -> l.level() == LogLevel.ERR).map(LogRecord::message).findFirst().orElseThrow();
    }

    @Test
    void runtimeErrorIsOneLogLineWithTheTracebackOfWhereItWasRaised() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.contentByLua("""
                local function f(t)
                    return t.x.y
                end
                local function g()
                    local v = f({})
                    return v
                end
                g()
                ngx.say("not reached")
                """)))) {
            MockResponse r = t.get("/t").run();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.body()).doesNotContain("not reached");
            assertThat(errorLine(r)).isEqualTo("""
                    lua entry thread aborted: runtime error: content_by_lua:2: attempt to index ? (a nil value)
                    stack traceback:
                    coroutine 0:
                    \tcontent_by_lua:2: in function 'f'
                    \tcontent_by_lua:5: in function 'g'
                    \tcontent_by_lua:8: in main chunk""");
        }
    }
}
