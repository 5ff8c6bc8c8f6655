package dev.resty4j.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.examples.LocalRedis;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 02 "Redis-Backed Rate Limiting" against the machine's Redis, behind {@code proxy_pass http://backend}
 * to a loopback backend: 60 requests per client address pass, the 61st gets 429 with {@code Retry-After: 60}.
 * Each test sends from an address of its own in 127.0.0.0/8, so that the seed's key
 * {@code rl:<binary_remote_addr>} is this test's alone on a Redis others use too.
 * (Redis down, and a Redis that never answers, are bindings-redis's SeedRateLimitTest: the seed names
 * 127.0.0.1:6379 literally.)
 */
abstract class Seed02RedisRateLimitContract extends SeedContract {

    LocalRedis redis;
    Backend backend;
    final byte[] clientAddress = {127, (byte) ThreadLocalRandom.current().nextInt(1, 255),
            (byte) ThreadLocalRandom.current().nextInt(256), (byte) ThreadLocalRandom.current().nextInt(1, 255)};

    @BeforeEach
    void start() {
        redis = LocalRedis.require();
        redis.send("del", key());
        backend = Backend.ok(vertx);
    }

    @AfterEach
    void stop() {
        redis.send("del", key());
        redis.close();
        backend.close();
    }

    /** The seed's key for this test's client address. */
    private String key() {
        StringBuilder k = new StringBuilder("rl:");
        for (byte b : clientAddress) {
            k.append((char) (b & 0xff));
        }
        return k.toString();
    }

    private HttpClient client() throws Exception {
        return SeedServer.client(InetAddress.getByAddress(clientAddress));
    }

    private SeedServer serve() throws Exception {
        return SeedServer.serve(conf(), new Wrapper().upstream("backend", backend.address()), tmp);
    }

    private static void assertLimited(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("60");
    }

    @Test
    void sixtyPassToTheBackendThenTooManyRequests() throws Exception {
        HttpClient client = client();
        try (SeedServer s = serve()) {
            for (int i = 1; i <= 60; i++) {
                HttpResponse<String> r = s.get(client, "/api/items?n=" + i);
                assertThat(r.statusCode()).as("request %d", i).isEqualTo(200);
                assertThat(r.body()).isEqualTo("backend ok");
            }
            assertLimited(s.get(client, "/api/items?n=61"));
            assertLimited(s.get(client, "/api/items?n=62"));
            assertThat(backend.seen).hasSize(60);
            assertThat(backend.seen.get(0).uri()).isEqualTo("/api/items?n=1");
            assertThat(redis.send("ttl", key()).toLong()).isBetween(1L, 60L);
            // another client address has its own count
            assertThat(s.get("/api/items").statusCode()).isEqualTo(200);
            assertThat(s.errorLog).noneMatch(l -> l.message().contains("Redis connect failed"));
        }
    }

    @Test
    void twoInstancesSharingRedisEnforceOneCombinedLimit() throws Exception {
        HttpClient client = client();
        try (SeedServer a = serve(); SeedServer b = serve()) {
            assertThat(a.server.resty()).isNotSameAs(b.server.resty());
            for (int i = 1; i <= 60; i++) {
                SeedServer s = i % 2 == 0 ? a : b;
                assertThat(s.get(client, "/api/x").statusCode()).as("request %d", i).isEqualTo(200);
            }
            assertLimited(a.get(client, "/api/x"));
            assertLimited(b.get(client, "/api/x"));
            assertThat(backend.seen).hasSize(60);
        }
    }
}
