package dev.resty4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** resty.redis against the real Redis: replies, errors, pipelines, transactions, pub/sub, pools, timeouts. */
class RedisClientTest {

    private RealRedis redis;

    /** Lua run before each test body: connects {@code red} (and {@code red2}), with the key prefix {@code P}. */
    private static final String CONNECT = """
            local redis = require "resty.redis"
            local cjson_like
            local function show(v)
                if v == ngx.null then return "null" end
                if type(v) ~= "table" then return tostring(v) end
                local parts = {}
                for i = 1, #v do parts[#parts + 1] = show(v[i]) end
                return "[" .. table.concat(parts, ",") .. "]"
            end
            local red = redis:new()
            red:set_timeouts(1000, 1000, 1000)
            local ok, err = red:connect("127.0.0.1", 6379)
            if not ok then ngx.say("connect failed: ", err) return end
            """;

    @BeforeEach
    void setUp() {
        redis = RealRedis.require();
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private String run(String lua) throws Exception {
        return response(lua).body();
    }

    private MockResponse response(String lua) throws Exception {
        String code = "local P = '" + redis.prefix + "'\n" + CONNECT + lua;
        try (RestyTester t = RestyTester.of(Resty.builder().workers(1).location("/t", l -> l.contentByLua(code)))) {
            return t.get("/t").run();
        }
    }

    @Test
    void repliesConvertAsLuaRestyRedisDoes() throws Exception {
        String body = run("""
                ngx.say(red:set(P .. "dog", "an animal"))
                ngx.say(red:get(P .. "dog"))
                ngx.say(red:get(P .. "nokey") == ngx.null)
                local n = red:incr(P .. "n")
                ngx.say(type(n), " ", n)
                red:rpush(P .. "l", "a", "b")
                ngx.say(show(red:lrange(P .. "l", 0, -1)))
                ngx.say(show(red:mget(P .. "dog", P .. "nokey")))
                ngx.say(show(red:lrange(P .. "empty", 0, -1)), " ", #red:lrange(P .. "empty", 0, -1))
                local res, err = red:incr(P .. "dog")
                ngx.say(res, " ", err)
                res, err = red:nosuchcommand("x")
                ngx.say(res, " ", err and err:sub(1, 19))
                res, err = red:get()
                ngx.say(res, " ", err)
                ngx.say(red:set(P .. "big", 123456789012345), " ", red:get(P .. "big"))
                ngx.say(red:set(P .. "f", 0.5), " ", red:get(P .. "f"))
                ngx.say(red:client("setname", "x"), " ", red:client("getname"))
                ngx.say(red:close())
                ngx.say(red:get(P .. "dog"))
                """);
        assertThat(body).isEqualTo("""
                OK
                an animal
                true
                number 1
                [a,b]
                [an animal,null]
                [] 0
                false ERR value is not an integer or out of range
                false ERR unknown command
                false ERR wrong number of arguments for 'get' command
                OK 123456789012345
                OK 0.5
                OK x
                1
                nilclosed
                """);
    }

    @Test
    void hashHelpersTakeTables() throws Exception {
        String body = run("""
                ngx.say(red:hmset(P .. "h", { a = "1" }))
                ngx.say(red:hmset(P .. "h", "b", "2", "c", "3"))
                ngx.say(show(red:hmget(P .. "h", { "a", "b", "zz" })))
                ngx.say(show(red:hmget(P .. "h", "c")))
                local h = red:array_to_hash(red:hgetall(P .. "h"))
                ngx.say(h.a, h.b, h.c)
                """);
        assertThat(body).isEqualTo("OK\nOK\n[1,2,null]\n[3]\n123\n");
    }

    @Test
    void pipelinesAnswerEachCommand() throws Exception {
        String body = run("""
                red:init_pipeline()
                ngx.say(select("#", red:set(P .. "cat", "Marry")))
                red:set(P .. "horse", "Bob")
                red:incr(P .. "cat")
                red:get(P .. "cat")
                red:get(P .. "none")
                local results, err = red:commit_pipeline()
                ngx.say(show(results))
                ngx.say(red:commit_pipeline())
                red:init_pipeline()
                red:set(P .. "cancelled", "1")
                red:cancel_pipeline()
                ngx.say(red:get(P .. "cancelled") == ngx.null)
                """);
        assertThat(body).isEqualTo("""
                0
                [OK,OK,[false,ERR value is not an integer or out of range],Marry,null]
                nilno pipeline
                true
                """);
    }

    @Test
    void transactions() throws Exception {
        String body = run("""
                ngx.say(red:multi())
                ngx.say(red:set(P .. "a", "abc"))
                ngx.say(red:lpop(P .. "a"))
                ngx.say(red:set_keepalive(10000, 10))
                ngx.say(show(red:exec()))
                -- WATCH: a change by another connection aborts EXEC (nil multi-bulk = ngx.null)
                local red2 = redis:new()
                red2:connect("127.0.0.1", 6379)
                red:watch(P .. "w")
                red2:set(P .. "w", "changed")
                red:multi()
                red:set(P .. "w", "mine")
                ngx.say(red:exec() == ngx.null, " ", red:get(P .. "w"))
                red:multi()
                ngx.say(red:discard())
                ngx.say(red:set_keepalive(10000, 10))
                red2:close()
                """);
        assertThat(body).isEqualTo("""
                OK
                QUEUED
                QUEUED
                nilin transaction
                [OK,[false,WRONGTYPE Operation against a key holding the wrong kind of value]]
                true changed
                OK
                1
                """);
    }

    @Test
    void publishSubscribe() throws Exception {
        String body = run("""
                red:set_timeouts(1000, 1000, 100)
                local red2 = redis:new()
                red2:connect("127.0.0.1", 6379)
                ngx.say(show(red:subscribe(P .. "dog")))
                ngx.say(red:set_keepalive())
                ngx.say(red2:publish(P .. "dog", "Hello"))
                ngx.say(show(red:read_reply()))
                ngx.say(red:read_reply())
                red2:publish(P .. "dog", "again")
                ngx.say(show(red:read_reply()))
                ngx.say(show(red:psubscribe(P .. "c*", P .. "d*")))
                red2:publish(P .. "cat", "meow")
                ngx.say(show(red:read_reply()))
                ngx.say(show(red:unsubscribe(P .. "dog")))
                ngx.say(show(red:punsubscribe()))
                ngx.say(red:read_reply())
                ngx.say(red:unsubscribe())
                ngx.say(red:set_keepalive())
                red2:close()
                """.replace("P .. \"", "P .. \""));
        String p = redis.prefix;
        assertThat(body).isEqualTo(("""
                [subscribe,Pdog,1]
                nilsubscribed state
                1
                [message,Pdog,Hello]
                niltimeout
                [message,Pdog,again]
                [[psubscribe,Pc*,2],[psubscribe,Pd*,3]]
                [pmessage,Pc*,Pcat,meow]
                [unsubscribe,Pdog,2]
                [[punsubscribe,Pc*,1],[punsubscribe,Pd*,0]]
                nilnot subscribed
                nilnot subscribed
                1
                """).replace("P", p));
    }

    @Test
    void keepaliveReusesConnections() throws Exception {
        String body = run("""
                ngx.say(red:get_reused_times())
                ngx.say(red:set_keepalive(10000, 10))
                ngx.say(red:get(P .. "x"))
                ngx.say(red:set_keepalive(10000, 10))
                local red2 = redis:new()
                red2:connect("127.0.0.1", 6379)
                ngx.say(red2:get_reused_times())
                red2:set_keepalive()
                red2 = redis:new()
                red2:connect("127.0.0.1", 6379)
                ngx.say(red2:get_reused_times())
                local red3 = redis:new()
                red3:connect("127.0.0.1", 6379)
                ngx.say(red3:get_reused_times())
                ngx.say(red2:close(), " ", red3:close())
                ngx.say(red3:close())
                """);
        assertThat(body).isEqualTo("0\n1\nnilclosed\nnilclosed\n1\n2\n0\n1 1\nnilclosed\n");
    }

    @Test
    void connectOptionsAuthAndDb() throws Exception {
        String body = run("""
                red:close()
                local ok, err = red:connect("127.0.0.1", 6379, { db = 3 })
                ngx.say(ok, " ", err)
                red:set(P .. "indb3", "yes")
                red:set_keepalive()
                local other = redis:new()
                other:connect("127.0.0.1", 6379)
                ngx.say(other:get(P .. "indb3") == ngx.null)
                other:select(3)
                ngx.say(other:get(P .. "indb3"))
                other:del(P .. "indb3")
                other:close()
                ok, err = red:connect("127.0.0.1", 6379, { password = "nope" })
                ngx.say(ok, " ", err and err:sub(1, 27))
                ngx.say(pcall(red.connect, red, nil))
                ngx.say(pcall(red.connect, red, "127.0.0.1", "x"))
                ok, err = red:connect("127.0.0.1", 1)
                ngx.say(ok, " ", err)
                """);
        assertThat(body).isEqualTo("""
                1 nil
                true
                yes
                nil failed to authenticate: ERR
                falsebad argument #1 host: string expected, got nil
                falsebad argument #2 port: number expected, got string
                nil connection refused
                """);
    }

    @Test
    void timeoutsReturnNilTimeout() throws Exception {
        String body = run("""
                red:set_timeouts(1000, 1000, 100)
                -- a blocking command keeps its connection after a timeout
                ngx.say(red:blpop(P .. "q", 1))
                red:close()
                red:connect("127.0.0.1", 6379)
                ngx.say(red:brpoplpush(P .. "q", P .. "q2", 1))
                ngx.say(red:get(P .. "q"))
                """);
        assertThat(body).isEqualTo("niltimeout\nniltimeout\nnilclosed\n");
    }

    @Test
    void connectTimeoutCoversAServerThatNeverAnswers() throws Exception {
        // a TCP server that accepts and stays silent: the connect (and its handshake) must time out
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
            String body = run("""
                    local r = redis:new()
                    r:set_timeouts(150, 1000, 1000)
                    local t0 = ngx.now()
                    ngx.say(r:connect("127.0.0.1", %d))
                    """.formatted(silent.getLocalPort()));
            assertThat(body).isEqualTo("niltimeout\n");
        }
    }

