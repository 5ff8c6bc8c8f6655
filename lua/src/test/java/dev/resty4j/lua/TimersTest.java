package dev.resty4j.lua;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code ngx.timer.*} end to end: order, limits, errors, and premature expiry when the instance closes. */
class TimersTest {

    @Test
    void aThousandPendingTimersFireInOrderAndNotPrematurely() throws Exception {
        try (LuaServer s = new LuaServer(b -> b
                .location("/create", l -> l.contentByLua("""
                        fired = {}
                        local function f(premature, i)
                            fired[#fired + 1] = premature and ("premature " .. i) or tostring(i)
                        end
                        for i = 1, 1000 do
                            local ok, err = ngx.timer.at(0.05, f, i)
                            if not ok then ngx.say("failed: ", err) return end
                        end
                        ngx.say(ngx.timer.pending_count())
                        """))
                .location("/fired", l -> l.contentByLua("""
                        while #fired < 1000 do ngx.sleep(0.01) end
                        ngx.say(table.concat(fired, ","))
                        ngx.say(ngx.timer.pending_count(), " ", ngx.timer.running_count())
                        """)))) {
            assertThat(s.body("/create")).isEqualTo("1000\n");
            String expected = IntStream.rangeClosed(1, 1000).mapToObj(Integer::toString).collect(Collectors.joining(","));
            assertThat(s.body("/fired")).isEqualTo(expected + "\n0 0\n");
        }
    }

    @Test
    void timersExpireInDeadlineOrderAndZeroDelayTimersAfterTheHandlerYields() throws Exception {
        try (LuaServer s = LuaServer.content("""
                local order = {}
                local function f(premature, name) order[#order + 1] = name end
                ngx.timer.at(0.03, f, "c")
                ngx.timer.at(0.01, f, "a")
                ngx.timer.at(0.02, f, "b")
                ngx.timer.at(0, f, "zero")
                order[#order + 1] = "handler"
                while #order < 5 do ngx.sleep(0.005) end
                ngx.say(table.concat(order, " "))
                """)) {
            assertThat(s.body("/t")).isEqualTo("handler zero a b c\n");
        }
    }

    @Test
    void pendingTimersFirePrematurelyWhenTheInstanceCloses() throws Exception {
        LuaServer s = LuaServer.content("""
                local function later(premature)
                    ngx.log(ngx.ERR, "later ran")
                end
                local function f(premature, name)
                    local ok, err = ngx.timer.at(1, later)
                    ngx.log(ngx.ERR, name, " premature=", premature, " exiting=", ngx.worker.exiting(),
                            " new timer: ", err)
                    ngx.sleep(0.01) -- callbacks may still do I/O while the worker exits
                    ngx.timer.at(0, function(p) ngx.log(ngx.ERR, "zero delay ran, premature=", p) end)
                end
                ngx.timer.at(100, f, "A")
                ngx.timer.every(50, f, "B")
                ngx.say(ngx.worker.exiting())
                """);
        try (s) {
            assertThat(s.body("/t")).isEqualTo("false\n");
            assertThat(s.logLines("premature=")).isEmpty();
        }
        assertThat(s.logLines("premature=true exiting=true new timer: process exiting")).hasSize(2);
        assertThat(s.logLines(" A premature=")).hasSize(1);
        assertThat(s.logLines("zero delay ran, premature=false")).hasSize(2);
        assertThat(s.logLines("later ran")).isEmpty();
    }

