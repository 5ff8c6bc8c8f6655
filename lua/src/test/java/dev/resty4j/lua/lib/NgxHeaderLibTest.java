package dev.resty4j.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.log.LogRecord;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ngx.header}, {@code ngx.resp.get_headers} and nginx's header-level behaviour around them, as
 * OpenResty's t/016-resp-header.t, t/072-conditional-get.t, t/110-etag.t and t/118-use-default-type.t
 * describe it.
 */
class NgxHeaderLibTest {

    @Test
    void settingAHeaderAfterOutputIsLoggedAndTheScriptGoesOn() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.contentByLua("""
                ngx.print("hello")
                ngx.header.content_type = "text/foo"
                ngx.print(" world")
                """)))) {
            MockResponse r = t.get("/t").run();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello world");
            assertThat(r.header("Content-Type")).isEqualTo("text/plain");
            assertThat(r.logs()).extracting(LogRecord::level, LogRecord::message).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(LogLevel.ERR,
                            "attempt to set ngx.header.HEADER after sending out response headers"));
        }
    }

    @Test
    void underscoresStayWhenTransformingIsOff() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l
                .directive("lua_transform_underscores_in_response_headers", List.of("off"))
                .contentByLua("""
                        ngx.header.foo_bar = "Hello"
                        ngx.say(ngx.header.foo_bar)
                        ngx.say(ngx.header["foo-bar"])
                        """)))) {
            MockResponse r = t.get("/t").run();
            assertThat(r.body()).isEqualTo("Hello\nnil\n");
            assertThat(r.header("foo_bar")).isEqualTo("Hello");
            assertThat(r.header("foo-bar")).isNull();
        }
    }

    @Test
    void getHeadersCountsTheDefaultContentTypeAgainstTheLimit() throws Exception {
        String script = """
                for i = 1, tonumber(ngx.var.arg_n) do
                    ngx.header["Foo" .. i] = "Foo"
                end
                local headers, err = ngx.resp.get_headers()
                local cnt = 0
                for k, v in pairs(headers) do cnt = cnt + 1 end
                ngx.say(err, " ", cnt, " ", headers["content-type"])
                """;
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.contentByLua(script)))) {
            assertThat(t.get("/t?n=99").run().body()).isEqualTo("nil 100 text/plain\n");
            assertThat(t.get("/t?n=100").run().body()).isEqualTo("truncated 100 text/plain\n");
        }
    }

    @Test
    void getHeadersInTheHeaderFilterShowsTheConnectionHeader() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l
                .contentByLua("ngx.say('hi')")
                .headerFilterByLua("""
                        local hs = ngx.resp.get_headers()
                        ngx.header["X-Conn"] = hs.connection
                        """)))) {
            assertThat(t.get("/t").httpVersion("1.0").run().header("X-Conn")).isEqualTo("close");
            assertThat(t.get("/t").run().header("X-Conn")).isEqualTo("keep-alive");
            assertThat(t.get("/t").header("Connection", "close").run().header("X-Conn")).isEqualTo("close");
        }
    }

    @Test
    void useDefaultTypeOffLeavesContentTypeOut() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l
                .directive("lua_use_default_type", List.of("off"))
                .defaultType("text/plain")
                .contentByLua("ngx.say('hello')")))) {
            MockResponse r = t.get("/t").run();
            assertThat(r.body()).isEqualTo("hello\n");
            assertThat(r.header("Content-Type")).isNull();
        }
    }

    @Test
    void ifModifiedSinceBeforeGivesNotModifiedForOlderResources() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l
                .directive("if_modified_since", List.of("before"))
                .contentByLua("""
                        ngx.header.last_modified = "Thu, 10 May 2012 07:50:48 GMT"
                        ngx.say("hello")
                        """)))) {
            MockResponse r = t.get("/t").header("If-Modified-Since", "Thu, 10 May 2012 07:50:59 GMT").run();
            assertThat(r.status()).isEqualTo(304);
            assertThat(r.body()).isEmpty();
            assertThat(t.get("/t").header("If-Modified-Since", "Thu, 10 May 2012 07:50:47 GMT").run().status())
                    .isEqualTo(200);
        }
    }

    @Test
    void ifNoneMatchWithoutAnEtagIsModified() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.contentByLua("""
                ngx.header["ETag"] = "123456789"
                ngx.header.last_modified = "Thu, 10 May 2012 07:50:59 GMT"
                ngx.header["ETag"] = nil
                ngx.say(ngx.var.http_if_none_match)
                """)))) {
            MockResponse r = t.get("/t").header("If-None-Match", "123456789")
                    .header("If-Modified-Since", "Thu, 10 May 2012 07:50:59 GMT").run();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("123456789\n");
        }
    }

    @Test
    void failedIfUnmodifiedSinceIs412AndTheOutputCallFails() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.contentByLua("""
                ngx.header.last_modified = "Thu, 10 May 2012 07:50:48 GMT"
                local ok, err = ngx.say("hello")
                ngx.log(ngx.ERR, "say: ", ok, " ", err)
                """)))) {
            MockResponse r = t.get("/t").header("If-Unmodified-Since", "Thu, 10 May 2012 07:50:47 GMT").run();
            assertThat(r.status()).isEqualTo(412);
            assertThat(r.body()).contains("412 Precondition Failed");
            // the script goes on after the 412 went out: wait for its log line
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (t.logs().stream().noneMatch(l -> l.message().contains("say: ")) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(t.logs()).extracting(LogRecord::message)
                    .anyMatch(m -> m.contains("say: nil nginx output filter error"));
            assertThat(t.get("/t").header("If-Unmodified-Since", "Thu, 10 May 2012 07:50:48 GMT").run().status())
                    .isEqualTo(200);
        }
    }
}
