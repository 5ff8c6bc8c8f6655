package dev.resty4j.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Seed 04 "In-Memory LRU Cache" in front of user-service (a loopback server the wrapper maps the name to):
 * MISS with the service's body, then HIT without calling it, 502 {"error":"upstream_error"} otherwise.
 * One worker: the cache is per worker (as in nginx), so with two the repeat could land on the other one.
 */
abstract class Seed04LruCacheContract extends SeedContract {

    @Test
    void missThenHitWithoutCallingTheServiceAgain() throws Exception {
        Backend users = Backend.start(vertx, req -> {
            if (req.path().equals("/users/7")) {
                req.response().end("{\"id\":7,\"name\":\"Ann\"}");
            } else {
                req.response().setStatusCode(404).end("{}");
            }
        });
        try (users; SeedServer s = SeedServer.serve(conf(), new Wrapper().workers(1).host("user-service", users.address()), tmp)) {
            HttpResponse<String> first = s.get("/user-info?id=7");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
            assertThat(first.body()).isEqualTo("{\"id\":7,\"name\":\"Ann\"}\n");
            assertThat(users.seen).extracting(Backend.Seen::uri).containsExactly("/users/7");

            HttpResponse<String> second = s.get("/user-info?id=7");
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
            assertThat(second.body()).isEqualTo(first.body());
            assertThat(users.seen).hasSize(1); // served from the cache

            HttpResponse<String> notFound = s.get("/user-info?id=8");
            assertThat(notFound.statusCode()).isEqualTo(502);
            assertThat(notFound.body()).isEqualTo("{\"error\":\"upstream_error\"}\n");
        }
    }

    @Test
    void serviceDownIs502() throws Exception {
        try (SeedServer s = SeedServer.serve(conf(), new Wrapper().host("user-service", Backend.closedAddress(vertx)), tmp)) {
            HttpResponse<String> down = s.get("/user-info?id=7");
            assertThat(down.statusCode()).isEqualTo(502);
            assertThat(down.body()).isEqualTo("{\"error\":\"upstream_error\"}\n");
        }
    }
}
