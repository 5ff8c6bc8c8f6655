package dev.resty4j.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resty4j.server.conformance.ConformanceCase.Request;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The raw client against a small Vert.x server that records what it received. */
class RawHttpClientTest {

    private static Vertx vertx;
    private static HttpServer server;
    private static int port;

    /** What the server saw last. */
    record Seen(String method, String uri, HttpVersion version, List<Map.Entry<String, String>> headers, byte[] body) {
        String header(String name) {
            return headers.stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }
    }

    private static final AtomicReference<Seen> SEEN = new AtomicReference<>();

    @BeforeAll
    static void startServer() throws Exception {
        TestCases.quietLogs();
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(RawHttpClientTest::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get();
        port = server.actualPort();
    }

    @AfterAll
    static void stopServer() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private static void handle(HttpServerRequest req) {
        req.body().onSuccess(body -> {
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            req.headers().forEach(e -> headers.add(Map.entry(e.getKey(), e.getValue())));
            SEEN.set(new Seen(req.method().name(), req.uri(), req.version(), headers, body.getBytes()));
            var resp = req.response();
            switch (req.path()) {
                case "/chunked" -> {
                    resp.setChunked(true);
                    resp.write("hello, ");
                    resp.write("chunked ");
                    resp.end("world\n");
                }
                case "/multi" -> {
                    resp.headers().add("Foo", "a").add("Foo", "b");
                    resp.end("multi\n");
                }
                case "/echo" -> resp.putHeader("Content-Type", "application/octet-stream").end(Buffer.buffer(body.getBytes()));
                case "/status" -> resp.setStatusCode(404).end("not here\n");
                default -> resp.putHeader("X-Path", req.path()).end("ok\n");
            }
        });
    }

    private static Request get(String uri, Map<String, String> headers) {
        return new Request("GET", uri, headers, null, null, null, false);
    }

    private static HttpResult send(Request r) throws IOException {
        return RawHttpClient.send("127.0.0.1", port, r, Duration.ofSeconds(5));
    }

    @Test
    void getWithTestNginxDefaults() throws IOException {
        HttpResult r = send(get("/t", Map.of()));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.version()).isEqualTo("HTTP/1.1");
        assertThat(r.bodyText()).isEqualTo("ok\n");
        assertThat(r.header("x-path")).isEqualTo("/t");
        assertThat(r.header("Content-Length")).isEqualTo("3");
        assertThat(r.truncated()).isFalse();
        Seen seen = SEEN.get();
        assertThat(seen.method()).isEqualTo("GET");
        assertThat(seen.header("Host")).isEqualTo("localhost");
        assertThat(seen.header("Connection")).isEqualTo("close");
        assertThat(seen.header("Content-Length")).isNull();
    }

    @Test
    void uriIsSentUnencodedAndExactly() throws IOException {
        send(get("/foo%2Fbar?a=%20b&c=[1]&d=%zz", Map.of()));
        assertThat(SEEN.get().uri()).isEqualTo("/foo%2Fbar?a=%20b&c=[1]&d=%zz");
    }

    @Test
    void headersOverrideDefaultsAndKeepTheirOrder() throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("host", "example.com");
        h.put("X-B", "2");
        h.put("X-A", "1");
        send(get("/t", h));
        Seen seen = SEEN.get();
        assertThat(seen.headers().stream().filter(e -> e.getKey().equalsIgnoreCase("host"))).hasSize(1);
        assertThat(seen.header("Host")).isEqualTo("example.com");
        assertThat(seen.headers().stream().map(Map.Entry::getKey).toList()).containsSubsequence("Connection", "X-B", "X-A");
    }

    @Test
    void encodeMatchesTestNginxLayout() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Foo", "bar");
        byte[] bytes = RawHttpClient.encode(new Request("POST", "/main", h, "hello", null, null, false));
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(
                "POST /main HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nFoo: bar\r\nContent-Length: 5\r\n\r\nhello");
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("Host", "localhost");
        raw.put("Content-Length", "5");
        assertThat(new String(RawHttpClient.encode(new Request("GET", "/t", raw, "hello", null, "HTTP/1.0", true)),
                StandardCharsets.UTF_8)).isEqualTo("GET /t HTTP/1.0\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello");
    }

    @Test
    void postBodyGetsContentLength() throws IOException {
        HttpResult r = send(new Request("POST", "/echo", Map.of(), "hello, world", null, null, false));
        assertThat(r.bodyText()).isEqualTo("hello, world");
        assertThat(SEEN.get().header("Content-Length")).isEqualTo("12");
    }

    @Test
    void binaryBodyFromBase64() throws IOException {
        String b64 = "aGVsbG8AAQIKd29ybGQDBP8=";
        HttpResult r = send(new Request("POST", "/echo", Map.of(), null, b64, null, false));
        assertThat(SEEN.get().body()).isEqualTo(Base64.getDecoder().decode(b64));
        assertThat(r.body()).isEqualTo(Base64.getDecoder().decode(b64));
    }

    @Test
    void chunkedResponseIsDecoded() throws IOException {
        HttpResult r = send(get("/chunked", Map.of()));
        assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(r.bodyText()).isEqualTo("hello, chunked world\n");
        assertThat(r.truncated()).isFalse();
    }

    @Test
    void repeatedHeadersAreKeptAndJoined() throws IOException {
        HttpResult r = send(get("/multi", Map.of()));
        assertThat(r.headerValues("FOO")).containsExactly("a", "b");
        assertThat(r.header("foo")).isEqualTo("a, b");
        assertThat(r.rawHead()).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nFoo: a\r\nFoo: b\r\n");
    }

    @Test
    void http10Request() throws IOException {
        HttpResult r = send(new Request("GET", "/t", Map.of(), null, null, "HTTP/1.0", false));
        assertThat(SEEN.get().version()).isEqualTo(HttpVersion.HTTP_1_0);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("ok\n");
    }

    @Test
    void headRequestHasNoBody() throws IOException {
        HttpResult r = send(new Request("HEAD", "/t", Map.of(), null, null, null, false));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void errorStatus() throws IOException {
        HttpResult r = send(get("/status", Map.of()));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.reason()).isEqualTo("Not Found");
        assertThat(r.bodyText()).isEqualTo("not here\n");
    }

    @Test
    void silentServerTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try (Socket s = silent.accept()) {
                    s.getInputStream(); // accept and read nothing, answer nothing
                    Thread.sleep(5_000);
                } catch (IOException | InterruptedException ignored) {
                    // test over
                }
            });
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> RawHttpClient.send("127.0.0.1", silent.getLocalPort(), get("/t", Map.of()),
                    Duration.ofMillis(300))).isInstanceOf(SocketTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            acceptor.interrupt();
        }
    }

    @Test
    void bodyUntilCloseAndTruncation() throws IOException {
        HttpResult untilClose = RawHttpClient.read(stream("HTTP/1.0 200 OK\r\nX: 1\r\n\r\nall of it"), false);
        assertThat(untilClose.bodyText()).isEqualTo("all of it");
        assertThat(untilClose.truncated()).isFalse();
        HttpResult shortCl = RawHttpClient.read(stream("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"), false);
        assertThat(shortCl.bodyText()).isEqualTo("abc");
        assertThat(shortCl.truncated()).isTrue();
        HttpResult shortChunked = RawHttpClient.read(
                stream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n5\r\nde"), false);
        assertThat(shortChunked.bodyText()).isEqualTo("abcde");
        assertThat(shortChunked.truncated()).isTrue();
        assertThatThrownBy(() -> RawHttpClient.read(stream(""), false)).isInstanceOf(EOFException.class);
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
