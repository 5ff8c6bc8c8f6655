package dev.resty4j.lua;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** lua-resty-core's {@code ngx.semaphore} end to end. */
class SemaphoreTest {

    @Test
    void waitTimesOutWithoutAResource() throws Exception {
        try (LuaServer s = LuaServer.content("""
                local semaphore = require "ngx.semaphore"
                local sem = semaphore.new()
                ngx.say(sem:wait(0.01))
                ngx.say(sem:wait(0))
                ngx.say(sem:count())
                """)) {
            assertThat(s.body("/t")).isEqualTo("niltimeout\nniltimeout\n0\n");
        }
    }

    @Test
    void postGrantsResourcesToTheLongestWaitingThreadsFirst() throws Exception {
        try (LuaServer s = LuaServer.content("""
                local sem = require("ngx.semaphore").new(0)
                local order = {}
                local function waiter(name)
                    local ok, err = sem:wait(5)
                    order[#order + 1] = name .. "=" .. tostring(ok)
                end
                local a = ngx.thread.spawn(waiter, "a")
                local b = ngx.thread.spawn(waiter, "b")
                local c = ngx.thread.spawn(waiter, "c")
                ngx.say("count while waiting: ", sem:count())
                ngx.say(sem:post(2))
                ngx.thread.wait(a)
                ngx.thread.wait(b)
                table.sort(order) -- a and b were granted in order; they resume in either order
                ngx.say(table.concat(order, " "), ", count: ", sem:count())
                sem:post()
                ngx.thread.wait(c)
                ngx.say(table.concat(order, " "), ", count: ", sem:count())
                """)) {
            assertThat(s.body("/t")).isEqualTo("count while waiting: -3\ntrue\na=true b=true, count: -1\n"
                    + "a=true b=true c=true, count: 0\n");
        }
    }

    @Test
    void resourcesAreTakenWithoutWaiting() throws Exception {
        try (LuaServer s = LuaServer.content("""
                local sem = require("ngx.semaphore").new(2)
                ngx.say(sem:wait(0), " ", sem:wait(1), " ", sem:count())
                ngx.say(pcall(sem.post, sem, 0))
                ngx.say(pcall(require("ngx.semaphore").new, -1))
                ngx.say(pcall(sem.wait, {}, 1))
                """)) {
            assertThat(s.body("/t")).isEqualTo("true true 0\nfalseno negative number\nfalseno negative number\n"
                    + "falsenot a semaphore instance\n");
        }
    }

    @Test
    void aWaitingThreadKilledByExitLeavesTheQueue() throws Exception {
        try (LuaServer s = new LuaServer(b -> b
                .location("/t", l -> l.contentByLua("""
                        sem = require("ngx.semaphore").new(0)
                        ngx.thread.spawn(function() sem:wait(5) got = true end)
                        ngx.thread.spawn(function() ngx.sleep(0.01) ngx.exit(200) end)
                        """))
                .location("/check", l -> l.contentByLua("""
                        ngx.say(sem:count())
                        sem:post(1)
                        ngx.say(sem:count(), " ", tostring(got))
                        """)))) {
            assertThat(s.get("/t").statusCode()).isEqualTo(200);
            assertThat(s.body("/check")).isEqualTo("0\n1 nil\n");
        }
    }
}
