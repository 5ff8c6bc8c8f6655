package dev.resty4j.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Seed 06 "Background Tasks with ngx.timer": responses go out without waiting for the metrics push, and
 * every request's {uri,status,latency,ip} is POSTed to metrics-service/ingest.
 */
abstract class Seed06TimerMetricsContract extends SeedContract {

    @Test
    void metricsPushedFromATimerDoNotDelayResponses() throws Exception {
        List<String> ingested = new CopyOnWriteArrayList<>();
        List<HttpServerResponse> held = new CopyOnWriteArrayList<>();
        Promise<Void> release = Promise.promise();
        // the metrics service answers only once the test lets it (after every client got its response), then 1 s later
        Backend metrics = Backend.start(vertx, req -> req.body().onSuccess(body -> {
            ingested.add(body.toString());
            held.add(req.response());
            release.future().onComplete(v -> vertx.setTimer(1000, t -> req.response().end("ok")));
        }));
        try (metrics; SeedServer s = SeedServer.serve(conf(), new Wrapper().host("metrics-service", metrics.address()), tmp)) {
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
            assertThat(metrics.seen).allSatisfy(r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.uri()).isEqualTo("/ingest");
                assertThat(r.headers().get("Content-Type")).isEqualTo("application/json");
            });
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
