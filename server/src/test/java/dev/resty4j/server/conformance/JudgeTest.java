package dev.resty4j.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.server.conformance.ConformanceCase.Expect;
import dev.resty4j.server.conformance.ConformanceCase.ExpectLog;
import dev.resty4j.server.conformance.ConformanceCase.LogPattern;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Each judging rule with a passing and a failing example. */
class JudgeTest {

    /** An expectation with only the given fields set. */
    private static final class E {
        Integer status;
        String statusLike;
        String body;
        String bodyBase64;
        String bodyLike;
        String bodyUnlike;
        final Map<String, String> headers = new HashMap<>();
        final Map<String, String> headersLike = new HashMap<>();
        String rawHeadersLike;

        Expect build() {
            return new Expect(status, statusLike, body, bodyBase64, bodyLike, bodyUnlike, headers, headersLike,
                    rawHeadersLike);
        }
    }

    private static HttpResult resp(int status, String body, String... headers) {
        return resp(status, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static HttpResult resp(int status, byte[] body, String... headers) {
        List<HttpResult.Header> hs = new ArrayList<>();
        StringBuilder raw = new StringBuilder("HTTP/1.1 " + status + " X\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            hs.add(new HttpResult.Header(headers[i], headers[i + 1]));
            raw.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        return new HttpResult("HTTP/1.1", status, "X", hs, raw.toString(), body, false);
    }

    private static List<String> judge(E e, HttpResult r, String... flags) {
        return Judge.judgeResponse(e.build(), r, Set.of(flags));
    }

    // ---- status -------------------------------------------------------------------------------

    @Test
    void statusDefaultsTo200() {
        E e = new E();
        assertThat(judge(e, resp(200, ""))).isEmpty();
        assertThat(judge(e, resp(500, ""))).containsExactly("status: expected 200 got 500");
    }

    @Test
    void explicitStatus() {
        E e = new E();
        e.status = 404;
        assertThat(judge(e, resp(404, ""))).isEmpty();
        assertThat(judge(e, resp(200, ""))).containsExactly("status: expected 404 got 200");
    }

    @Test
    void statusLike() {
        E e = new E();
        e.statusLike = "^5\\d\\d$";
        assertThat(judge(e, resp(502, ""))).isEmpty();
        assertThat(judge(e, resp(200, ""))).containsExactly("status: expected /^5\\d\\d$/ got 200");
    }

    // ---- body ---------------------------------------------------------------------------------

    @Test
    void exactBody() {
        E e = new E();
        e.body = "32 number\n";
        assertThat(judge(e, resp(200, "32 number\n"))).isEmpty();
        assertThat(judge(e, resp(200, "nil\n"))).containsExactly("body: expected \"32 number\\n\" got \"nil\\n\"");
    }

    @Test
    void emptyBodyIsCheckedButNullBodyIsNot() {
        E e = new E();
        e.body = "";
        assertThat(judge(e, resp(200, ""))).isEmpty();
        assertThat(judge(e, resp(200, "x"))).hasSize(1);
        assertThat(judge(new E(), resp(200, "anything"))).isEmpty();
    }

    @Test
    void utf8Body() {
        E e = new E();
        e.body = "matched: 章\n";
        assertThat(judge(e, resp(200, "matched: 章\n"))).isEmpty();
        assertThat(judge(e, resp(200, "matched: ?\n"))).hasSize(1);
    }

    @Test
    void base64Body() {
        E e = new E();
        e.bodyBase64 = "aGVsbG8AAQIKd29ybGQDBP8=";
        byte[] bytes = Base64.getDecoder().decode(e.bodyBase64);
        assertThat(judge(e, resp(200, bytes))).isEmpty();
        assertThat(judge(e, resp(200, Arrays.copyOf(bytes, 5)))).singleElement().asString()
                .startsWith("body: expected base64 aGVsbG8AAQIKd29ybGQDBP8= got base64 ");
    }

    @Test
    void bodyLikeIsAnUnanchoredFind() {
        E e = new E();
        e.bodyLike = "(?s)500 Internal Server Error";
        assertThat(judge(e, resp(200, "<html>\n<h1>500 Internal Server Error</h1>\n"))).isEmpty();
        assertThat(judge(e, resp(200, "ok\n"))).containsExactly(
                "body_like: /(?s)500 Internal Server Error/ not found in \"ok\\n\"");
    }

    @Test
    void bodyLikeRewritesPerlNul() {
        E e = new E();
        e.bodyLike = "\\0foo"; // t/030-uri-args.t#59
        assertThat(judge(e, resp(200, "a=\0foo"))).isEmpty();
        assertThat(judge(e, resp(200, "a=0foo"))).hasSize(1);
        assertThat(Judge.rewritePerl("\\0foo")).isEqualTo("\\x00foo");
        assertThat(Judge.rewritePerl("\\\\0")).isEqualTo("\\\\0"); // escaped backslash, then a literal 0
        assertThat(Judge.rewritePerl("\\012")).isEqualTo("\\012"); // octal stays octal
    }

    @Test
    void bodyUnlike() {
        E e = new E();
        e.bodyUnlike = "(?s)hello\n";
        assertThat(judge(e, resp(200, "bye\n"))).isEmpty();
        assertThat(judge(e, resp(200, "hello\n"))).containsExactly("body_unlike: /(?s)hello\\n/ found in \"hello\\n\"");
    }

    @Test
    void badRegexIsAFailureNotACrash() {
        E e = new E();
        e.bodyLike = "(unclosed";
        assertThat(judge(e, resp(200, "x"))).singleElement().asString().startsWith("body_like: regex does not compile");
    }

    // ---- headers ------------------------------------------------------------------------------

    @Test
    void headerValueIsCaseInsensitiveByName() {
        E e = new E();
        e.headers.put("X-Foo", "bar");
        assertThat(judge(e, resp(200, "", "x-foo", "bar"))).isEmpty();
        assertThat(judge(e, resp(200, "", "X-Foo", "baz"))).containsExactly("header X-Foo: expected \"bar\" got \"baz\"");
        assertThat(judge(e, resp(200, ""))).containsExactly("header X-Foo: expected \"bar\" got (absent)");
    }

    @Test
    void repeatedHeadersAreJoinedLikeTestNginx() {
        E e = new E();
        e.headers.put("Foox", "conx1, conx2");
        assertThat(judge(e, resp(200, "", "Foox", "conx1", "Foox", "conx2"))).isEmpty();
        assertThat(judge(e, resp(200, "", "Foox", "conx1"))).hasSize(1);
    }

    @Test
    void nullHeaderMeansAbsent() {
        E e = new E();
        e.headers.put("Location", null);
        assertThat(judge(e, resp(200, ""))).isEmpty();
        assertThat(judge(e, resp(200, "", "Location", ""))).containsExactly("header Location: expected absent got \"\"");
    }

    @Test
    void emptyHeaderMeansAbsentOrEmpty() {
        E e = new E();
        e.headers.put("foo", "");
        assertThat(judge(e, resp(200, ""))).isEmpty();
        assertThat(judge(e, resp(200, "", "Foo", ""))).isEmpty();
        assertThat(judge(e, resp(200, "", "Foo", "x"))).containsExactly("header foo: expected absent or empty got \"x\"");
    }

    @Test
    void headersLike() {
        E e = new E();
        e.headersLike.put("Set-Cookie", "^a=\\d+");
        assertThat(judge(e, resp(200, "", "Set-Cookie", "a=32; path=/"))).isEmpty();
        assertThat(judge(e, resp(200, ""))).containsExactly("headers_like Set-Cookie: /^a=\\d+/ not found in (absent)");
    }

    @Test
    void rawHeadersLikeIsJudgedUnlessRawHeaderText() {
        E e = new E();
        e.rawHeadersLike = "Foo: a\r\nFoo: b\r\n";
        HttpResult both = resp(200, "", "Foo", "a", "Foo", "b");
        HttpResult one = resp(200, "", "Foo", "a");
        assertThat(judge(e, both)).isEmpty();
        assertThat(judge(e, one)).singleElement().asString().startsWith("raw_headers_like: ");
        assertThat(judge(e, one, "raw_header_text")).isEmpty();
    }

    // ---- nginx_specific_expectations -----------------------------------------------------------

    @Test
    void errorPageHtmlJudgesStatusAndLocationOnly() {
        E e = new E();
        e.status = 302;
        e.bodyLike = "302 Found";
        e.headers.put("Location", "http://agentzh.org/foo");
        e.headers.put("Content-Type", "text/html");
        HttpResult good = resp(302, "<p>redirecting</p>", "Location", "http://agentzh.org/foo");
        assertThat(judge(e, good, "error_page_html")).isEmpty();
        assertThat(judge(e, good)).hasSize(2); // without the flag, body_like and Content-Type fail
        assertThat(judge(e, resp(302, "", "Location", "/elsewhere"), "error_page_html"))
                .containsExactly("header Location: expected \"http://agentzh.org/foo\" got \"/elsewhere\"");
        assertThat(judge(e, resp(500, ""), "error_page_html")).contains("status: expected 302 got 500");
    }

    @Test
    void errorPageHtmlDoesNotExcuseA200Followup() {
        E e = new E();
        e.body = "body: hiya, world\n";
        assertThat(judge(e, resp(200, "body: hiya, world\n"), "error_page_html")).isEmpty();
        assertThat(judge(e, resp(200, "body: nil\n"), "error_page_html")).hasSize(1);
    }

    @Test
    void pcreErrorTextExcusesOnlyTheWordingOfPcreErrorLines() {
        E e = new E();
        e.body = "ok\nerror: pcre2_compile() failed: missing closing parenthesis in \"(abc\"\ndone\n";
        assertThat(judge(e, resp(200, "ok\nerror: bad pattern (abc: unclosed group\ndone\n"), "pcre_error_text")).isEmpty();
        assertThat(judge(e, resp(200, "ok\nerror: bad pattern (abc: unclosed group\ndone\n"))).hasSize(1);
        assertThat(judge(e, resp(200, "ok\nnil\ndone\n"), "pcre_error_text")).containsExactly(
                "body line 2: expected a PCRE error line starting with \"error: \" got \"nil\"");
        assertThat(judge(e, resp(200, "ok\nerror: x\nDONE\n"), "pcre_error_text")).containsExactly(
                "body line 3: expected \"done\" got \"DONE\"");
        assertThat(judge(e, resp(500, "ok\nerror: x\n"), "pcre_error_text")).containsExactly(
                "status: expected 200 got 500",
                "body: expected \"ok\\nerror: pcre2_compile() failed: missing closing parenthesis in \\\"(abc\\\"\\ndone\\n\" "
                        + "got \"ok\\nerror: x\\n\" (PCRE error text excused)");
    }

    @Test
    void pcreErrorTextStillJudgesOrdinaryBodies() {
        E e = new E(); // t/047-match-jit.t#1 carries the flag but expects a plain match result
        e.body = "1234\n";
        assertThat(judge(e, resp(200, "1234\n"), "pcre_error_text")).isEmpty();
        assertThat(judge(e, resp(200, "32 number\n"), "pcre_error_text")).containsExactly(
                "body line 1: expected \"1234\" got \"32 number\"");
        E like = new E();
        like.bodyLike = "pcre_compile\\(\\) failed: this version of PCRE";
        assertThat(judge(like, resp(200, "anything"), "pcre_error_text")).isEmpty();
    }

    @Test
    void nginxDefaultHeadersSkipsOnlyNginxOwnHeaders() {
        E e = new E();
        e.headers.put("Content-Length", "5");
        e.headers.put("X-Mine", "1");
        HttpResult r = resp(200, "", "Transfer-Encoding", "chunked", "X-Mine", "1");
        assertThat(judge(e, r, "nginx_default_headers")).isEmpty();
        assertThat(judge(e, r)).containsExactly("header Content-Length: expected \"5\" got (absent)");
        assertThat(judge(e, resp(200, ""), "nginx_default_headers")).containsExactly(
                "header X-Mine: expected \"1\" got (absent)");
    }

    // ---- error log ----------------------------------------------------------------------------

    private static ExpectLog log(List<LogPattern> errorLog, List<LogPattern> noErrorLog) {
        return new ExpectLog(errorLog, noErrorLog, null);
    }

    private static LogPattern text(String t) {
        return new LogPattern(t, null);
    }

    private static LogPattern regex(String r) {
        return new LogPattern(null, r);
    }

    @Test
    void noErrorLogScoresOnlyTheErrorLevel() {
        ExpectLog l = log(List.of(), List.of(text("[error]"), text("[alert]"), text("on abort called")));
        assertThat(Judge.judgeLog(l, List.of("2026/01/01 00:00:00 [warn] 1#0: *1 [alert] on abort called"))).isEmpty();
        assertThat(Judge.judgeLog(l, List.of("x [info] fine", "y [error] 1#0: *1 lua entry thread aborted")))
                .containsExactly("no_error_log: found \"[error]\" in line \"y [error] 1#0: *1 lua entry thread aborted\"");
    }

    @Test
    void errorLogTextFromLuaIsScored() {
        ExpectLog l = log(List.of(text("trace: [m][f][g]")), List.of());
        assertThat(Judge.judgeLog(l, List.of("[notice] trace: [m][f][g], context: ngx.timer"))).isEmpty();
        assertThat(Judge.judgeLog(l, List.of("[notice] trace: [m][f]"))).containsExactly(
                "error_log: no line contains \"trace: [m][f][g]\"");
    }

    @Test
    void errorLogRegexFromLuaIsScored() {
        ExpectLog l = log(List.of(regex("ah{1970}b")), List.of());
        assertThat(Judge.judgeLog(l, List.of("[error] a" + "h".repeat(1970) + "b"))).isEmpty();
        assertThat(Judge.judgeLog(l, List.of("[error] ahb"))).containsExactly("error_log: no line matches /ah{1970}b/");
    }

    @Test
    void nginxInternalsInErrorLogAreNotScored() {
        ExpectLog l = log(List.of(text("lua ngx.timer expired"), text("http lua close fake http connection"),
                regex("\\[error\\] .*? runtime error: content_by_lua\\(nginx\\.conf:\\d+\\):3: API disabled")), List.of());
        assertThat(Judge.judgeLog(l, List.of())).isEmpty();
    }

    @Test
    void scoredErrorLogRule() {
        // scored: what the test's Lua (or an ngx API error) writes
        for (LogPattern p : List.of(text("trace: [m][f][g]"), text("hello in thread"), text("bad \"zone\" argument"),
                text("[error]"), text("attempt to set status 404 via ngx.exit after sending out the response status 200"),
                text("server_rewrite_by_lua_block in server"), regex("ah{1970}b"),
                regex("runtime error: attempt to yield across (?:metamethod/)?C-call boundary"))) {
            assertThat(Judge.isScoredErrorLogEntry(p)).as(p.toString()).isTrue();
        }
        // not scored: nginx C debug messages, chunk names, log layout, syscall errors, internals
        for (LogPattern p : List.of(text("lua ngx.timer expired"), text("http lua close fake http connection"),
                text("lua tcp socket read timed out"), text("decrementing the reference count for Lua VM: 1"),
                text("pcre2 JIT compiled successfully"), text("stack traceback:"), text("coroutine 0:"),
                text("a client request body is buffered to a temporary file"),
                text("nonexistent.openresty.org could not be resolved"), text("bind(8.8.8.8) failed"),
                regex("\\[alert\\] \\S+ lua_code_cache is off; this will hurt performance"),
                regex("\\[lua\\] .*? my lua timer handler"),
                regex("connect\\(\\) failed \\(\\d+: Connection refused\\)"),
                regex("trace: \\[m\\]\\[f\\]\\[g\\], context: ngx\\.timer, client: \\d+\\.\\d+\\.\\d+\\.\\d+, server: 0\\.0\\.0\\.0:\\d+"),
                regex("received: Server: \\S+"),
                regex("failed to load inlined Lua code: content_by_lua\\(nginx.conf:40\\)"))) {
            assertThat(Judge.isScoredErrorLogEntry(p)).as(p.toString()).isFalse();
        }
    }

    // ---- all exported regexes compile ----------------------------------------------------------

    @Test
    void everyExportedRegexCompilesAfterTheRewrite() {
        List<String> regexes = new ArrayList<>();
        for (ConformanceCase c : TestCases.all()) {
            for (ConformanceCase.Exchange ex : c.exchanges()) {
                Expect e = ex.expect();
                for (String r : Arrays.asList(e.statusLike(), e.bodyLike(), e.bodyUnlike(), e.rawHeadersLike())) {
                    if (r != null) {
                        regexes.add(r);
                    }
                }
                regexes.addAll(e.headersLike().values());
            }
            c.expectLog().errorLog().stream().map(LogPattern::regex).filter(r -> r != null).forEach(regexes::add);
            c.expectLog().noErrorLog().stream().map(LogPattern::regex).filter(r -> r != null).forEach(regexes::add);
        }
        assertThat(regexes).hasSizeGreaterThan(100);
        for (String r : regexes) {
            Pattern p = Judge.compilePerl(r);
            assertThat(p).isNotNull();
        }
    }
}