    @Test
    void connectionsLeftOpenAreClosedWhenTheRequestEnds() throws Exception {
        String name = "leak" + redis.prefix.substring(5, 13);
        String body = run("""
                red:client("setname", "%s")
                local r2 = redis:new()
                r2:connect("127.0.0.1", 6379)
                r2:client("setname", "%s")
                ngx.say("left open")
                """.formatted(name, name));
        assertThat(body).isEqualTo("left open\n");
        waitFor(() -> redis.connectionsNamed(name) == 0);
        assertThat(redis.connectionsNamed(name)).isZero();
    }

    @Test
    void poolSizeBoundsIdleConnectionsAndBacklogBoundsAll() throws Exception {
        String name = "pool" + redis.prefix.substring(5, 13);
        String code = "local P = '" + redis.prefix + "'\n" + """
                local redis = require "resty.redis"
                local red = redis:new()
                red:set_timeouts(2000, 1000, 1000)
                local ok, err = red:connect("127.0.0.1", 6379, { pool = "bl", pool_size = 2, backlog = 1 })
                if not ok then ngx.say(err) return end
                if red:get_reused_times() == 0 then red:client("setname", "%s") end
                ngx.sleep(0.3)
                ngx.say("ok ", red:get_reused_times())
                red:set_keepalive(10000)
                """.formatted(name);
        try (RestyTester t = RestyTester.of(Resty.builder().workers(1).location("/t", l -> l.contentByLua(code)))) {
            List<CompletableFuture<MockResponse>> all = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                all.add(t.get("/t").send());
            }
            List<String> bodies = new ArrayList<>();
            for (CompletableFuture<MockResponse> f : all) {
                bodies.add(f.get().body());
            }
            // two open at once, one queued (then reuses a kept-alive one), one refused
            assertThat(bodies).containsExactlyInAnyOrder("ok 0\n", "ok 0\n", "ok 1\n",
                    "too many waiting connect operations\n");
            assertThat(redis.connectionsNamed(name)).isEqualTo(2);
        }
        // closing the instance closes its pools
        waitFor(() -> redis.connectionsNamed(name) == 0);
        assertThat(redis.connectionsNamed(name)).isZero();
    }

    @Test
    void keepalivePoolClosesTheLeastRecentlyUsedBeyondItsSize() throws Exception {
        String name = "lru" + redis.prefix.substring(5, 13);
        String body = run("""
                red:close()
                local conns = {}
                for i = 1, 5 do
                    local r = redis:new()
                    r:connect("127.0.0.1", 6379, { pool = "lru" })
                    r:client("setname", "%s")
                    conns[i] = r
                end
                for i = 1, 5 do conns[i]:set_keepalive(10000, 2) end
                ngx.say("done")
                """.formatted(name));
        assertThat(body).isEqualTo("done\n");
        waitFor(() -> redis.connectionsNamed(name) == 0);
    }

    @Test
    void idleTimeoutClosesPooledConnections() throws Exception {
        String name = "idle" + redis.prefix.substring(5, 13);
        String code = "local P = '" + redis.prefix + "'\n" + CONNECT + """
                red:client("setname", "%s")
                red:set_keepalive(100, 10)
                ngx.say("kept")
                """.formatted(name);
        try (RestyTester t = RestyTester.of(Resty.builder().workers(1).location("/t", l -> l.contentByLua(code)))) {
            assertThat(t.get("/t").run().body()).isEqualTo("kept\n");
            assertThat(redis.connectionsNamed(name)).isEqualTo(1);
            waitFor(() -> redis.connectionsNamed(name) == 0);
            assertThat(redis.connectionsNamed(name)).isZero();
        }
    }

    @Test
    void eachPooledConnectionKeepsItsOwnIdleTimeout() throws Exception {
        String suffix = redis.prefix.substring(5, 13);
        String code = """
                local redis = require "resty.redis"
                local long, short = redis:new(), redis:new()
                assert(long:connect("127.0.0.1", 6379))
                assert(short:connect("127.0.0.1", 6379))
                long:client("setname", "long%1$s")
                short:client("setname", "short%1$s")
                long:set_keepalive(20000, 10)
                short:set_keepalive(100, 10)
                ngx.say("kept")
                """.formatted(suffix);
        try (RestyTester t = RestyTester.of(Resty.builder().workers(1).location("/t", l -> l.contentByLua(code)))) {
            assertThat(t.get("/t").run().body()).isEqualTo("kept\n");
            assertThat(redis.connectionsNamed("short" + suffix)).isEqualTo(1);
            // the short timeout closes its connection long before the other one's 20 s are up
            waitFor(() -> redis.connectionsNamed("short" + suffix) == 0);
            assertThat(redis.connectionsNamed("short" + suffix)).isZero();
            assertThat(redis.connectionsNamed("long" + suffix)).isEqualTo(1);
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }
}
