package dev.resty4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.config.ConfigLoader;
import dev.resty4j.testing.RestyTester;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code lua_shared_dict NAME SIZE redis=HOST:PORT}: ngx.shared.NAME kept in Redis, shared by instances. */
class RedisSharedDictTest {

    private RealRedis redis;
    private String dictName;

    @BeforeEach
    void setUp() {
        redis = RealRedis.require();
        dictName = "d" + redis.prefix.substring(5, 13);
    }

    @AfterEach
    void tearDown() {
        for (String k : List.of("a", "n", "b", "l", "x", "hits")) {
            redis.send("del", "resty4j:dict:" + dictName + ":" + k);
        }
        redis.close();
    }

    private RestyTester tester(String endpoint, String lua) throws Exception {
        String conf = """
                lua_shared_dict %s 1m redis=%s redis_timeout=300;
                server {
                    location /t { content_by_lua_block { local d = ngx.shared.%s
                %s
                    } }
                }
                """.formatted(dictName, endpoint, dictName, lua);
        return RestyTester.of(ConfigLoader.load(conf, "test.conf", Path.of("."), ConfigLoader.Options.strict()));
    }

    @Test
    void dictMethodsReturnWhatTheInMemoryDictReturns() throws Exception {
        try (RestyTester t = tester("127.0.0.1:6379", """
                ngx.say(d:set("a", "x", 0, 7))
                ngx.say(d:get("a"))
                ngx.say(d:add("a", "y"))
                ngx.say(d:replace("zz", "y"))
                ngx.say(d:incr("n", 5))
                ngx.say(d:incr("n", 5, 10))
                ngx.say(d:incr("n", 1.5))
                ngx.say(d:incr("a", 1))
                ngx.say(d:set("b", true))
                ngx.say(d:get("b"))
                ngx.say(d:get("missing"))
                ngx.say(d:rpush("l", "one"), " ", d:rpush("l", 2), " ", d:llen("l"))
                ngx.say(d:lpop("l"), " ", d:lpop("l"), " ", d:lpop("l"))
                ngx.say(d:lpush("a", 1))
                ngx.say(d:ttl("a"))
                ngx.say(d:expire("a", 100), " ", d:ttl("a") > 99)
                ngx.say(d:ttl("nope"))
                ngx.say(d:delete("a"), " ", d:get("a"))
                ngx.say(d:set("x", 1, 0.05))
                ngx.sleep(0.2)
                ngx.say(d:get("x"))
                """)) {
            assertThat(t.get("/t").run().body()).isEqualTo("""
                    truenilfalse
                    x7
                    falseexistsfalse
                    falsenot foundfalse
                    nilnot found
                    15nilfalse
                    16.5
                    nilnot a number
                    truenilfalse
                    true
                    nil
                    1 2 2
                    one 2 nil
                    nilvalue not a list
                    0
                    true true
                    nilnot found
                    true nil
                    truenilfalse
                    nil
                    """);
        }
    }

    @Test
    void twoInstancesShareOneCounter() throws Exception {
        try (RestyTester a = tester("127.0.0.1:6379", "ngx.say(d:incr('hits', 1, 0))");
             RestyTester b = tester("127.0.0.1:6379", "ngx.say(d:incr('hits', 1, 0))")) {
            for (int i = 0; i < 5; i++) {
                a.get("/t").run();
                b.get("/t").run();
            }
            assertThat(a.get("/t").run().body()).isEqualTo("11nilfalse\n");
            assertThat(b.resty().sharedDict(dictName).get("hits").value()).isEqualTo(11.0);
        }
    }

    @Test
    void unreachableRedisGivesErrorsNotHangs() throws Exception {
        try (RestyTester t = tester("127.0.0.1:1", """
                ngx.say(d:set("a", 1))
                ngx.say(d:incr("n", 1, 0))
                ngx.say(d:get("a"))
                """)) {
            long t0 = System.nanoTime();
            assertThat(t.get("/t").run().body()).isEqualTo("falseconnection refusedfalse\nnilconnection refused\nnil\n");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3000);
        }
        // a server that never answers: each operation gives up after redis_timeout
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0);
             RestyTester t = tester("127.0.0.1:" + silent.getLocalPort(), "ngx.say(d:set('a', 1))")) {
            assertThat(t.get("/t").run().body()).isEqualTo("falsetimeoutfalse\n");
        }
    }

    @Test
    void unknownDictOptionsAreRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Resty.builder()
                        .sharedDict("x", "1m", List.of("memcached=1.2.3.4")).build())
                .hasMessageContaining("memcached=1.2.3.4");
    }
}
