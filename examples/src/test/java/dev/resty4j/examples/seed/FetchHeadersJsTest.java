package dev.resty4j.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ngx.fetch}'s response headers in JavaScript (the seeds only read its status and body): found in any
 * case, a header sent more than once joined with ", " as the Fetch API's {@code Headers.get} does.
 */
class FetchHeadersJsTest {

    @TempDir
    Path tmp;

    @Test
    void headersAreFoundInAnyCaseAndRepeatedOnesJoined() throws Exception {
        Vertx vertx = Vertx.vertx();
        Path conf = tmp.resolve("fetch.conf");
        Files.writeString(conf, """
                http {
                server {
                location /t {
                content_by_js_block {
                const res = await ngx.fetch("http://svc/h")
                ngx.say(res.status, " ", res.headers.get("content-type"), " ", res.headers.get("X-MULTI"), " ",
                        res.headers.get("x-absent"), " ", res.headers.has("X-Multi"))
                }
                }
                }
                }
                """);
        try (Backend svc = Backend.start(vertx, req -> {
                    req.response().headers().add("Content-Type", "text/plain").add("X-Multi", "a").add("x-multi", "b");
                    req.response().end("ok");
                });
             SeedServer s = SeedServer.serve(conf, new Wrapper().host("svc", svc.address()), tmp)) {
            HttpResponse<String> r = s.get("/t");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("200 text/plain a, b null true\n");
        } finally {
            vertx.close().await();
        }
    }
}
