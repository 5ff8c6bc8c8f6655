package dev.resty4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.config.ConfigLoader;
import dev.resty4j.server.RestyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The seed's configs that need no backend, verbatim, served the way {@code ./resty4j serve} serves them
 * (the test only moves the listen address to a free loopback port), and real HTTP requests against them.
 */
class SeedExamplesTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static HttpResponse<String> get(RestyServer s, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port(0) + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** As {@code ./resty4j serve -c CONF --listen 127.0.0.1:0 --workers 2}. */
    private static RestyServer serve(String conf) throws Exception {
        return RestyServer.start(Path.of(conf), "127.0.0.1:0", null, b -> b.workers(2), ConfigLoader.Options.strict());
    }

    @Test
    void helloReportsAWorkerPid() throws Exception {
        try (RestyServer s = serve("conf/seed/01-hello.conf")) {
            HttpResponse<String> r = get(s, "/hello");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
            assertThat(r.body()).matches("NGINX Lua is working\\. Worker PID: \\d+\n");
        }
    }

    @Test
    void sharedDictCountsAtomicallyAcrossWorkers() throws Exception {
        try (RestyServer s = serve("conf/seed/05-shared-dict.conf")) {
            assertThat(s.resty().workerCount()).isGreaterThanOrEqualTo(2);
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                all.add(CLIENT.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port(0) + "/count")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            Set<String> seen = new HashSet<>();
            for (var f : all) {
                seen.add(f.get().body());
            }
            // every request got its own number: no lost update across workers
            assertThat(seen).hasSize(200);
            assertThat(get(s, "/count").body()).isEqualTo("201\n");
            assertThat(s.resty().sharedDict("rate_limit").capacity()).isEqualTo(10 * 1024 * 1024);
        }
    }

    @Test
    void examplesServerServesBoth() throws Exception {
        try (RestyServer s = serve("conf/examples.conf")) {
            assertThat(get(s, "/hello").body()).startsWith("NGINX Lua is working.");
            assertThat(get(s, "/count").body()).isEqualTo("1\n");
            assertThat(get(s, "/missing").statusCode()).isEqualTo(404);
        }
    }
}
