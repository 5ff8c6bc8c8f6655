package dev.resty4j.host.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testsupport.OneLoopHttpClient;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Vert.x host's client_max_body_size refusal, for declared and chunked bodies, over a real socket. */
class VertxHostBodyLimitTest {

    private Resty resty;
    private HttpServer server;
    private OneLoopHttpClient client;

    @BeforeEach
    void start() throws Exception {
        resty = Resty.builder().workers(1).clientMaxBodySize(16)
                .location("/", l -> l.contentByLua("ngx.req.read_body() ngx.say(#(ngx.req.get_body_data() or ''))"))
                .location("/upload", l -> l.clientMaxBodySize(1024)
                        .contentByLua("ngx.req.read_body() ngx.say(#(ngx.req.get_body_data() or ''))"))
                .build();
        server = resty.vertx().createHttpServer().requestHandler(resty.handler()).listen(0, "127.0.0.1").await();
        client = new OneLoopHttpClient(resty.vertx());
    }

    @AfterEach
    void stop() {
        client.close();
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

    @Test
    void aRefusedBodyIsReadAndDroppedBeforeTheConnectionCloses() throws Exception {
        // as nginx's lingering close: closing at once while the client still sends would answer its body
        // with a reset, which can destroy the 413 before the client reads it
        try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            while (!got.toString(StandardCharsets.ISO_8859_1).contains("</html>")) {
                int b = in.read();
                assertThat(b).as("response so far: %s", got).isNotEqualTo(-1);
                got.write(b);
            }
            assertThat(got.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 413")
                    .containsIgnoringCase("connection: close");
            out.write(new byte[200_000]); // the body the client had announced, after the refusal
            out.flush();
            while (in.read() != -1) {
                // the rest of the page; then the server's close: an end of stream, not a reset
            }
        }
    }

    private String post(String uri, int bytes, boolean chunked) {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
                .setPort(server.actualPort()).setURI(uri);
        return client.call(c -> c.request(o).compose(req -> {
            req.setChunked(chunked);
            return req.send(Buffer.buffer("x".repeat(bytes)));
        }).compose(resp -> resp.body().map(b -> resp.statusCode() + " " + b)))
                .timeout(10, java.util.concurrent.TimeUnit.SECONDS) // a lost response fails the test, naming it
                .recover(t -> Future.failedFuture(new AssertionError(uri + ": " + t, t)))
                .await();
    }
}
