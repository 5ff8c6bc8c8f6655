package dev.resty4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resty4j.Resty;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.log.LogRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The in-process request context, driving Lua scripts. */
class RestyTesterTest {

    @Test
    void contentByLuaGivesStatusHeadersAndBody() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().workers(2)
                .location("/t", l -> l.contentByLua("""
                        ngx.status = 201
                        ngx.header.content_type = 'application/json'
                        ngx.header['X-Echo'] = ngx.var.http_x_foo
                        ngx.header['Set-Cookie'] = {'a=1', 'b=2'}
                        ngx.say('{"a":', ngx.var.arg_a, ',"host":"', ngx.var.host, '"}')
                        """)))) {
            MockResponse r = t.request("GET", "/t?a=1").header("X-Foo", "bar").run();

            assertThat(r.status()).isEqualTo(201);
            assertThat(r.header("content-type")).isEqualTo("application/json");
            assertThat(r.header("X-Echo")).isEqualTo("bar");
            assertThat(r.headers("Set-Cookie")).containsExactly("a=1", "b=2");
            assertThat(r.headers()).containsEntry("content-length", List.of("27"));
            assertThat(r.header("Server")).isEqualTo("resty4j");
            assertThat(r.body()).isEqualTo("{\"a\":1,\"host\":\"localhost\"}\n");
            assertThat(r.bodyBytes()).hasSize(27);
            assertThat(r.chunked()).isFalse();
            assertThat(r.logs()).isEmpty();
        }
    }

    @Test
    void serverHeaderIsAddedUnlessAScriptOrMoreClearHeadersRemovedIt() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder()
                .location("= /default", l -> l.contentByLua("ngx.say('x')"))
                .location("= /filtered", l -> l.headerFilterByLua("ngx.header['Server'] = nil").contentByLua("ngx.say('x')"))
                .location("= /cleared", l -> l.clearHeader("Server").contentByLua("ngx.say('x')"))
                .location("= /own", l -> l.contentByLua("ngx.header.server = 'edge' ngx.say('x')")))) {
            assertThat(t.get("/default").run().header("Server")).isEqualTo("resty4j");
            assertThat(t.get("/filtered").run().header("Server")).isNull();
            assertThat(t.get("/cleared").run().header("Server")).isNull();
            assertThat(t.get("/own").run().header("Server")).isEqualTo("edge");
        }
    }

    @Test
    void unknownLocationIs404() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("= /only", l -> l.contentByLua("ngx.say('x')")))) {
            MockResponse r = t.get("/other").run();
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("Content-Type")).isEqualTo("text/html");
            assertThat(r.body()).contains("404 Not Found");
        }
    }

    @Test
    void exitInAccessPhaseSkipsContent() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder()
                .location("/admin", l -> l
                        .accessByLua("""
                                if ngx.var.remote_addr ~= '10.0.0.1' then
                                    ngx.header['Retry-After'] = '60'
                                    return ngx.exit(ngx.HTTP_FORBIDDEN)
                                end
                                """)
                        .contentByLua("ngx.say('welcome ', ngx.var.remote_addr)")))) {
            MockResponse denied = t.get("/admin").run();
            assertThat(denied.status()).isEqualTo(403);
            assertThat(denied.header("Retry-After")).isEqualTo("60");
            assertThat(denied.body()).contains("<title>403 Forbidden</title>").doesNotContain("welcome");

            MockResponse allowed = t.get("/admin").remoteAddr("10.0.0.1").run();
            assertThat(allowed.status()).isEqualTo(200);
            assertThat(allowed.body()).isEqualTo("welcome 10.0.0.1\n");
        }
    }

    @Test
    void exit444DropsTheConnection() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.accessByLua("ngx.exit(444)")))) {
            MockResponse r = t.get("/t").run();
            assertThat(r.aborted()).isTrue();
            assertThat(r.status()).isZero();
            assertThat(r.bodyBytes()).isEmpty();
        }
    }

    @Test
    void sharedDictStateIsVisibleToTheTest() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().workers(2).sharedDict("dogs", "1m")
                .location("/hit", l -> l.contentByLua("""
                        local n = ngx.shared.dogs:incr('hits', 1, 0)
                        ngx.say(ngx.shared.dogs:get('greeting') or 'none', ' ', n)
                        """)))) {
            assertThat(t.get("/hit").run().body()).isEqualTo("none 1\n");
            t.sharedDict("dogs").set("greeting", "woof", 0, 0);
            assertThat(t.get("/hit").run().body()).isEqualTo("woof 2\n");
            t.get("/hit").run();

            assertThat(t.sharedDict("dogs").get("hits").value()).isEqualTo(3.0);
            assertThatThrownBy(() -> t.sharedDict("cats")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("dogs");
        }
    }

    @Test
    void logLinesAreCapturedPerRequest() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().logLevel(LogLevel.WARN)
                .initByLua("ngx.log(ngx.WARN, 'init ran')")
                .location("/t", l -> l
                        .contentByLua("""
                                ngx.log(ngx.ERR, 'boom ', ngx.var.arg_x)
                                ngx.log(ngx.INFO, 'below the level')
                                ngx.say('ok')
                                """)
                        .logByLua("ngx.log(ngx.WARN, 'logged ', ngx.var.status)")))) {
            MockResponse first = t.get("/t?x=1").run();
            MockResponse second = t.get("/t?x=2").run();

            // The log phase runs after the response went out; run() waits for it too.
            assertThat(first.logs()).extracting(LogRecord::level).containsExactly(LogLevel.ERR, LogLevel.WARN);
            assertThat(first.logs().get(0).message()).endsWith("boom 1");
            assertThat(first.logs().get(0).line()).contains("[error]").contains("*" + first.requestId())
                    .contains("request: \"GET /t?x=1 HTTP/1.1\"");
            assertThat(first.logs().get(1).message()).endsWith("logged 200");
            assertThat(second.logs()).extracting(LogRecord::message).anyMatch(m -> m.endsWith("boom 2"))
                    .noneMatch(m -> m.endsWith("boom 1"));
            assertThat(first.logs()).allMatch(rec -> rec.requestId() == first.requestId());

            // The tester saw everything from the start, init_by_lua included (once per worker VM).
            assertThat(t.logs()).extracting(LogRecord::message)
                    .anyMatch(m -> m.endsWith("init ran"))
                    .anyMatch(m -> m.endsWith("boom 1"))
                    .anyMatch(m -> m.endsWith("boom 2"))
                    .noneMatch(m -> m.contains("below the level"));
            t.clearLogs();
            assertThat(t.logs()).isEmpty();
            assertThat(first.logs()).hasSize(2);
        }
    }

    @Test
    void scriptErrorGives500AndALogLine() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/err", l -> l.contentByLua("local x = nil\nx.y = 1")))) {
            MockResponse r = t.get("/err").run();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.logs()).singleElement().satisfies(rec -> {
                assertThat(rec.level()).isEqualTo(LogLevel.ERR);
                assertThat(rec.message()).contains("entry thread aborted").contains("content_by_lua:2:");
            });
        }
    }

    @Test
    void fakeClockDrivesShardDictExpiryAndNgxNow() throws Exception {
        try (RestyTester t = RestyTester.builder(Resty.builder().sharedDict("cache", "1m")
                        .location("/set", l -> l.contentByLua("ngx.shared.cache:set('k', 'v', 10) ngx.say('stored')"))
                        .location("/get", l -> l.contentByLua("ngx.say(ngx.shared.cache:get('k') or 'nil')"))
                        .location("/now", l -> l.contentByLua("ngx.say(ngx.now(), ' ', ngx.time(), ' ', ngx.req.start_time())")))
                .withFakeClock()
                .build()) {
            assertThat(t.get("/now").run().body()).isEqualTo("1700000000 1700000000 1700000000\n");

            t.get("/set").run();
            t.clock().advance(Duration.ofSeconds(9));
            assertThat(t.get("/get").run().body()).isEqualTo("v\n");
            assertThat(t.sharedDict("cache").ttl("k").ttl()).isEqualTo(1.0);

            t.clock().advance(Duration.ofSeconds(2)); // 11 s after the set
            assertThat(t.get("/get").run().body()).isEqualTo("nil\n");
            assertThat(t.sharedDict("cache").get("k")).isNull();
            assertThat(t.get("/now").run().body()).isEqualTo("1700000011 1700000011 1700000011\n");

            t.clock().advance(Duration.ofMillis(500));
            assertThat(t.get("/now").run().body()).startsWith("1700000011.5 ");
        }
    }

    @Test
    void fakeClockOfAnInstanceBuiltElsewhere() throws Exception {
        FakeClock clock = FakeClock.startingAt(java.time.Instant.parse("2030-01-01T00:00:00Z"));
        try (Resty resty = Resty.builder().clock(clock).location("/now", l -> l.contentByLua("ngx.say(ngx.time())")).build()) {
            assertThatThrownBy(() -> RestyTester.builder(resty).withFakeClock().build())
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> RestyTester.builder(resty).withFakeClock(FakeClock.create()).build())
                    .isInstanceOf(IllegalArgumentException.class);
            try (RestyTester t = RestyTester.builder(resty).withFakeClock(clock).build()) {
                assertThat(t.get("/now").run().body()).isEqualTo("1893456000\n");
                t.clock().advance(Duration.ofSeconds(60));
                assertThat(t.get("/now").run().body()).isEqualTo("1893456060\n");
            }
            try (RestyTester t = RestyTester.of(resty)) {
                assertThatThrownBy(t::clock).isInstanceOf(IllegalStateException.class).hasMessageContaining("withFakeClock");
            }
            // Closing a tester of an instance it did not build leaves the instance open.
            assertThat(resty.isClosed()).isFalse();
        }
    }

    @Test
    void requestBodyIsReadByTheScript() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder()
                .location("/echo", l -> l.contentByLua("""
                        ngx.req.read_body()
                        local data = ngx.req.get_body_data()
                        ngx.header['X-Len'] = ngx.var.content_length
                        ngx.say(ngx.req.get_method(), ' [', data, ']')
                        """))
                .location("/unread", l -> l.contentByLua("ngx.say(tostring(ngx.req.get_body_data()))")))) {
            MockResponse r = t.request("POST", "/echo").body("hello body").run();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Len")).isEqualTo("10");
            assertThat(r.body()).isEqualTo("POST [hello body]\n");

            // As in nginx, the body is invisible until read_body.
            assertThat(t.request("POST", "/unread").body("x").run().body()).isEqualTo("nil\n");
        }
    }

    @Test
    void bodyOverClientMaxBodySizeIs413() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().clientMaxBodySize(16)
                .location("/small", l -> l.contentByLua("ngx.say('ran')"))
                .location("/large", l -> l.clientMaxBodySize(1024).contentByLua("""
                        ngx.req.read_body()
                        ngx.say(#ngx.req.get_body_data())
                        """)))) {
            MockResponse r = t.request("POST", "/small").body("x".repeat(17)).run();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body()).contains("413 Request Entity Too Large").doesNotContain("ran");
            assertThat(r.logs()).singleElement().extracting(LogRecord::message)
                    .isEqualTo("client intended to send too large body: 17 bytes");

            assertThat(t.request("POST", "/small").body("x".repeat(16)).run().body()).isEqualTo("ran\n");
            // A location may allow more than the http-level limit (nginx checks the location's).
            assertThat(t.request("POST", "/large").body("x".repeat(100)).run().body()).isEqualTo("100\n");
            assertThat(t.request("POST", "/large").body("x".repeat(1025)).run().status()).isEqualTo(413);
        }
    }

    @Test
    void flushedResponseStreams() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder()
                .location("/stream", l -> l.contentByLua("ngx.say('one') ngx.flush(true) ngx.say('two')")))) {
            MockResponse r = t.get("/stream").run();
            assertThat(r.chunked()).isTrue();
            assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(r.header("Content-Length")).isNull();
            assertThat(r.body()).isEqualTo("one\ntwo\n");
        }
    }

    @Test
    void requestThatDoesNotFinishTimesOut() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/slow", l -> l.contentByLua("ngx.sleep(2) ngx.say('late')")))) {
            assertThatThrownBy(() -> t.get("/slow").timeout(Duration.ofMillis(100)).run())
                    .isInstanceOf(MockTimeoutException.class)
                    .hasMessageContaining("GET /slow HTTP/1.1")
                    .hasMessageContaining("no response head sent yet");
        }
    }

    @Test
    void concurrentRequestsWithSend() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().workers(2)
                .location("/s", l -> l.contentByLua("ngx.sleep(0.05) ngx.say(ngx.var.arg_i)")))) {
            List<CompletableFuture<MockResponse>> all = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                all.add(t.get("/s?i=" + i).send());
            }
            for (int i = 0; i < all.size(); i++) {
                assertThat(all.get(i).join().body()).isEqualTo(i + "\n");
            }
        }
    }

    @Test
    void requestOptionsReachTheScript() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder()
                .server(s -> s.serverName("one.test"))
                .location("/v", l -> l.contentByLua("ngx.say(ngx.var.server_name)"))
                .server(s -> s.serverName("two.test"))
                .location("/v", l -> l.contentByLua("""
                        ngx.say(ngx.var.server_name, ' ', ngx.var.scheme, ' ', ngx.var.server_protocol, ' ',
                                ngx.var.remote_addr, ':', ngx.var.remote_port, ' ', ngx.var.uri, ' ', ngx.var.args)
                        """)))) {
            assertThat(t.get("/v").run().body()).isEqualTo("one.test\n");
            MockResponse r = t.get("/a/../v?q=%20").server(1).https(true).httpVersion("1.0")
                    .remoteAddr("192.0.2.7").remotePort(40000).run();
            assertThat(r.body()).isEqualTo("two.test https HTTP/1.0 192.0.2.7:40000 /v q=%20\n");
            assertThatThrownBy(() -> t.get("/v").server(2).run()).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> t.get("no-slash")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
