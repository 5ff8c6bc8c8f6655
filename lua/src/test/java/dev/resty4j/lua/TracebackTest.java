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

    @Test
    void errorFromAJavaFunctionShowsItsFrame() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.contentByLua("""
                local function check(v)
                    if not v then
                        error("boom")
                    end
                end
                check(false)
                """)))) {
            MockResponse r = t.get("/t").run();
            assertThat(r.status()).isEqualTo(500);
            assertThat(errorLine(r)).isEqualTo("""
                    lua entry thread aborted: runtime error: content_by_lua:3: boom
                    stack traceback:
                    coroutine 0:
                    \t[C]: in function 'error'
                    \tcontent_by_lua:3: in function 'check'
                    \tcontent_by_lua:6: in main chunk""");
        }
    }

    @Test
    void pcallReturnsThePlainMessage() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.contentByLua("""
                local ok, err = pcall(error, "plain")
                ngx.say(err)
                ok, err = pcall(function() local t = nil; return t.x end)
                ngx.say(err)
                """)))) {
            MockResponse r = t.get("/t").run();
            assertThat(r.body()).isEqualTo("plain\ncontent_by_lua:3: attempt to index ? (a nil value)\n");
            assertThat(r.logs()).isEmpty();
        }
    }

    @Test
    void errorInACoroutineShowsEachCoroutine() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.contentByLua("""
                local inner = coroutine.wrap(function()
                    error("deep")
                end)
                local outer = coroutine.wrap(function()
                    inner()
                end)
                outer()
                """)))) {
            MockResponse r = t.get("/t").run();
            assertThat(r.status()).isEqualTo(500);
            assertThat(errorLine(r)).startsWith("lua entry thread aborted: runtime error: ").contains("""
                    stack traceback:
                    coroutine 0:
                    \t[C]: in function 'error'
                    \tcontent_by_lua:2: in function <content_by_lua:1>
                    coroutine 1:
                    \tcontent_by_lua:5: in function <content_by_lua:4>
                    coroutine 2:
                    \tcontent_by_lua:7: in main chunk""");
        }
    }

    @Test
    void lightThreadErrorHasItsTraceback() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.contentByLua("""
                local function work()
                    local x = nil
                    return x.y
                end
                ngx.thread.spawn(work)
                ngx.say("parent goes on")
                """)))) {
            MockResponse r = t.get("/t").run();
            assertThat(r.body()).isEqualTo("parent goes on\n");
            assertThat(errorLine(r)).isEqualTo("""
                    lua user thread aborted: runtime error: content_by_lua:3: attempt to index ? (a nil value)
                    stack traceback:
                    coroutine 0:
                    \tcontent_by_lua:3: in function <content_by_lua:1>""");
        }
    }

    @Test
    void ngxLogAndPrintCarryTheScriptPosition() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().logLevel(LogLevel.NOTICE).location("/t", l -> l.contentByLua("""
                ngx.log(ngx.ERR, "top ", 1)
                local function bar()
                    ngx.log(ngx.WARN, "in bar")
                end
                local t = {}
                function t.method()
                    print("printed")
                end
                bar()
                t.method()
                ngx.say("done")
                """)))) {
            MockResponse r = t.get("/t").run();
            assertThat(r.body()).isEqualTo("done\n");
            assertThat(r.logs()).extracting(LogRecord::message).containsExactly(
                    "[lua] content_by_lua:1: top 1",
                    "[lua] content_by_lua:3: bar(): in bar",
                    "[lua] content_by_lua:7: method(): printed");
        }
    }

    @Test
    void errorLevelsAndCoroutineWrapKeepLuaMessages() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.contentByLua("""
                local function check(v) if not v then error("bad value", 2) end end
                local _, e1 = pcall(function() check(false) end)
                local _, e2 = pcall(function() error("no position", 0) end)
                local co = coroutine.wrap(function() error("in co") end)
                local _, e3 = pcall(function() co() end)
                ngx.say(e1) ngx.say(e2) ngx.say(e3)
                """)))) {
            assertThat(t.get("/t").run().body()).isEqualTo("""
                    content_by_lua:2: bad value
                    no position
                    content_by_lua:4: in co
                    """);
        }
    }
}
