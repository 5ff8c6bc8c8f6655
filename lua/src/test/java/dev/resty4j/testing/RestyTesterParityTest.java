package dev.resty4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testsupport.OneLoopHttpClient;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The same requests through the in-process tester and through a real Vert.x server on loopback give the
 * same status, body and headers: the mock context is only worth having if it behaves like the host.
 */
class RestyTesterParityTest {

    /** One request: method, target, optional body, optional extra header. */
    record Req(String method, String target, String body, String headerName, String headerValue) {
        static Req get(String target) {
            return new Req("GET", target, null, null, null);
        }
    }

    /** What a client saw: header names lower-cased (HTTP names are case-insensitive), values in order. */
    record Seen(int status, Map<String, List<String>> headers, String body) {}

    private static final List<Req> REQUESTS = List.of(
            new Req("GET", "/hello?name=ann", null, "X-Trace", "t-1"),
            Req.get("/admin"),
            Req.get("/counter"),
            Req.get("/counter"),
            new Req("POST", "/echo", "ping body", "Content-Type", "text/plain"),
            Req.get("/log?x=7"),
            Req.get("/missing"),
            Req.get("/err"),
            Req.get("/stream"),
            Req.get("/noserver"),
            new Req("POST", "/echo", "y".repeat(100), null, null));

    /** Two instances built from this are identical, so shared-dict state evolves the same way in both. */
    private static Resty.Builder config() {
        return Resty.builder().workers(2).sharedDict("state", "1m").clientMaxBodySize(64)
                .location("/hello", l -> l.contentByLua("""
                        ngx.header['X-Greeting'] = 'hi'
                        ngx.header['X-Trace'] = ngx.var.http_x_trace
                        ngx.say('hello, ', ngx.var.arg_name)
                        """))
                .location("/noserver", l -> l.headerFilterByLua("ngx.header['Server'] = nil").contentByLua("ngx.say('x')"))
                .location("/admin", l -> l
                        .accessByLua("ngx.header['Retry-After'] = '30' return ngx.exit(403)")
                        .contentByLua("ngx.say('unreachable')"))
                .location("/counter", l -> l.contentByLua("""
                        ngx.header.content_type = 'application/json'
                        ngx.print('{"n":', ngx.shared.state:incr('n', 1, 0), '}')
                        """))
                .location("/echo", l -> l.contentByLua("""
                        ngx.req.read_body()
                        local body = ngx.req.get_body_data()
                        ngx.header['X-Body-Length'] = #body
                        ngx.header['X-Request-Type'] = ngx.var.content_type
                        ngx.say(body:upper())
                        """))
                .location("/log", l -> l.contentByLua("ngx.log(ngx.ERR, 'x is ', ngx.var.arg_x) ngx.say('logged')"))
                .location("/err", l -> l.contentByLua("error('deliberate')"))
                .location("/stream", l -> l.contentByLua("ngx.say('a') ngx.flush(true) ngx.say('b') ngx.flush(true) ngx.say('c')"));
    }

    @Test
    void testerAndVertxServerAgree() throws Exception {
        List<Seen> viaTester = new ArrayList<>();
        try (RestyTester t = RestyTester.of(config())) {
            for (Req r : REQUESTS) {
                MockRequest m = t.request(r.method(), r.target());
                if (r.headerName() != null) {
                    m.header(r.headerName(), r.headerValue());
                }
                if (r.body() != null) {
                    m.body(r.body());
                }
                MockResponse resp = m.run();
                viaTester.add(new Seen(resp.status(), lowerCased(resp.headers()), resp.body()));
            }
        }

        List<Seen> viaServer = new ArrayList<>();
        try (Resty resty = config().build()) {
            HttpServer server = resty.vertx().createHttpServer().requestHandler(resty.handler()).listen(0, "127.0.0.1").await();
            try (OneLoopHttpClient client = new OneLoopHttpClient(resty.vertx())) {
                for (Req r : REQUESTS) {
                    RequestOptions o = new RequestOptions().setMethod(HttpMethod.valueOf(r.method()))
                            .setHost("127.0.0.1").setPort(server.actualPort()).setURI(r.target());
                    if (r.headerName() != null) {
                        o.addHeader(r.headerName(), r.headerValue());
                    }
                    viaServer.add(client.call(c -> c.request(o)
                            .compose(req -> r.body() == null ? req.send() : req.send(Buffer.buffer(r.body())))
                            .compose(resp -> resp.body().map(b -> {
                                Map<String, List<String>> h = new TreeMap<>();
                                resp.headers().forEach(e -> h.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT),
                                        k -> new ArrayList<>()).add(e.getValue()));
                                return new Seen(resp.statusCode(), h, b.toString(StandardCharsets.UTF_8));
                            })))
                            .timeout(10, TimeUnit.SECONDS) // a lost response fails the test, naming the request
                            .recover(t -> Future.failedFuture(new AssertionError(r.method() + " " + r.target() + ": " + t, t)))
                            .await());
                }
            } finally {
                server.close().await();
            }
        }

        assertThat(viaTester).hasSameSizeAs(REQUESTS);
        for (int i = 0; i < REQUESTS.size(); i++) {
            assertThat(viaTester.get(i)).as("%s %s", REQUESTS.get(i).method(), REQUESTS.get(i).target())
                    .isEqualTo(viaServer.get(i));
        }
        // The mix covers what it claims to cover.
        assertThat(viaServer).extracting(Seen::status).containsExactly(200, 403, 200, 200, 200, 200, 404, 500, 200, 200, 413);
        assertThat(viaServer.get(9).headers()).doesNotContainKey("server");
        assertThat(viaServer.get(0).headers()).containsEntry("server", List.of("resty4j"));
        assertThat(viaServer.get(3).body()).isEqualTo("{\"n\":2}");
        assertThat(viaServer.get(4).headers()).containsEntry("x-body-length", List.of("9"));
        assertThat(viaServer.get(8).headers()).containsEntry("transfer-encoding", List.of("chunked"));
    }

    private static Map<String, List<String>> lowerCased(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new TreeMap<>();
        headers.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }
}
