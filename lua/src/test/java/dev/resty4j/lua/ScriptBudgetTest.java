package dev.resty4j.lua;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runaway scripts are stopped (issue #11): a time budget of running time, an instruction budget, a bounded
 * call depth, a memory budget at the allocating calls and a bound on buffered output. Each ends the handler
 * with a logged error and a 500 (a log line in timer contexts) and the worker goes on serving.
 */
class ScriptBudgetTest {

    private static final List<String> FAST = List.of("100ms");

    private static LuaServer server(String access, String content) throws Exception {
        return new LuaServer(b -> b
                .location("/spin", l -> l.directive("lua_script_budget", FAST).accessByLua(access).contentByLua(content))
                .location("/ok", l -> l.contentByLua("ngx.say('ok')")));
    }

    @Test
    void endlessLoopIsStoppedWith500AndTheWorkerServesAConcurrentRequest() throws Exception {
        try (LuaServer s = server("ngx.log(ngx.NOTICE, 'spinning') while true do end", "ngx.say('not reached')")) {
            CompletableFuture<HttpResponse<String>> spin = CompletableFuture.supplyAsync(() -> get(s, "/spin"));
            assertThat(s.awaitLog(l -> l.contains("spinning"))).isTrue();
            // sent while the runaway holds the only worker: served as soon as the budget stops the loop
            HttpResponse<String> ok = s.get("/ok");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("ok\n");
            HttpResponse<String> r = spin.get(20, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).doesNotContain("not reached");
            assertThat(s.logLines("[error]")).singleElement().satisfies(l -> assertThat(l)
                    .contains("lua entry thread aborted: runtime error: access_by_lua:1: "
                            + "lua script exceeded its budget: 100 ms of running time (lua_script_budget) "
                            + "in access_by_lua of location \"/spin\""));
            assertThat(s.get("/ok").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void pcallCannotCatchTheBudgetError() throws Exception {
        try (LuaServer s = server("""
                local ok, err = pcall(function() while true do end end)
                ngx.log(ngx.ERR, "caught: ", tostring(err))
                while true do end
                """, "ngx.say('not reached')")) {
            HttpResponse<String> r = s.get("/spin");
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(s.logLines("caught:")).isEmpty();
            assertThat(s.logLines("exceeded its budget")).hasSize(1);
        }
    }

    @Test
    void chunkLoadedWithItsOwnEnvironmentIsStoppedToo() throws Exception {
        try (LuaServer s = server("ngx.ctx.x = 1", """
                local f = load("local n = 0 while true do n = n + 1 end", "=spin", "t", {})
                f()
                """)) {
            assertThat(s.get("/spin").statusCode()).isEqualTo(500);
            assertThat(s.logLines("runtime error: spin:1: lua script exceeded its budget")).hasSize(1);
        }
    }

    @Test
    void tightStringLoopIsStopped() throws Exception {
        try (LuaServer s = server("ngx.ctx.x = 1", """
                local s = ""
                while true do s = s .. "x" if #s > 100000 then s = "" end end
                """)) {
            assertThat(s.get("/spin").statusCode()).isEqualTo(500);
            assertThat(s.logLines("content_by_lua:2: lua script exceeded its budget")).hasSize(1);
        }
    }

    @Test
    void timeSuspendedInSleepDoesNotCount() throws Exception {
        try (LuaServer s = server("""
                for i = 1, 3 do
                    ngx.sleep(0.06)
                end
                """, "ngx.say('slept')")) {
            HttpResponse<String> r = s.get("/spin");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("slept\n");
            assertThat(s.logLines("[error]")).isEmpty();
        }
    }

    @Test
    void instructionBudget() throws Exception {
        try (LuaServer s = new LuaServer(b -> b.httpDirective("lua_script_instructions", List.of("100000"))
                .location("/small", l -> l.contentByLua("local n = 0 for i = 1, 1000 do n = n + i end ngx.say(n)"))
                .location("/big", l -> l.contentByLua("local n = 0 for i = 1, 1000000 do n = n + i end ngx.say(n)")))) {
            assertThat(s.body("/small")).isEqualTo("500500\n");
            HttpResponse<String> big = s.get("/big");
            assertThat(big.statusCode()).isEqualTo(500);
            assertThat(big.body()).doesNotContain("xxx");
            assertThat(s.logLines("lua script exceeded its budget: more than 100000 VM instructions "
                    + "(lua_script_instructions) in content_by_lua of location \"/big\"")).hasSize(1);
        }
    }

    @Test
    void deepRecursionIsALuaStackOverflowError() throws Exception {
        try (LuaServer s = new LuaServer(b -> b
                .location("/caught", l -> l.contentByLua("""
                        local function f(n) return 1 + f(n + 1) end
                        local ok, err = pcall(f, 1)
                        ngx.say(ok, " ", err)
                        """))
                .location("/t", l -> l.contentByLua("""
                        local function f(n) return 1 + f(n + 1) end
                        f(1)
                        """)))) {
            assertThat(s.body("/caught")).isEqualTo("false content_by_lua:1: stack overflow\n");
            assertThat(s.get("/t").statusCode()).isEqualTo(500);
            assertThat(s.logLines("runtime error: content_by_lua:1: stack overflow")).hasSize(1);
            assertThat(s.logLines("StackOverflowError")).isEmpty();
        }
    }

    @Test
    void runawayTimerIsLoggedAndTheWorkerGoesOn() throws Exception {
        try (LuaServer s = new LuaServer(b -> b.httpDirective("lua_script_budget", FAST)
                .initWorkerByLua("ngx.timer.at(0, function() while true do end end)")
                .location("/ok", l -> l.contentByLua("ngx.say('ok')")))) {
            assertThat(s.awaitLog(l -> l.contains("lua script exceeded its budget: 100 ms of running time "
                    + "(lua_script_budget) in timer callback"))).isTrue();
            assertThat(s.body("/ok")).isEqualTo("ok\n");
        }
    }

    @Test
    void runawayInitWorkerIsStopped() throws Exception {
        try (LuaServer s = new LuaServer(b -> b.httpDirective("lua_script_budget", FAST)
                .initWorkerByLua("while true do end")
                .location("/ok", l -> l.contentByLua("ngx.say('ok')")))) {
            assertThat(s.logLines("init_worker_by_lua:1: lua script exceeded its budget")).hasSize(1);
            assertThat(s.body("/ok")).isEqualTo("ok\n");
        }
    }

    @Test
    void stringRepAndTableConcatAreChargedToTheMemoryBudget() throws Exception {
        try (LuaServer s = new LuaServer(b -> b.httpDirective("lua_memory_budget", List.of("1m"))
                .location("/rep", l -> l.contentByLua("local s = string.rep('x', 2^31) ngx.say(#s)"))
                .location("/concat", l -> l.contentByLua("""
                        local t, y = {}, string.rep('y', 1000)
                        for i = 1, 400 do t[i] = y end
                        local a = table.concat(t)
                        local b = table.concat(t)
                        ngx.log(ngx.NOTICE, "two concatenations: ", #a + #b)
                        local c = table.concat(t)
                        ngx.say(#c)
                        """))
                .location("/small", l -> l.contentByLua("ngx.say(#string.rep('x', 1000, ','))")))) {
            assertThat(s.get("/rep").statusCode()).isEqualTo(500);
            assertThat(s.logLines("content_by_lua:1: lua script exceeded its memory budget: ")).hasSize(1);
            assertThat(s.get("/concat").statusCode()).isEqualTo(500);
            assertThat(s.logLines("two concatenations: 800000")).hasSize(1);
            assertThat(s.logLines("content_by_lua:6: lua script exceeded its memory budget")).hasSize(1);
            assertThat(s.body("/small")).isEqualTo("1999\n");
            assertThat(s.logLines("OutOfMemoryError")).isEmpty();
        }
    }

    @Test
    void bufferedOutputIsBounded() throws Exception {
        try (LuaServer s = new LuaServer(b -> b.httpDirective("lua_output_limit", List.of("64k"))
                .location("/big", l -> l.contentByLua("""
                        local chunk = string.rep('x', 1024)
                        for i = 1, 100 do ngx.print(chunk) end
                        """))
                .location("/flushed", l -> l.contentByLua("""
                        local chunk = string.rep('x', 1024)
                        for i = 1, 100 do ngx.print(chunk) ngx.flush() end
                        """)))) {
            assertThat(s.get("/big").statusCode()).isEqualTo(500);
            assertThat(s.logLines("content_by_lua:2: response output exceeds lua_output_limit: ")).hasSize(1);
            HttpResponse<String> flushed = s.get("/flushed");
            assertThat(flushed.statusCode()).isEqualTo(200);
            assertThat(flushed.body()).hasSize(100 * 1024);
        }
    }

    private static HttpResponse<String> get(LuaServer s, String path) {
        try {
            return s.get(path);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
