package dev.resty4j.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ngx.say}/{@code ngx.flush} edge cases from OpenResty's t/002-content.t and t/056-flush.t. */
class NgxOutputTest {

    @Test
    void flushOnAHeadRequestReportsHeaderOnly() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.contentByLua("""
                ngx.say(ngx.headers_sent)
                local ok, err = ngx.flush()
                ngx.log(ngx.ERR, "flush: ", ok, " ", err)
                """)))) {
            MockResponse r = t.request("HEAD", "/t").run();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEmpty();
            assertThat(r.logs()).anyMatch(l -> l.message().contains("flush: nil header only"));
        }
    }

    @Test
    void http10OutputIsBufferedWholeWithAContentLength() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l
                .contentByLua("""
                        ngx.say("hello, world")
                        local ok, err = ngx.flush(true)
                        ngx.header["X-Flush"] = tostring(ok) .. " " .. tostring(err)
                        ngx.say("hiya")
                        """)
                .headerFilterByLua("ngx.header['X-Length'] = ngx.resp.get_headers()['content-length']")))) {
            MockResponse r = t.get("/t").httpVersion("1.0").run();
            assertThat(r.body()).isEqualTo("hello, world\nhiya\n");
            assertThat(r.header("Content-Length")).isEqualTo("18");
            assertThat(r.header("X-Flush")).isEqualTo("nil buffering");
            assertThat(r.header("X-Length")).isEqualTo("18");
            assertThat(r.chunked()).isFalse();

            MockResponse r11 = t.get("/t").run();
            assertThat(r11.header("X-Flush")).isNull(); // headers went out with the first ngx.say
            assertThat(r11.body()).isEqualTo("hello, world\nhiya\n");
            assertThat(r11.logs()).anyMatch(l -> l.message().contains("attempt to set ngx.header.HEADER"));
        }
    }

    @Test
    void http10BufferingOffStreams() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l
                .directive("lua_http10_buffering", List.of("off"))
                .contentByLua("""
                        ngx.say("one")
                        local ok, err = ngx.flush(true)
                        ngx.log(ngx.ERR, "flush: ", ok, " ", err)
                        ngx.say("two")
                        """)))) {
            MockResponse r = t.get("/t").httpVersion("1.0").run();
            assertThat(r.body()).isEqualTo("one\ntwo\n");
            assertThat(r.header("Content-Length")).isNull();
            assertThat(r.logs()).anyMatch(l -> l.message().contains("flush: 1 nil"));
        }
    }

    @Test
    void outputInRewriteOrAccessEndsTheRequestThere() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder()
                .location("/rewrite", l -> l.rewriteByLua("ngx.say('foo') ngx.flush(true)").contentByLua("ngx.say('OK')"))
                .location("/access", l -> l.accessByLua("ngx.say('bar')").contentByLua("ngx.say('OK')"))
                .location("/quiet", l -> l.rewriteByLua("ngx.ctx.x = 1").contentByLua("ngx.say('OK')")))) {
            assertThat(t.get("/rewrite").run().body()).isEqualTo("foo\n");
            assertThat(t.get("/access").run().body()).isEqualTo("bar\n");
            assertThat(t.get("/quiet").run().body()).isEqualTo("OK\n");
        }
    }

    @Test
    void exitAfterBufferedHttp10OutputSendsThatOutput() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.rewriteByLua("""
                ngx.status = 403
                ngx.say("Hello World")
                ngx.exit(403)
                """)))) {
            MockResponse r = t.get("/t").httpVersion("1.0").run();
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.body()).isEqualTo("Hello World\n");
            MockResponse r11 = t.get("/t").run();
            assertThat(r11.status()).isEqualTo(403);
            assertThat(r11.body()).isEqualTo("Hello World\n"); // headers went with ngx.say
        }
    }
}
