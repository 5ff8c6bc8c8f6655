package dev.resty4j.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RestyLockLibTest {

    @Test
    void lockUnlockAndErrors() throws Exception {
        try (LuaServer s = new LuaServer(b -> b.sharedDict("locks", "1m").location("/t", l -> l.contentByLua("""
                local resty_lock = require "resty.lock"
                ngx.say(resty_lock:new("nope"))
                local lock = resty_lock:new("locks", {exptime = 10})
                ngx.say(lock:lock("k"), " ", ngx.shared.locks:get("k"), " ", lock.key)
                ngx.say(lock:lock("other"))
                ngx.say(lock:expire(5), " ", lock:unlock(), " ", ngx.shared.locks:get("k"))
                ngx.say(lock:unlock())
                ngx.say(lock:expire())
                ngx.say(lock:lock(nil))
                """)))) {
            assertThat(s.body()).isEqualTo("""
                    nildictionary not found
                    0 true k
                    nillocked
                    true 1 nil
                    nilunlocked
                    nilunlocked
                    nilnil key
                    """);
        }
    }

    @Test
    void aSecondRequestWaitsWhileTheWorkerServesOthersThenTimesOut() throws Exception {
        try (LuaServer s = new LuaServer(b -> b.workers(1).sharedDict("locks", "1m")
                .location("/hold", l -> l.contentByLua("""
                        local lock = require("resty.lock"):new("locks")
                        local elapsed = lock:lock("k")
                        ngx.shared.locks:set("held", true)
                        ngx.sleep(1)
                        ngx.say("holder got it after ", elapsed, ", unlock: ", lock:unlock())
                        """))
                .location("/wait", l -> l.contentByLua("""
                        while not ngx.shared.locks:get("held") do ngx.sleep(0.01) end
                        local lock = require("resty.lock"):new("locks", {timeout = 0.1})
                        ngx.say("waiter: ", lock:lock("k"))
                        local patient = require("resty.lock"):new("locks", {timeout = 5})
                        local elapsed, err = patient:lock("k")
                        ngx.say("patient waiter got it: ", elapsed > 0, " ", err)
                        patient:unlock()
                        """))
                .location("/ping", l -> l.contentByLua("ngx.say('pong')")))) {
            CompletableFuture<HttpResponse<String>> holder = s.getAsync("/hold");
            CompletableFuture<HttpResponse<String>> waiter = s.getAsync("/wait");
            // The only worker keeps serving while both requests wait.
            while (!holder.isDone()) {
                assertThat(s.get("/ping").body()).isEqualTo("pong\n");
                if (waiter.isDone()) {
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(holder.get().body()).isEqualTo("holder got it after 0, unlock: 1\n");
            assertThat(waiter.get().body()).isEqualTo("waiter: niltimeout\npatient waiter got it: true nil\n");
        }
    }
}
