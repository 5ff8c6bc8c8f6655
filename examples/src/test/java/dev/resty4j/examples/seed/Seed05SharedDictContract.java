package dev.resty4j.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Seed 05 "Shared Memory Across Workers": the three dicts at their declared sizes, /count incremented atomically across workers. */
abstract class Seed05SharedDictContract extends SeedContract {

    @Test
    void sharedDictCountsAtomicallyAcrossWorkers() throws Exception {
        try (SeedServer s = SeedServer.serve(conf(), tmp)) {
            assertThat(s.server.resty().workerCount()).isEqualTo(2);
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            var client = SeedServer.client(null);
            for (int i = 0; i < 200; i++) {
                all.add(client.sendAsync(s.request("/count").build(), HttpResponse.BodyHandlers.ofString()));
            }
            Set<String> seen = new HashSet<>();
            for (var f : all) {
                HttpResponse<String> r = f.get();
                assertThat(r.statusCode()).isEqualTo(200);
                seen.add(r.body());
            }
            // every request got its own number: no lost update across workers
            assertThat(seen).hasSize(200);
            assertThat(s.get("/count").body()).isEqualTo("201\n");
            assertThat(s.server.resty().sharedDict("rate_limit").capacity()).isEqualTo(10 * 1024 * 1024);
            assertThat(s.server.resty().sharedDict("token_cache").capacity()).isEqualTo(5 * 1024 * 1024);
            assertThat(s.server.resty().sharedDict("counters").capacity()).isEqualTo(1024 * 1024);
        }
    }
}
