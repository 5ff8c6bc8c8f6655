package dev.resty4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.config.ConfigLoader;
import dev.resty4j.core.log.LogRecord;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The seed example "Redis-Backed Rate Limiting" (examples/conf/seed/02-redis-rate-limit.conf) when Redis
 * fails: its access_by_lua_block verbatim but for the Redis address it names (a closed port, a server that
 * never answers), which only a changed copy can point elsewhere. The seed as it stands, behind proxy_pass,
 * with the real Redis (60 pass, the 61st gets 429; two instances share one limit) is the examples module's
 * Seed02RedisRateLimitContract.
 */
class SeedRateLimitTest {

    static final Path SEED = Path.of("../examples/conf/seed/02-redis-rate-limit.conf");

    private final String addr = "10.1.2.3";

    /**
     * The seed config with its proxy_pass replaced by a content handler answering "ok" (this module knows no
     * proxy_pass) and its Redis address by {@code redisPort} on loopback.
     */
    private static String seedAgainst(int redisPort) throws Exception {
        String conf = Files.readString(SEED);
        assertThat(conf).contains("proxy_pass http://backend;").contains("red:connect(\"127.0.0.1\", 6379)");
        return conf.replace("proxy_pass http://backend;", "content_by_lua_block { ngx.say('ok') }")
                .replace("red:connect(\"127.0.0.1\", 6379)", "red:connect(\"127.0.0.1\", " + redisPort + ")");
    }

    @Test
    void redisDownFailsOpenAndLogs() throws Exception {
        String conf = seedAgainst(1);
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
            String conf = seedAgainst(silent.getLocalPort());
            try (RestyTester t = RestyTester.of(ConfigLoader.load(conf, "02-redis-rate-limit.conf", Path.of("."),
                    ConfigLoader.Options.strict()))) {
                MockResponse r = t.get("/api/x").remoteAddr(addr).run();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.logs()).extracting(LogRecord::message).anyMatch(m -> m.contains("Redis connect failed: timeout"));
            }
        }
    }
}
