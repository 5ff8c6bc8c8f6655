package dev.resty4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many concurrent requests doing a Redis round trip each: bounded connections (sampled on the Redis side
 * while they run), no platform thread per request (the JVM's peak platform-thread count).
 */
class RedisLoadTest {

    private RealRedis redis;

    @BeforeEach
    void setUp() {
        redis = RealRedis.require();
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    @Test
    void tenThousandConcurrentRequestsShareABoundedPool() throws Exception {
        String name = "load" + redis.prefix.substring(5, 13);
        String code = """
                local redis = require "resty.redis"
                local red = redis:new()
                red:set_timeouts(10000, 10000, 10000)
                local ok, err = red:connect("127.0.0.1", 6379, { pool_size = 20, backlog = 20000 })
                if not ok then ngx.say("connect: ", err) return end
                if red:get_reused_times() == 0 then red:client("setname", "%s") end
                local n, err = red:incr("%sn")
                if not n then ngx.say("incr: ", err) return end
                red:set_keepalive(10000)
                ngx.say("ok")
                """.formatted(name, redis.prefix);
        int requests = 10_000;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean(); // counts platform threads only
        try (RestyTester t = RestyTester.builder(Resty.builder().workers(2).location("/t", l -> l.contentByLua(code)))
                .timeout(Duration.ofSeconds(120)).build()) {
            int platformThreadsBefore = threads.getThreadCount();
            threads.resetPeakThreadCount();
            List<CompletableFuture<MockResponse>> all = new ArrayList<>(requests);
            for (int i = 0; i < requests; i++) {
                all.add(t.get("/t").send());
            }
            // the connections Redis sees while the requests run, sampled until they are all answered
            int maxConnections = 0;
            CompletableFuture<Void> done = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
            while (!done.isDone()) {
                maxConnections = Math.max(maxConnections, redis.connectionsNamed(name));
                Thread.sleep(20);
            }
            long ok = 0;
            for (CompletableFuture<MockResponse> f : all) {
                if ("ok\n".equals(f.get().body())) {
                    ok++;
                }
            }
            assertThat(ok).isEqualTo(requests);
            assertThat(redis.get(redis.prefix + "n")).isEqualTo(Integer.toString(requests));
            // two workers, a pool of 20 each: the backlog bounds every open connection, not only idle ones,
            // during the load as after it
            assertThat(maxConnections).isLessThanOrEqualTo(40);
            assertThat(redis.connectionsNamed(name)).isBetween(1, 40);
            // fibers are virtual threads: 10,000 requests in flight add no platform thread per request
            assertThat(threads.getPeakThreadCount() - platformThreadsBefore).isLessThan(200);
        }
    }
}
