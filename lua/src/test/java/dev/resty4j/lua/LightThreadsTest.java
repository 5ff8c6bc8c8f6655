package dev.resty4j.lua;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@code ngx.thread.*} end to end, with the orderings lua-nginx-module's own tests expect. */
class LightThreadsTest {

    @Test
    void spawnRunsTheChildUntilItStopsAndTheRequestWaitsForIt() throws Exception {
        try (LuaServer s = LuaServer.content("""
                local function f()
                    ngx.say("before sleep")
                    ngx.sleep(0.01)
                    ngx.say("after sleep")
                end
                ngx.say("before thread create")
                ngx.thread.spawn(f)
                ngx.say("after thread create")
                """)) {
            assertThat(s.body("/t")).isEqualTo("before thread create\nbefore sleep\nafter thread create\nafter sleep\n");
        }
    }

    @Test
    void postedThreadsResumeInOrder() throws Exception {
        // g ends at once: the entry thread (posted first) resumes before f (posted second)
        try (LuaServer s = LuaServer.content("""
                local g
                local function f()
                    ngx.say("before g")
                    ngx.thread.spawn(g)
                    ngx.say("after g")
                end
                function g() ngx.say("hello in g()") end
                ngx.say("before f")
                ngx.thread.spawn(f)
                ngx.say("after f")
                """)) {
            assertThat(s.body("/t")).isEqualTo("before f\nbefore g\nhello in g()\nafter f\nafter g\n");
        }
    }

    @Test
    void coroutineYieldSlicesTimeBetweenThreads() throws Exception {
        try (LuaServer s = LuaServer.content("""
                local yield = coroutine.yield
                local function f()
                    local self = coroutine.running()
                    ngx.say("f 1") yield(self) ngx.say("f 2") yield(self) ngx.say("f 3")
                end
                local self = coroutine.running()
                ngx.say("0") yield(self) ngx.say("1")
                ngx.thread.spawn(f)
                ngx.say("2") yield(self) ngx.say("3") yield(self) ngx.say("4")
                """)) {
            assertThat(s.body("/t")).isEqualTo("0\n1\nf 1\n2\nf 2\n3\nf 3\n4\n");
        }
    }

    @Test
    void waitReturnsTheResultsOfTheFirstThreadToFinish() throws Exception {
        try (LuaServer s = LuaServer.content("""
                local function work(name, delay)
                    ngx.sleep(delay)
                    return name, delay
                end
                local slow = ngx.thread.spawn(work, "slow", 0.2)
                local fast = ngx.thread.spawn(work, "fast", 0.01)
                ngx.say(coroutine.status(slow), " ", coroutine.status(fast))
                ngx.say(ngx.thread.wait(slow, fast))
                ngx.say(coroutine.status(slow), " ", coroutine.status(fast))
                ngx.say(ngx.thread.wait(slow))
                ngx.say(ngx.thread.wait(fast))
                local quick = ngx.thread.spawn(function() return 1, 2, 3 end)
                ngx.say(coroutine.status(quick), " ", ngx.thread.wait(quick))
                """)) {
            assertThat(s.body("/t")).isEqualTo("running running\ntruefast0.01\nrunning dead\ntrueslow0.2\n"
                    + "nilalready waited or killed\nzombie true123\n");
        }
    }

    @Test
    void anErrorInOneThreadIsLoggedAndReturnedByWaitButKillsNoOtherThread() throws Exception {
        try (LuaServer s = LuaServer.content("""
                local bad = ngx.thread.spawn(function() ngx.sleep(0.01) error("boom") end)
                local good = ngx.thread.spawn(function() ngx.sleep(0.02) ngx.say("good done") end)
                ngx.say(ngx.thread.wait(bad))
                """)) {
            HttpResponse<String> r = s.get("/t");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("falseboom\ngood done\n");
            assertThat(s.logLines("lua user thread aborted: runtime error: content_by_lua:1: boom")).hasSize(1);
        }
    }

    @Test
    void exitInALightThreadEndsTheRequestAndKillsTheOthers() throws Exception {
        try (LuaServer s = LuaServer.content("""
                local function f()
                    ngx.say("hello in thread")
                    ngx.sleep(0.01)
                    ngx.exit(0)
                end
                local function g()
                    ngx.sleep(5)
                    ngx.say("g")
                end
                ngx.say("before")
                ngx.thread.spawn(f)
                ngx.thread.spawn(g)
                ngx.say("after")
                ngx.sleep(5)
                ngx.say("end")
                """)) {
            HttpResponse<String> r = s.get("/t");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("before\nhello in thread\nafter\n");
        }
    }

    @Test
    void exitBeforeTheChildFirstStopsKillsTheSpawningEntryThread() throws Exception {
        try (LuaServer s = LuaServer.content("""
                ngx.thread.spawn(function() ngx.header["X-Thread"] = "ran" ngx.exit(201) end)
                ngx.say("after")
                """)) {
            HttpResponse<String> r = s.get("/t");
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(r.headers().firstValue("X-Thread")).hasValue("ran");
            assertThat(r.body()).isEmpty();
        }
    }

