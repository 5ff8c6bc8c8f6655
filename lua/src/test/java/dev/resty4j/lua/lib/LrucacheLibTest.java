package dev.resty4j.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LrucacheLibTest {

    @Test
    void evictsLeastRecentlyUsedAndReportsCountsAndKeys() throws Exception {
        try (LuaServer s = LuaServer.content("""
                local lrucache = require "resty.lrucache"
                local c = lrucache.new(2)
                c:set("dog", 32)
                c:set("cat", 56)
                ngx.say("dog: ", (c:get("dog")))
                c:set("pig", 1) -- evicts cat, the least recently used
                ngx.say("cat: ", (c:get("cat")))
                ngx.say("count: ", c:count(), " capacity: ", c:capacity())
                ngx.say(table.concat(c:get_keys(), ","), " ", #c:get_keys(1))
                ngx.say(c:delete("pig"), " ", c:delete("pig"), " ", c:count())
                c:set("f", false)
                ngx.say(c:get("f"))
                c:flush_all()
                ngx.say(c:count(), " ", c:get("dog"))
                ngx.say(lrucache.new(0))
                """)) {
            assertThat(s.body()).isEqualTo("""
                    dog: 32
                    cat: nil
                    count: 2 capacity: 2
                    pig,dog 1
                    true false 1
                    falsenil0
                    0 nil
                    nilsize too small
                    """);
        }
    }

    @Test
    void expiredItemsGiveTheStaleValueAndFlags() throws Exception {
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        try (LuaServer s = new LuaServer(b -> b.workers(1).clock(now::get).location("/t", l -> l.contentByLua("""
                local lrucache = require "resty.lrucache.pureffi"
                -- module-level state: one cache per worker, kept across requests
                package.loaded.my_cache = package.loaded.my_cache or lrucache.new(10)
                local c = package.loaded.my_cache
                if ngx.var.arg_set then
                    c:set("k", {v = "value"}, 0.5, 7)
                end
                local v, stale, flags = c:get("k")
                ngx.say(v and v.v, " ", stale and stale.v, " ", flags)
                """)))) {
            assertThat(s.get("/t?set=1").body()).isEqualTo("value nil 7\n");
            now.addAndGet(400);
            assertThat(s.get("/t").body()).isEqualTo("value nil 7\n");
            now.addAndGet(200);
            assertThat(s.get("/t").body()).isEqualTo("nil value 7\n");
        }
    }
}