    @Test
    void anErrorInATimerCallbackIsLoggedAndOtherTimersStillRun() throws Exception {
        try (LuaServer s = LuaServer.content("""
                local function bad() local t = nil; return t.field end
                local function good(premature, n) ngx.log(ngx.ERR, "good timer ", n) end
                ngx.timer.at(0, good, 1)
                ngx.timer.at(0, bad)
                ngx.timer.at(0.01, good, 2)
                ngx.timer.at(0, function() error("boom") end)
                ngx.timer.at(0.02, good, 3)
                ngx.say("ok")
                """)) {
            assertThat(s.body("/t")).isEqualTo("ok\n");
            assertThat(s.awaitLog(l -> l.contains("good timer 3"))).isTrue();
            assertThat(s.logLines("good timer ")).hasSize(3);
            assertThat(s.logLines("lua entry thread aborted: runtime error: content_by_lua:1: attempt to index")).hasSize(1);
            assertThat(s.logLines("lua entry thread aborted: runtime error: content_by_lua:6: boom")).hasSize(1);
        }
    }

    @Test
    void everyRepeatsWithItsArguments() throws Exception {
        try (LuaServer s = LuaServer.content("""
                local n = 0
                local function f(premature, a, b, c) n = n + 1 seen = (seen or "") .. a .. b .. tostring(c) .. ";" end
                local ok, err = ngx.timer.every(0.01, f, 1, 2)
                while n < 3 do ngx.sleep(0.005) end
                ngx.say(ok, " ", seen:sub(1, 21))
                ngx.say(pcall(ngx.timer.every, 0, f))
                """)) {
            assertThat(s.body("/t")).isEqualTo("1 12nil;12nil;12nil;\nfalsedelay cannot be zero\n");
        }
    }

    @Test
    void lua_max_pending_timers() throws Exception {
        try (LuaServer s = new LuaServer(b -> b.httpDirective("lua_max_pending_timers", List.of("2"))
                .location("/t", l -> l.contentByLua("""
                        local f = function() end
                        ngx.say(ngx.timer.at(10, f), " ", ngx.timer.every(10, f))
                        ngx.say(ngx.timer.at(10, f))
                        """)))) {
            assertThat(s.body("/t")).isEqualTo("1 1\nniltoo many pending timers\n");
        }
    }

    @Test
    void lua_max_running_timers() throws Exception {
        try (LuaServer s = new LuaServer(b -> b.httpDirective("lua_max_running_timers", List.of("1"))
                .location("/t", l -> l.contentByLua("""
                        ngx.timer.at(0, function() ngx.sleep(0.05) end)
                        ngx.timer.at(0, function() ngx.log(ngx.ERR, "must not run") end)
                        ngx.sleep(0.01)
                        ngx.say(ngx.timer.running_count(), " ", ngx.timer.pending_count())
                        """)))) {
            assertThat(s.body("/t")).isEqualTo("1 0\n");
            assertThat(s.logLines("[alert]")).hasSize(1).allSatisfy(l -> assertThat(l)
                    .contains("lua failed to run timer with function defined at =content_by_lua:2: "
                            + "1 lua_max_running_timers are not enough"));
            assertThat(s.logLines("must not run")).isEmpty();
        }
    }

    @Test
    void timerCallbacksRunInTheirOwnContext() throws Exception {
        try (LuaServer s = LuaServer.content("""
                local function f(premature)
                    local t = ngx.thread.spawn(function() ngx.sleep(0.01) return ngx.get_phase() end)
                    local ok, phase = ngx.thread.wait(t)
                    ngx.log(ngx.ERR, "phase ", phase, ", say: ", select(2, pcall(ngx.say, "x")))
                    ngx.exit(0)
                    ngx.log(ngx.ERR, "not reached")
                end
                ngx.timer.at(0, f)
                ngx.say(pcall(ngx.timer.at, 0))
                ngx.say(pcall(ngx.timer.at, 0, print))
                """)) {
            assertThat(s.body("/t")).isEqualTo("falseexpecting at least 2 arguments but got 1\n"
                    + "falsebad argument #2 to 'at' (Lua function expected)\n");
            assertThat(s.awaitLog(l -> l.contains("phase timer, say: API disabled in the context of ngx.timer"))).isTrue();
            assertThat(s.logLines("not reached")).isEmpty();
        }
    }
}
