package dev.resty4j.host.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Vert.x host's client_max_body_size refusal, for declared and chunked bodies, over a real socket. */
class VertxHostBodyLimitTest {

    private Resty resty;
    private HttpServer server;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        resty = Resty.builder().workers(1).clientMaxBodySize(16)
                .location("/", l -> l.contentByLua("ngx.req.read_body() ngx.say(#(ngx.req.get_body_data() or ''))"))
                .location("/upload", l -> l.clientMaxBodySize(1024)
                        .contentByLua("ngx.req.read_body() ngx.say(#(ngx.req.get_body_data() or ''))"))
                .build();
        server = resty.vertx().createHttpServer().requestHandler(resty.handler()).listen(0, "127.0.0.1").await();
        client = resty.vertx().createHttpClient();
    }

    @AfterEach
    void stop() {
        client.close().await();
        server.close().await();
        resty.close();
    }

    @Test
    void declaredLength() {
        assertThat(post("/", 16, false)).isEqualTo("200 16\n");
        assertThat(post("/", 17, false)).startsWith("413 <html>");
        // The location's own limit applies, even above the http-level one.
        assertThat(post("/upload", 1000, false)).isEqualTo("200 1000\n");
        assertThat(post("/upload", 1025, false)).startsWith("413 <html>");
    }

    @Test
    void chunked() {
        assertThat(post("/", 16, true)).isEqualTo("200 16\n");
        assertThat(post("/", 17, true)).startsWith("413 <html>");
        assertThat(post("/upload", 1000, true)).isEqualTo("200 1000\n");
    }

    private String post(String uri, int bytes, boolean chunked) {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
                .setPort(server.actualPort()).setURI(uri);
        return client.request(o).compose(req -> {
            req.setChunked(chunked);
            return req.send(Buffer.buffer("x".repeat(bytes)));
        }).compose(resp -> resp.body().map(b -> resp.statusCode() + " " + b))
                // a lost response fails the test instead of hanging the suite
                .timeout(10, java.util.concurrent.TimeUnit.SECONDS).await();
    }
}
