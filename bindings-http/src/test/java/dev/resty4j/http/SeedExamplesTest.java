package dev.resty4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed configs that use resty.http, run verbatim (copied unchanged into src/test/resources/seed) against
 * services on loopback, mapped to their names with {@link RestyHttp#mapHost}.
 */
class SeedExamplesTest {

    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    private static String seed(String name) throws Exception {
        try (var in = SeedExamplesTest.class.getResourceAsStream("/seed/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void seed04LruCacheInFrontOfAService() throws Exception {
        Backend users = Backend.start(vertx, req -> {
            if (req.path().equals("/users/7")) {
                req.response().end("{\"id\":7,\"name\":\"Ann\"}");
            } else {
                req.response().setStatusCode(404).end("{}");
            }
        });
        try (users; RestyServer s = new RestyServer(vertx, seed("04-lru-cache.conf"),
                b -> RestyHttp.mapHost(b, "user-service", users.address()))) {
            HttpResponse<String> first = s.get("/user-info?id=7");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
            assertThat(first.body()).isEqualTo("{\"id\":7,\"name\":\"Ann\"}\n");
            int hits = users.requests.get();
            HttpResponse<String> second = s.get("/user-info?id=7");
            assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
            assertThat(second.body()).isEqualTo(first.body());
            assertThat(users.requests.get()).isEqualTo(hits); // served from the cache

            HttpResponse<String> missing = s.get("/user-info?id=8");
            assertThat(missing.statusCode()).isEqualTo(502);
            assertThat(missing.body()).isEqualTo("{\"error\":\"upstream_error\"}\n");
        }
        // the service down: connection refused -> 502
        int closed = Backend.closedPort(vertx);
        try (RestyServer s = new RestyServer(vertx, seed("04-lru-cache.conf"),
                b -> RestyHttp.mapHost(b, "user-service", "127.0.0.1:" + closed))) {
            HttpResponse<String> down = s.get("/user-info?id=7");
            assertThat(down.statusCode()).isEqualTo(502);
            assertThat(down.body()).isEqualTo("{\"error\":\"upstream_error\"}\n");
        }
    }

    @Test
    void seed06MetricsPushedFromATimerDoNotDelayResponses() throws Exception {
        List<String> ingested = new CopyOnWriteArrayList<>();
        List<HttpServerResponse> held = new CopyOnWriteArrayList<>();
        Promise<Void> release = Promise.promise();
        // the metrics service takes its time: it answers only when the test lets it (after the clients got theirs)
        Backend metrics = Backend.start(vertx, req -> req.body().onSuccess(body -> {
            ingested.add(body.toString());
            held.add(req.response());
            release.future().onComplete(v -> vertx.setTimer(1000, t -> req.response().end("ok")));
        }));
        try (metrics; RestyServer s = new RestyServer(vertx, seed("06-timer-metrics.conf"),
                b -> RestyHttp.mapHost(b, "metrics-service", metrics.address()))) {
            Set<String> uris = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                String uri = "/page/" + i + "?x=" + i;
                uris.add(uri);
                HttpResponse<String> r = s.get(uri);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("ok\n");
            }
            // every client was answered while no metrics push had been answered: the push never delayed them
            assertThat(held.stream().filter(HttpServerResponse::ended).count()).isZero();
            release.complete();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (ingested.size() < 20 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(ingested).hasSize(20);
            Set<String> seen = new HashSet<>();
            for (String json : ingested) {
                JsonObject o = new JsonObject(json);
                seen.add(o.getString("uri"));
                assertThat(o.getInteger("status")).isEqualTo(200);
                assertThat(o.getString("ip")).isEqualTo("127.0.0.1");
                assertThat(o.getDouble("latency")).isGreaterThanOrEqualTo(0.0);
            }
            assertThat(seen).isEqualTo(uris);
        }
    }
}
