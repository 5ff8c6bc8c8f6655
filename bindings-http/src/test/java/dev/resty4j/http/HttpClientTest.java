package dev.resty4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** resty.http as Lua scripts use it, against real HTTP servers on loopback. */
class HttpClientTest {

    static Vertx vertx;
    static Backend backend;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        backend = Backend.start(vertx, req -> {
            switch (req.path()) {
                case "/hello" -> {
                    req.response().headers().add("Content-Type", "text/plain").add("X-Multi", "a").add("x-multi", "b");
                    req.response().end("hello world");
                }
                case "/echo" -> req.body().onSuccess(body -> {
                    StringBuilder sb = new StringBuilder();
                    sb.append(req.method()).append(' ').append(req.uri()).append('\n');
                    req.headers().forEach(h -> sb.append(h.getKey().toLowerCase()).append(": ").append(h.getValue()).append('\n'));
                    sb.append('\n').append(body.toString());
                    req.response().end(sb.toString());
                });
                case "/chunked" -> {
                    var resp = req.response().setChunked(true);
                    resp.write("aaaa");
                    vertx.setTimer(20, t -> {
                        resp.write("bbbbbb");
                        vertx.setTimer(20, t2 -> resp.end("cc"));
                    });
                }
                case "/close" -> req.response().putHeader("Connection", "close").end("bye");
                case "/status" -> req.response().setStatusCode(418).setStatusMessage("I'm a teapot").end("tea");
                case "/slow" -> vertx.setTimer(3000, t -> req.response().end("late"));
                case "/nobody" -> req.response().setStatusCode(204).end();
                case "/big" -> req.response().end(Buffer.buffer("x".repeat(100_000)));
                case "/trailers" -> {
                    var resp = req.response().setChunked(true);
                    resp.write("body");
                    resp.trailers().add("X-Checksum", "abc");
                    resp.end();
                }
                default -> req.response().setStatusCode(404).end("not found: " + req.path());
            }
        });
    }

    @AfterAll
    static void stop() {
        backend.close();
        vertx.close().await();
    }

    private static MockResponse run(String lua) throws Exception {
        return run(lua, b -> { });
    }

    private static MockResponse run(String lua, Consumer<Resty.Builder> config) throws Exception {
        Resty.Builder b = Resty.builder().workers(1).location("/t", l -> l.contentByLua(lua));
        RestyHttp.mapHost(b, "svc.test", backend.address());
        config.accept(b);
        try (RestyTester t = RestyTester.of(b)) {
            return t.get("/t").run();
        }
    }

    @Test
    void requestUriReturnsStatusReasonHeadersAndBody() throws Exception {
        MockResponse r = run("""
                local http = require "resty.http"
                local httpc = http.new()
                local res, err = httpc:request_uri("http://127.0.0.1:%d/hello")
                ngx.say(res.status, " ", res.reason, " ", res.has_body)
                ngx.say(res.headers["content-type"], " ", res.headers["Content-Type"], " ", res.headers["CONTENT-LENGTH"])
                ngx.say(type(res.headers["x-multi"]), " ", table.concat(res.headers["x-multi"], ","))
                local names = {}
                for k in pairs(res.headers) do
                    if k:lower() == "x-multi" then names[#names + 1] = k end
                end
                res.headers["X-MULTI"] = "c"
                res.headers["X-New"] = "d"
                ngx.say(table.concat(names, ","), " ", res.headers["X-Multi"], " ", res.headers["x-new"], " ", rawget(res.headers, "X-New"))
                ngx.say(res.body)
                """.formatted(backend.port()));
        // one entry per name, under the spelling it first came in; any spelling reads and writes it
        assertThat(r.body()).isEqualTo("200 OK true\ntext/plain text/plain 11\ntable a,b\nX-Multi c d d\nhello world\n");
    }

    @Test
    void requestUriSendsMethodHeadersQueryAndBodyAsLuaRestyHttp() throws Exception {
        MockResponse r = run("""
                local http = require "resty.http"
                local res = http.new():request_uri("http://svc.test/echo?x=1", {
                    method = "post",
                    body = "a=1&b=2",
                    headers = { ["Content-Type"] = "application/x-www-form-urlencoded", ["X-Num"] = 42, ["X-List"] = {"p", "q"} },
                })
                ngx.print(res.body)
                """);
        String body = r.body();
        assertThat(body).startsWith("POST /echo?x=1\n");
        assertThat(body).contains("content-type: application/x-www-form-urlencoded\n", "x-num: 42\n",
                "x-list: p\n", "x-list: q\n", "content-length: 7\n", "user-agent: lua-resty-http/0.17.2 (Lua) ngx_lua/10026\n");
        // a static host mapping changes where we connect, not the Host the server sees
        assertThat(body).contains("host: svc.test\n").doesNotContain("host: 127.0.0.1");
        assertThat(body).endsWith("\n\na=1&b=2");
    }

    @Test
    void queryTablesAreEncodedAndOverrideTheUrl() throws Exception {
        MockResponse r = run("""
                local res = require("resty.http").new():request_uri("http://svc.test/echo?old=1", {
                    query = { a = "b c" }, path = "/echo",
                })
                ngx.print((res.body:match("^[^\\n]+")))
                """);
        assertThat(r.body()).isEqualTo("GET /echo?a=b%20c");
    }

    @Test
    void nonStandardStatusAndBodylessResponses() throws Exception {
        MockResponse r = run("""
                local httpc = require("resty.http").new()
                local res = httpc:request_uri("http://svc.test/status")
                ngx.say(res.status, " ", res.reason, " ", res.body)
                res = httpc:request_uri("http://svc.test/nobody")
                ngx.say(res.status, " ", res.has_body, " [", res.body, "]")
                res = httpc:request_uri("http://svc.test/hello", { method = "HEAD" })
                ngx.say(res.status, " ", res.has_body, " [", res.body, "]")
                """);
        assertThat(r.body()).isEqualTo("418 I'm a teapot tea\n204 false []\n200 false []\n");
    }

    @Test
    void errorsComeBackAsNilAndLuaRestyHttpMessages() throws Exception {
        int closed = Backend.closedPort(vertx);
        MockResponse r = run("""
                local http = require "resty.http"
                local httpc = http.new()
                local res, err = httpc:request_uri("http://127.0.0.1:%d/")
                ngx.say(res, " ", err)
                httpc:set_timeout(200)
                res, err = httpc:request_uri("http://svc.test/slow")
                ngx.say(res, " ", err)
                res, err = httpc:request_uri("ftp://svc.test/")
                ngx.say(res, " ", err)
                """.formatted(closed));
        assertThat(r.body()).isEqualTo("nil connection refused\nnil timeout\nnil bad uri: ftp://svc.test/\n");
    }

    @Test
    void namesWithoutMappingGoToTheSystemResolver() throws Exception {
        MockResponse r = run("""
                local res, err = require("resty.http").new():request_uri("http://localhost:%d/hello")
                ngx.say(res and res.body, " ", err)
                """.formatted(backend.port()));
        assertThat(r.body()).isEqualTo("hello world nil\n");
    }

    @Test
    void keepaliveReusesTheConnectionOfThePool() throws Exception {
        int before = backend.connections.get();
        MockResponse r = run("""
                local http = require "resty.http"
                for i = 1, 3 do
                    local httpc = http.new()
                    local ok, err = httpc:connect{ scheme = "http", host = "svc.test" }
                    ngx.say("reused ", httpc:get_reused_times())
                    local res = httpc:request{ path = "/hello" }
                    local body = res:read_body()
                    ngx.say(body, " ", httpc:set_keepalive())
                end
                """);
        assertThat(r.body()).isEqualTo("reused 0\nhello world 1\nreused 1\nhello world 1\nreused 2\nhello world 1\n");
        assertThat(backend.connections.get() - before).isEqualTo(1);
    }

    @Test
    void connectionCloseFromTheServerForbidsKeepalive() throws Exception {
        MockResponse r = run("""
                local httpc = require("resty.http").new()
                httpc:connect{ scheme = "http", host = "svc.test" }
                local res = httpc:request{ path = "/close" }
                ngx.say(res:read_body())
                ngx.say(httpc:set_keepalive())
                ngx.say(httpc:close())
                """);
        assertThat(r.body()).isEqualTo("bye\n2connection must be closed\nnilclosed\n");
    }

    @Test
    void bodyReaderStreamsInChunksOfTheRequestedSize() throws Exception {
        MockResponse r = run("""
                local httpc = require("resty.http").new()
                assert(httpc:connect("127.0.0.1", %d))
                local res = assert(httpc:request{ path = "/big" })
                local n, sizes = 0, {}
                repeat
                    local chunk, err = res.body_reader(40000)
                    if chunk then n = n + 1; sizes[n] = #chunk end
                until not chunk
                ngx.say(table.concat(sizes, ","))
                res = assert(httpc:request{ path = "/chunked" })
                local parts = {}
                repeat
                    local chunk = res.body_reader(4)
                    if chunk then parts[#parts + 1] = chunk end
                until not chunk
                ngx.say(table.concat(parts))
                for _, p in ipairs(parts) do assert(#p <= 4) end
                ngx.say(httpc:set_keepalive())
                """.formatted(backend.port()));
        assertThat(r.body()).isEqualTo("40000,40000,20000\naaaabbbbbbcc\n1\n");
    }

    @Test
    void setKeepaliveRefusesWhileTheBodyIsUnread() throws Exception {
        MockResponse r = run("""
                local httpc = require("resty.http").new()
                httpc:connect{ scheme = "http", host = "svc.test" }
                local res = httpc:request{ path = "/big" }
                ngx.say(httpc:set_keepalive())
                ngx.say(#res:read_body())
                ngx.say(httpc:set_keepalive())
                """);
        assertThat(r.body()).isEqualTo("nilunread data in buffer\n100000\n1\n");
    }

    @Test
    void requestPipelineReadsResponsesInOrder() throws Exception {
        MockResponse r = run("""
                local httpc = require("resty.http").new()
                httpc:connect{ scheme = "http", host = "svc.test" }
                local responses = httpc:request_pipeline{ { path = "/hello" }, { path = "/status" }, { path = "/echo", method = "PUT", body = "zz" } }
                for i, res in ipairs(responses) do
                    ngx.say(i, " ", res.status, " ", (res:read_body():gsub("\\n.*", "")))
                end
                """);
        assertThat(r.body()).isEqualTo("1 200 hello world\n2 418 tea\n3 200 PUT /echo\n");
    }

    @Test
    void parseUri() throws Exception {
        MockResponse r = run("""
                local httpc = require("resty.http").new()
                local function show(t) ngx.say(t[1], " ", t[2], " ", t[3], " ", t[4], " ", tostring(t[5])) end
                show(httpc:parse_uri("http://example.com:8080/a/b?x=1"))
                show(httpc:parse_uri("https://example.com?x=1", false))
                show(httpc:parse_uri("//example.com/p"))
                ngx.say(httpc:parse_uri("example.com"))
                """);
        assertThat(r.body()).isEqualTo("http example.com 8080 /a/b?x=1 nil\nhttps example.com 443 / x=1\n"
                + "http example.com 80 /p \nnilbad uri: example.com\n");
    }

    @Test
    void streamedRequestBodyFromAnIterator() throws Exception {
        MockResponse r = run("""
                local httpc = require("resty.http").new()
                httpc:connect{ scheme = "http", host = "svc.test" }
                local parts = { "one,", "two,", "three" }
                local i = 0
                local res = assert(httpc:request{ method = "POST", path = "/echo",
                    headers = { ["Transfer-Encoding"] = "chunked" },
                    body = function() i = i + 1 return parts[i] end })
                local body = res:read_body()
                ngx.say(body:match("\\n\\n(.*)$"))
                local ok, err = httpc:request{ method = "POST", path = "/echo", body = function() return nil end }
                ngx.say(ok, " ", err)
                """);
        assertThat(r.body()).isEqualTo("one,two,three\nnil Request body is a function but a length or chunked encoding is not specified\n");
    }

    @Test
    void trailersMergeUnderTheHeaders() throws Exception {
        MockResponse r = run("""
                local httpc = require("resty.http").new()
                httpc:connect{ scheme = "http", host = "svc.test" }
                local res = httpc:request{ path = "/trailers" }
                ngx.say(res:read_body(), " ", res.headers["X-Checksum"])
                res:read_trailers()
                ngx.say(res.headers["x-checksum"])
                """);
        assertThat(r.body()).isEqualTo("body nil\nabc\n");
    }

    @Test
    void proxyRequestAndProxyResponseRelayTheCurrentRequest() throws Exception {
        Resty.Builder b = Resty.builder().workers(1).location("/echo", l -> l.contentByLua("""
                local httpc = require("resty.http").new()
                assert(httpc:connect{ scheme = "http", host = "svc.test" })
                httpc:proxy_response(httpc:proxy_request())
                httpc:set_keepalive()
                """));
        RestyHttp.mapHost(b, "svc.test", backend.address());
        try (RestyTester t = RestyTester.of(b)) {
            MockResponse r = t.request("POST", "/echo?a=1").header("X-Client", "c1").body("payload").run();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).startsWith("POST /echo?a=1\n").contains("x-client: c1\n").endsWith("\n\npayload");
        }
    }

    @Test
    void connectionsLeftOpenCloseWhenTheRequestEnds() throws Exception {
        Resty.Builder b = Resty.builder().workers(1).location("/t", l -> l.contentByLua("""
                local httpc = require("resty.http").new()
                httpc:connect{ scheme = "http", host = "svc.test", pool = "left-open" }
                ngx.say(httpc:request{ path = "/hello" }:read_body())
                """));
        RestyHttp.mapHost(b, "svc.test", backend.address());
        try (RestyTester t = RestyTester.of(b)) {
            int before = backend.openConnections.get();
            assertThat(t.get("/t").run().body()).isEqualTo("hello world\n");
            // the instance is still up: only the end of the request can have closed the connection
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (backend.openConnections.get() > before && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(backend.openConnections.get()).isEqualTo(before);
        }
    }

    @Test
    void operationsOnAClosedObjectSayClosed() throws Exception {
        MockResponse r = run("""
                local httpc = require("resty.http").new()
                ngx.say(httpc:request{ path = "/" })
                ngx.say(httpc:close())
                ngx.say(httpc:connect{ host = "svc.test", port = 80 })
                """);
        assertThat(r.body()).isEqualTo("nilclosed\nnilclosed\nnil'scheme' is required when providing a port\n");
    }
}