    @Test
    void anEntryThreadErrorKillsItsLightThreads() throws Exception {
        try (LuaServer s = new LuaServer(b -> b
                .location("/t", l -> l.contentByLua("""
                        ngx.thread.spawn(function() ngx.sleep(0.05) ran = true end)
                        error("entry failed")
                        """))
                .location("/check", l -> l.contentByLua("ngx.sleep(0.2) ngx.say(tostring(ran))")))) {
            assertThat(s.get("/t").statusCode()).isEqualTo(500);
            assertThat(s.body("/check")).isEqualTo("nil\n");
            assertThat(s.logLines("lua entry thread aborted: runtime error: content_by_lua:2: entry failed")).hasSize(1);
        }
    }

    @Test
    void killStopsASleepingThreadForGood() throws Exception {
        try (LuaServer s = new LuaServer(b -> b
                .location("/t", l -> l.contentByLua("""
                        local t = ngx.thread.spawn(function()
                            ngx.say("hello from f()")
                            ngx.sleep(0.05)
                            woke = true
                        end)
                        ngx.say("thread created: ", coroutine.status(t))
                        ngx.say(ngx.thread.kill(t))
                        ngx.say(coroutine.status(t))
                        ngx.say(ngx.thread.kill(t))
                        local done = ngx.thread.spawn(function() end)
                        ngx.say(ngx.thread.kill(done))
                        """))
                .location("/check", l -> l.contentByLua("ngx.sleep(0.2) ngx.say(tostring(woke))")))) {
            assertThat(s.body("/t")).isEqualTo("hello from f()\nthread created: running\n1\ndead\n"
                    + "nilalready waited or killed\nnilalready terminated\n");
            assertThat(s.body("/check")).isEqualTo("nil\n");
        }
    }

    @Test
    void coroutineStatusesFollowLuaNginxModule() throws Exception {
        try (LuaServer s = LuaServer.content("""
                local co, inner
                local t = ngx.thread.spawn(function()
                    co = coroutine.running()
                    inner = coroutine.create(function() ngx.sleep(0.01) end)
                    coroutine.resume(inner)
                end)
                ngx.say(coroutine.status(co), " ", coroutine.status(inner))
                ngx.say(coroutine.status(coroutine.running()))
                ngx.thread.wait(t)
                ngx.say(coroutine.status(co), " ", coroutine.status(inner))
                """)) {
            assertThat(s.body("/t")).isEqualTo("normal running\nrunning\ndead dead\n");
        }
    }

    @Test
    void lightThreadsAndUserCoroutinesNest() throws Exception {
        try (LuaServer s = LuaServer.content("""
                local function g() ngx.say("hello in g()") return "g done" end
                local co = coroutine.create(function()
                    ngx.say("before g")
                    local t = ngx.thread.spawn(g)
                    ngx.say("after g")
                    ngx.say(ngx.thread.wait(t))
                    coroutine.yield("yielded")
                end)
                ngx.say(coroutine.resume(co))
                local t = ngx.thread.spawn(function()
                    local c = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
                    ngx.sleep(0.01)
                    return c(1), c(10)
                end)
                ngx.say(ngx.thread.wait(t))
                """)) {
            assertThat(s.body("/t")).isEqualTo("before g\nhello in g()\nafter g\ntrueg done\ntrueyielded\ntrue220\n");
        }
    }

    @Test
    void onlyTheParentCoroutineMayWait() throws Exception {
        try (LuaServer s = LuaServer.content("""
                local t
                local co = coroutine.create(function() t = ngx.thread.spawn(function() ngx.sleep(0.01) end) end)
                coroutine.resume(co)
                ngx.thread.wait(t)
                """)) {
            assertThat(s.get("/t").statusCode()).isEqualTo(500);
            assertThat(s.logLines("only the parent coroutine can wait on the thread")).hasSize(1);
        }
    }

    @Test
    void killingAThreadThatWaitsOnItsOwnChildLeavesTheChildRunning() throws Exception {
        try (LuaServer s = LuaServer.content("""
                local c = ngx.thread.spawn(function()
                    local g = ngx.thread.spawn(function() ngx.sleep(0.02) ngx.say("grandchild done") end)
                    ngx.thread.wait(g)
                    ngx.say("child after wait")
                end)
                ngx.say("kill: ", ngx.thread.kill(c), ", status: ", coroutine.status(c))
                """)) {
            assertThat(s.body("/t")).isEqualTo("kill: 1, status: dead\ngrandchild done\n");
        }
    }

    @Test
    void otherRequestsRunWhileALightThreadWaits() throws Exception {
        // one worker: /slow's light thread waits on a semaphore only /fast posts, so /slow can only finish if
        // /fast is served while the light thread waits
        try (LuaServer s = new LuaServer(b -> b
                .location("/slow", l -> l.contentByLua("""
                        sem = require("ngx.semaphore").new(0)
                        local t = ngx.thread.spawn(function() return sem:wait(10) end)
                        ngx.say(ngx.thread.wait(t))
                        """))
                .location("/fast", l -> l.contentByLua("""
                        while not sem do ngx.sleep(0.001) end
                        sem:post(1)
                        ngx.say("posted")
                        """)))) {
            var slow = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return s.body("/slow");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(s.body("/fast")).isEqualTo("posted\n");
            assertThat(slow.get()).isEqualTo("truetrue\n");
        }
    }
}
