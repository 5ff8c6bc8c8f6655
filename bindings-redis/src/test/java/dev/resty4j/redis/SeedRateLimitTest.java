package dev.resty4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.config.ConfigLoader;
import dev.resty4j.core.log.LogRecord;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The seed example "Redis-Backed Rate Limiting" (shared/seed/examples/02-redis-rate-limit.conf): its
 * access_by_lua_block verbatim, against the real Redis.
 */
class SeedRateLimitTest {

    static final Path SEED = Path.of("../../shared/seed/examples/02-redis-rate-limit.conf");

    private RealRedis redis;
    /** A client address of its own, so that the seed's key {@code rl:<binary addr>} is this test's alone. */
    private final String addr = "10." + ThreadLocalRandom.current().nextInt(256) + "."
            + ThreadLocalRandom.current().nextInt(256) + "." + ThreadLocalRandom.current().nextInt(1, 255);

    @BeforeEach
    void setUp() {
        redis = RealRedis.require();
    }

    @AfterEach
    void tearDown() {
        redis.send("del", key());
        redis.close();
    }

    private String key() {
        StringBuilder k = new StringBuilder("rl:");
        for (String part : addr.split("\\.")) {
            k.append((char) Integer.parseInt(part));
        }
        return k.toString();
    }

    /** The seed config with its proxy_pass replaced by a content handler answering "ok" (until proxy_pass lands). */
    private static String seedWithoutProxy() throws Exception {
        String conf = Files.readString(seed());
        assertThat(conf).contains("proxy_pass http://backend;");
        return conf.replace("proxy_pass http://backend;", "content_by_lua_block { ngx.say('ok') }");
    }

    private static Path seed() {
        for (Path p : new Path[] {SEED, Path.of("../shared/seed/examples/02-redis-rate-limit.conf"),
                Path.of("/work/shared/seed/examples/02-redis-rate-limit.conf")}) {
            if (Files.exists(p)) {
                return p;
            }
        }
        return SEED;
    }

    @Test
    void sixtyPassThenTooManyRequests() throws Exception {
        try (RestyTester t = RestyTester.of(ConfigLoader.load(seedWithoutProxy(), "02-redis-rate-limit.conf",
                Path.of("."), ConfigLoader.Options.strict()))) {
            for (int i = 1; i <= 60; i++) {
                MockResponse r = t.get("/api/x").remoteAddr(addr).run();
                assertThat(r.status()).as("request %d", i).isEqualTo(200);
                assertThat(r.body()).isEqualTo("ok\n");
            }
            MockResponse r = t.get("/api/x").remoteAddr(addr).run();
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.header("Retry-After")).isEqualTo("60");
            assertThat(redis.send("ttl", key()).toLong()).isBetween(1L, 60L);
        }
    }

    @Test
    void redisDownFailsOpenAndLogs() throws Exception {
        String conf = seedWithoutProxy().replace("red:connect(\"127.0.0.1\", 6379)", "red:connect(\"127.0.0.1\", 1)");
        try (RestyTester t = RestyTester.of(ConfigLoader.load(conf, "02-redis-rate-limit.conf", Path.of("."),
                ConfigLoader.Options.strict()))) {
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                MockResponse r = t.get("/api/x").remoteAddr(addr).run();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.logs()).extracting(LogRecord::message)
                        .anyMatch(m -> m.contains("Redis connect failed: connection refused"));
                assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2000);
            }
        }
    }

    @Test
    void aSilentRedisTimesOutWithinTheConnectTimeout() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
            String conf = seedWithoutProxy().replace("red:connect(\"127.0.0.1\", 6379)",
                    "red:connect(\"127.0.0.1\", " + silent.getLocalPort() + ")");
            try (RestyTester t = RestyTester.of(ConfigLoader.load(conf, "02-redis-rate-limit.conf", Path.of("."),
                    ConfigLoader.Options.strict()))) {
                MockResponse r = t.get("/api/x").remoteAddr(addr).run();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.logs()).extracting(LogRecord::message).anyMatch(m -> m.contains("Redis connect failed: timeout"));
            }
        }
    }

    /** The seed verbatim behind proxy_pass: enable once bindings-http provides upstream/proxy_pass. */
    @Test
    @Disabled("needs proxy_pass from bindings-http")
    void seedVerbatimBehindProxyPass() throws Exception {
        // To enable: start a Vert.x backend on port P answering 200, prepend "upstream backend { server
        // 127.0.0.1:P; }" inside the http block of the verbatim seed, load it with ConfigLoader, then assert
        // as in sixtyPassThenTooManyRequests (60 x 200 from the backend, then 429 with Retry-After: 60).
        String conf = Files.readString(seed());
        assertThat(conf).contains("proxy_pass http://backend;");
    }
}
