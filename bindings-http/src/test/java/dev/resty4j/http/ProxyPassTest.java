package dev.resty4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.core.log.LogRecord;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** proxy_pass and upstream blocks, with real backends on loopback and resty4j behind the Vert.x host. */
class ProxyPassTest {

    static Vertx vertx;
    static Backend one;
    static Backend two;
    static Backend silent;

    /** Each backend answers with its name, the method, the URI and the headers it got, then the body. */
    private static Backend echo(String name) {
        return Backend.start(vertx, req -> req.body().onSuccess(body -> {
            StringBuilder sb = new StringBuilder(name).append(' ').append(req.method()).append(' ').append(req.uri()).append('\n');
            req.headers().forEach(h -> sb.append(h.getKey().toLowerCase()).append(": ").append(h.getValue()).append('\n'));
            sb.append('\n').append(body);
            req.response().putHeader("X-Backend", name).putHeader("Server", "backend-server").end(sb.toString());
        }));
    }

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        one = echo("one");
        two = echo("two");
        silent = Backend.start(vertx, req -> { }); // never answers
    }

    @AfterAll
    static void stop() {
        one.close();
        two.close();
        silent.close();
        vertx.close().await();
    }

    private static RestyServer server(String config) throws Exception {
        return new RestyServer(vertx, config, b -> { });
    }

    @Test
    void proxiesToAnUpstreamWithScriptHeadersAndNginxHeaderRules() throws Exception {
        try (RestyServer s = server("""
                upstream backend { server %s; }
                server {
                    location /api/ {
                        access_by_lua_block {
                            ngx.req.set_header("X-User-Id", "42")
                            ngx.req.clear_header("X-Secret")
                        }
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Real-IP $remote_addr;
                        proxy_set_header X-Empty "";
                        proxy_pass http://backend;
                    }
                }
                """.formatted(one.address()))) {
            HttpResponse<String> r = s.get("/api/items?id=1", "X-Secret", "s", "X-Forwarded-For", "10.1.1.1", "X-Empty", "e");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Backend")).hasValue("one");
            assertThat(r.headers().firstValue("Server")).hasValue("resty4j");
            String body = r.body();
            assertThat(body).startsWith("one GET /api/items?id=1\n");
            assertThat(body).contains("host: backend\n", "x-user-id: 42\n", "x-forwarded-for: 10.1.1.1, 127.0.0.1\n",
                    "x-real-ip: 127.0.0.1\n");
            assertThat(body).doesNotContain("x-secret", "x-empty");
        }
    }

    @Test
    void uriRulesWithAndWithoutAUriPart() throws Exception {
        try (RestyServer s = server("""
                server {
                    location /api/ { proxy_pass http://%1$s/v1/; }
                    location /raw/ { proxy_pass http://%1$s; }
                    location /moved/ {
                        rewrite_by_lua_block { ngx.req.set_uri("/elsewhere/x") }
                        proxy_pass http://%1$s;
                    }
                }
                """.formatted(one.address()))) {
            assertThat(firstLine(s.get("/api/a/b?q=1"))).isEqualTo("one GET /v1/a/b?q=1");
            assertThat(firstLine(s.get("/raw/a%20b/../c?q=%41"))).isEqualTo("one GET /raw/a%20b/../c?q=%41");
            assertThat(firstLine(s.get("/moved/y?k=v"))).isEqualTo("one GET /elsewhere/x?k=v");
            assertThat(s.get("/api/").body()).contains("host: " + one.address() + "\n");
        }
    }

    @Test
    void roundRobinFollowsWeights() throws Exception {
        try (RestyServer s = server("""
                upstream pool { server %s weight=2; server %s; }
                server { location / { proxy_pass http://pool; } }
                """.formatted(one.address(), two.address()))) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                seen.add(s.get("/").headers().firstValue("X-Backend").orElse("?"));
            }
            assertThat(Collections.frequency(seen, "one")).isEqualTo(4);
            assertThat(Collections.frequency(seen, "two")).isEqualTo(2);
            // smooth weighted round robin interleaves: never three in a row of the heavier server
            assertThat(String.join(",", seen)).doesNotContain("one,one,one");
        }
    }

    @Test
    void failedServersAreSkippedUntilFailTimeout() throws Exception {
        int closed = Backend.closedPort(vertx);
        List<LogRecord> logs = Collections.synchronizedList(new ArrayList<>());
        try (RestyServer s = new RestyServer(vertx, """
                upstream pool { server 127.0.0.1:%d max_fails=1 fail_timeout=60s; server %s; }
                server { location / { proxy_pass http://pool; } }
                """.formatted(closed, two.address()), b -> b.logSink(logs::add).logLevel(dev.resty4j.core.log.LogLevel.WARN))) {
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> r = s.get("/");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("X-Backend")).hasValue("two");
            }
            // the dead server was tried once, then left alone for fail_timeout
            assertThat(logs.stream().filter(l -> l.message().contains("connect() failed (111: Connection refused)")).count())
                    .isEqualTo(1);
            assertThat(logs).anyMatch(l -> l.message().contains("upstream server temporarily disabled"));
        }
    }

    @Test
    void backendFailuresGive502And504() throws Exception {
        int closed = Backend.closedPort(vertx);
        List<LogRecord> logs = Collections.synchronizedList(new ArrayList<>());
        try (RestyServer s = new RestyServer(vertx, """
                upstream dead { server 127.0.0.1:%1$d; server 127.0.0.1:%1$d; }
                server {
                    location /refused { proxy_pass http://127.0.0.1:%1$d; }
                    location /dead { proxy_pass http://dead; }
                    location /slow { proxy_read_timeout 300ms; proxy_pass http://%2$s; }
                }
                """.formatted(closed, silent.address()), b -> b.logSink(logs::add))) {
            HttpResponse<String> r = s.get("/refused");
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).contains("502 Bad Gateway");
            assertThat(s.get("/dead").statusCode()).isEqualTo(502);
            assertThat(s.get("/slow").statusCode()).isEqualTo(504);
            assertThat(logs).anyMatch(l -> l.message().startsWith(
                    "upstream timed out (110: Connection timed out) while reading response header from upstream"));
        }
    }

    @Test
    void requestBodiesAndMethodsPassThrough() throws Exception {
        try (RestyServer s = server("""
                server { location / { proxy_pass http://%s; } }
                """.formatted(one.address()))) {
            HttpResponse<String> r = s.post("/submit", "payload=1");
            assertThat(r.body()).startsWith("one POST /submit\n").contains("content-length: 9\n").endsWith("\n\npayload=1");
        }
    }

    @Test
    void headerAndBodyFiltersRunOnTheProxiedResponse() throws Exception {
        try (RestyServer s = server("""
                server {
                    location / {
                        proxy_pass http://%s;
                        header_filter_by_lua_block {
                            ngx.header["X-Filtered"] = ngx.header["X-Backend"] .. "-seen"
                            ngx.header.content_length = nil
                        }
                        body_filter_by_lua_block {
                            ngx.arg[1] = string.upper(ngx.arg[1])
                        }
                        log_by_lua_block { ngx.log(ngx.ERR, "logged status ", ngx.status) }
                    }
                }
                """.formatted(one.address()))) {
            HttpResponse<String> r = s.get("/x");
            assertThat(r.headers().firstValue("X-Filtered")).hasValue("one-seen");
            assertThat(r.body()).startsWith("ONE GET /X\n");
        }
    }

    private static String firstLine(HttpResponse<String> r) {
        String b = r.body();
        int nl = b.indexOf('\n');
        return nl < 0 ? b : b.substring(0, nl);
    }
}
