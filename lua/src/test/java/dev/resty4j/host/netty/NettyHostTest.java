package dev.resty4j.host.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Netty host on a real loopback server: framing, keep-alive, pipelining, body limits. */
class NettyHostTest {

    static Resty resty;
    static NettyServer server;

    @BeforeAll
    static void start() throws Exception {
        resty = Resty.builder().workers(2).clientMaxBodySize(16)
                .location("= /hello", l -> l.contentByLua("ngx.say('hello ', ngx.var.arg_name or 'world')"))
                .location("= /slow", l -> l.contentByLua("ngx.sleep(0.2) ngx.say('slow ', ngx.var.arg_n)"))
                .location("= /fast", l -> l.contentByLua("ngx.say('fast ', ngx.var.arg_n)"))
                .location("= /echo", l -> l.contentByLua("""
                        ngx.req.read_body()
                        ngx.say(ngx.req.get_method(), ' ', ngx.var.http_x_tag, ' [', ngx.req.get_body_data() or '', ']')"""))
                .location("/upload", l -> l.clientMaxBodySize(1024)
                        .contentByLua("ngx.req.read_body() ngx.say(#(ngx.req.get_body_data() or ''))"))
                .location("= /stream", l -> l.contentByLua("""
                        ngx.say('one') ngx.flush(true)
                        ngx.sleep(0.01)
                        ngx.say('two')"""))
                .location("= /vars", l -> l.contentByLua(
                        "ngx.say(ngx.var.remote_addr, ' ', ngx.var.server_port, ' ', ngx.var.request_uri, ' ', ngx.var.uri)"))
                .location("= /forbidden", l -> l.accessByLua("""
                        ngx.header['X-Why'] = 'no'
                        return ngx.exit(403)""").contentByLua("ngx.say('never')"))
                .build();
        server = NettyServer.start(resty, "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.close();
        resty.close();
    }

    static RawHttp connect() throws Exception {
        return new RawHttp(server.port(0));
    }

    static String get(String uri) {
        return "GET " + uri + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    @Test
    void keepsTheConnectionAliveAcrossRequests() throws Exception {
        try (RawHttp c = connect()) {
            RawHttp.Response r1 = c.send(get("/hello?name=a")).read();
            assertThat(r1.status()).isEqualTo(200);
            assertThat(r1.body()).isEqualTo("hello a\n");
            assertThat(r1.header("Content-Length")).isEqualTo("8");
            assertThat(r1.header("Server")).isEqualTo("resty4j");
            RawHttp.Response r2 = c.send(get("/hello?name=b")).read();
            assertThat(r2.body()).isEqualTo("hello b\n");
        }
    }

    @Test
    void answersPipelinedRequestsInOrderEvenWhenTheFirstIsSlowest() throws Exception {
        try (RawHttp c = connect()) {
            c.send(get("/slow?n=1") + get("/fast?n=2") + get("/echo") + get("/fast?n=4"));
            assertThat(c.read().body()).isEqualTo("slow 1\n");
            assertThat(c.read().body()).isEqualTo("fast 2\n");
            assertThat(c.read().body()).isEqualTo("GET nil []\n");
            assertThat(c.read().body()).isEqualTo("fast 4\n");
        }
    }

    @Test
    void readsBodiesWithContentLengthAndChunked() throws Exception {
        try (RawHttp c = connect()) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nX-Tag: cl\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(c.read().body()).isEqualTo("POST cl [hello]\n");
            c.send("PUT /echo HTTP/1.1\r\nHost: x\r\nX-Tag: ch\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n");
            assertThat(c.read().body()).isEqualTo("PUT ch [abcdefg]\n");
        }
    }

    @Test
    void answersExpectContinueBeforeTheBody() throws Exception {
        try (RawHttp c = connect()) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nX-Tag: e\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(100);
            c.send("ok");
            assertThat(c.read().body()).isEqualTo("POST e [ok]\n");
        }
    }

    @Test
    void refusesADeclaredBodyOverTheLimitWith413AndCloses() throws Exception {
        try (RawHttp c = connect()) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n\r\n" + "x".repeat(17));
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body()).contains("413 Request Entity Too Large");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void readsAndDropsARefusedBodyBeforeClosing() throws Exception {
        // nginx's lingering close: a close while the client still sends would reset the connection, which
        // can destroy the 413 before the client reads it
        try (RawHttp c = connect()) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(413);
            c.send("x".repeat(200_000));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void refusesAChunkedBodyAsSoonAsItPassesTheLimit() throws Exception {
        try (RawHttp c = connect()) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n" + "x".repeat(16)
                    + "\r\n1\r\ny\r\n");
            assertThat(c.read().status()).isEqualTo(413);
        }
    }

    @Test
    void aLocationsOwnLimitWinsOverTheHttpLevelOne() throws Exception {
        try (RawHttp c = connect()) {
            c.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(1000));
            assertThat(c.read().body()).isEqualTo("1000\n");
        }
    }

    @Test
    void streamsAFlushedResponseChunked() throws Exception {
        try (RawHttp c = connect()) {
            RawHttp.Response r = c.send(get("/stream")).read();
            assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(r.body()).isEqualTo("one\ntwo\n");
        }
    }

    @Test
    void http10WithoutKeepAliveClosesAfterTheResponse() throws Exception {
        try (RawHttp c = connect()) {
            RawHttp.Response r = c.send("GET /stream HTTP/1.0\r\n\r\n").read();
            // No chunked encoding in HTTP/1.0: the body ends with the connection.
            assertThat(r.header("Transfer-Encoding")).isNull();
            assertThat(r.body()).isEqualTo("one\ntwo\n");
        }
        try (RawHttp c = connect()) {
            RawHttp.Response r = c.send("GET /hello HTTP/1.0\r\n\r\n").read();
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void http10KeepAliveIsHonoured() throws Exception {
        try (RawHttp c = connect()) {
            RawHttp.Response r = c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(r.header("Connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(c.send("GET /hello?name=again HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read().body())
                    .isEqualTo("hello again\n");
        }
    }

    @Test
    void connectionCloseRequestIsAnsweredThenClosed() throws Exception {
        try (RawHttp c = connect()) {
            RawHttp.Response r = c.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();
            assertThat(r.body()).isEqualTo("hello world\n");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void headResponseHasNoBody() throws Exception {
        try (RawHttp c = connect()) {
            RawHttp.Response r = c.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
            assertThat(r.status()).isEqualTo(200);
            // The next response on the connection parses cleanly: nothing was sent after the HEAD's head.
            assertThat(c.send(get("/hello?name=next")).read().body()).isEqualTo("hello next\n");
        }
    }

    @Test
    void scriptsSeeTheConnectionAndTheRawTarget() throws Exception {
        try (RawHttp c = connect()) {
            RawHttp.Response r = c.send(get("/vars?x=%20y")).read();
            assertThat(r.body()).isEqualTo("127.0.0.1 " + server.port(0) + " /vars?x=%20y /vars\n");
        }
    }

    @Test
    void errorPagesKeepTheScriptsHeaders() throws Exception {
        try (RawHttp c = connect()) {
            RawHttp.Response r = c.send(get("/forbidden")).read();
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.header("X-Why")).isEqualTo("no");
            assertThat(r.body()).contains("403 Forbidden").doesNotContain("never");
        }
    }

    @Test
    void unknownLocationIs404AndMalformedRequestIs400() throws Exception {
        try (RawHttp c = connect()) {
            assertThat(c.send(get("/nowhere")).read().status()).isEqualTo(404);
        }
        try (RawHttp c = connect()) {
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n").read().status())
                    .isEqualTo(400);
        }
    }
}
