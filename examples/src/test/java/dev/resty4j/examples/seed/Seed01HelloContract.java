package dev.resty4j.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Seed 01 "Hello World: Verify It Works": GET /hello -> 200 text/plain "NGINX Lua is working. Worker PID: N". */
abstract class Seed01HelloContract extends SeedContract {

    @Test
    void helloReportsAWorkerPid() throws Exception {
        try (SeedServer s = SeedServer.serve(conf(), tmp)) {
            HttpResponse<String> r = s.get("/hello");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
            assertThat(r.body()).matches("NGINX Lua is working\\. Worker PID: \\d+\n");
            assertThat(s.get("/other").statusCode()).isEqualTo(404);
        }
    }
}
