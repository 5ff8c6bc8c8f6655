package dev.resty4j.server.conformance;

import dev.resty4j.server.conformance.ConformanceCase.Expect;
import dev.resty4j.server.conformance.ConformanceCase.ExpectLog;
import dev.resty4j.server.conformance.ConformanceCase.LogPattern;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The judging rules of the conformance README. Every method returns the list of failure reasons;
 * an empty list means the check passed.
 *
 * <h2>Response</h2>
 * <ul>
 *   <li>status: {@code status} (200 when neither it nor {@code status_like} is given), or
 *       {@code status_like} searched in the decimal status;</li>
 *   <li>body: {@code body_base64} (bytes) or {@code body} (exact, UTF-8), {@code body_like}
 *       (Java regex, {@code find()}, Perl's {@code \0} rewritten as {@code \x00}), and
 *       {@code body_unlike} (must not be found);</li>
 *   <li>headers: names are case-insensitive; repeated headers are joined with {@code ", "} as
 *       Test::Nginx (HTTP::Response) does; a {@code null} value means absent, {@code ""} means
 *       absent or empty; {@code headers_like} is searched in the joined value ({@code ""} when
 *       absent); {@code raw_headers_like} is searched in the raw response head.</li>
 * </ul>
 *
 * <h2>nginx_specific_expectations</h2>
 * <ul>
 *   <li>{@code error_page_html}: for expectations whose status is an error or redirect (&gt;= 300,
 *       or a {@code status_like}), only the status and the {@code Location} header (when given)
 *       are judged: the body is nginx's built-in error page. Followups with a 2xx status are
 *       judged in full.</li>
 *   <li>{@code pcre_error_text}: the body is judged line by line, where a line carrying
 *       PCRE error text only needs the same prefix (e.g. {@code "error: "}); a {@code body_like}
 *       mentioning PCRE is not judged. (Status alone would let any 200 response pass the many cases
 *       of the JIT/DFA test files, whose flagged bodies are ordinary match results.)</li>
 *   <li>{@code nginx_default_headers}: the keys Content-Length, Transfer-Encoding, Connection,
 *       Last-Modified, ETag, Server and Date are not judged.</li>
 *   <li>{@code raw_header_text}: {@code raw_headers_like} is not judged.</li>
 *   <li>{@code nginx_default_type}: judged as written (the config sets {@code default_type}).</li>
 * </ul>
 *
 * <h2>Error log ({@code expect_log}, informational in the README)</h2>
 * <ul>
 *   <li>{@code no_error_log}: only entries whose text is exactly {@code [error]} are scored: no
 *       log line may contain {@code [error]}.</li>
 *   <li>{@code error_log}: an entry (text, or regex) is scored only when it is something the
 *       test's own Lua code or an ngx API error would produce, i.e. when it shows none of the
 *       nginx-presentation markers of {@link #isScoredErrorLogEntry}. A scored text must be
 *       contained in some log line, a scored regex must be found in some log line.</li>
 * </ul>
 */
public final class Judge {

    /** Headers nginx produces itself, not judged under {@code nginx_default_headers}. */
    static final Set<String> NGINX_DEFAULT_HEADERS = Set.of("content-length", "transfer-encoding", "connection",
            "last-modified", "etag", "server", "date");

    /** nginx log-level markers. */
    static final List<String> LEVEL_MARKERS = List.of("[debug]", "[info]", "[notice]", "[warn]", "[error]",
            "[crit]", "[alert]", "[emerg]");

    /**
     * Substrings (matched case-insensitively) that mark an error_log pattern as nginx presentation
     * rather than Lua output. See {@link #isScoredErrorLogEntry}.
     */
    static final List<String> NGINX_LOG_MARKERS = List.of(
            "nginx.conf", "servroot",                      // chunk names, Test::Nginx paths
            "[lua]",                                       // ngx.log's "[lua] chunk:line:" prefix
            "context: ", "client: ", "server: ", "upstream: ", "request: ", // log-line suffixes
            ") failed",                                    // C syscall errors: connect() failed (111: ...)
            "lua vm", "pcre", "jit",                       // engine internals
            "stack traceback",                             // LuaJIT traceback layout
            "client request body is buffered", "could not be resolved", "client prematurely closed");

    /** Marks PCRE error wording in an expected body line or regex. */
    private static final Pattern PCRE_TEXT = Pattern.compile("(?i)pcre");
    private static final Pattern TRACEBACK_FRAME = Pattern.compile("^coroutine \\d+:$");
    private static final int SHOW = 200;

    private Judge() {
    }

    // ------------------------------------------------------------------------------------------
    // Response
    // ------------------------------------------------------------------------------------------

    /**
     * Judges one response.
     *
     * @param e     the expectation
     * @param r     the response received
     * @param flags the case's {@code nginx_specific_expectations}
     * @return failure reasons, empty when everything judged matched
     */
    public static List<String> judgeResponse(Expect e, HttpResult r, Set<String> flags) {
        List<String> f = new ArrayList<>();
        judgeStatus(e, r, f);
        boolean errorPage = flags.contains("error_page_html")
                && (e.statusLike() != null || e.status() != null && e.status() >= 300);
        if (errorPage) {
            e.headers().forEach((k, v) -> {
                if (k.equalsIgnoreCase("Location")) {
                    judgeHeader(k, v, r, f);
                }
            });
            return f;
        }
        if (flags.contains("pcre_error_text")) {
            judgePcreBody(e, r, f);
        } else {
            judgeBody(e, r, f);
        }
        boolean skipDefaults = flags.contains("nginx_default_headers");
        e.headers().forEach((k, v) -> {
            if (!(skipDefaults && NGINX_DEFAULT_HEADERS.contains(k.toLowerCase(Locale.ROOT)))) {
                judgeHeader(k, v, r, f);
            }
        });
        for (Map.Entry<String, String> h : e.headersLike().entrySet()) {
            if (skipDefaults && NGINX_DEFAULT_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                continue;
            }
            String actual = r.header(h.getKey());
            String subject = actual == null ? "" : actual;
            Pattern p = compile(h.getValue(), "headers_like " + h.getKey(), f);
            if (p != null && !p.matcher(subject).find()) {
                f.add("headers_like " + h.getKey() + ": " + re(h.getValue()) + " not found in " + show(actual));
            }
        }
        if (e.rawHeadersLike() != null && !flags.contains("raw_header_text")) {
            Pattern p = compile(e.rawHeadersLike(), "raw_headers_like", f);
            if (p != null && !p.matcher(r.rawHead()).find()) {
                f.add("raw_headers_like: " + re(e.rawHeadersLike()) + " not found in " + show(r.rawHead()));
            }
        }
        return f;
    }

    private static void judgeStatus(Expect e, HttpResult r, List<String> f) {
        if (e.statusLike() != null) {
            Pattern p = compile(e.statusLike(), "status_like", f);
            if (p != null && !p.matcher(Integer.toString(r.status())).find()) {
                f.add("status: expected " + re(e.statusLike()) + " got " + r.status());
            }
            return;
        }
        int expected = e.status() == null ? 200 : e.status();
        if (r.status() != expected) {
            f.add("status: expected " + expected + " got " + r.status());
        }
    }

    private static void judgeBody(Expect e, HttpResult r, List<String> f) {
        String truncated = r.truncated() ? " (response truncated)" : "";
        if (e.bodyBase64() != null) {
            byte[] expected = Base64.getDecoder().decode(e.bodyBase64());
            if (!Arrays.equals(expected, r.body())) {
                f.add("body: expected base64 " + e.bodyBase64() + " got base64 "
                        + Base64.getEncoder().encodeToString(r.body()) + truncated);
            }
        } else if (e.body() != null) {
            if (!Arrays.equals(e.body().getBytes(StandardCharsets.UTF_8), r.body())) {
                f.add("body: expected " + show(e.body()) + " got " + show(r.bodyText()) + truncated);
            }
        }
        if (e.bodyLike() != null) {
            Pattern p = compile(e.bodyLike(), "body_like", f);
            if (p != null && !p.matcher(r.bodyText()).find()) {
                f.add("body_like: " + re(e.bodyLike()) + " not found in " + show(r.bodyText()) + truncated);
            }
        }
        if (e.bodyUnlike() != null) {
            Pattern p = compile(e.bodyUnlike(), "body_unlike", f);
            if (p != null && p.matcher(r.bodyText()).find()) {
                f.add("body_unlike: " + re(e.bodyUnlike()) + " found in " + show(r.bodyText()));
            }
        }
    }

    /**
     * The body under {@code pcre_error_text}: the expected body's lines are compared one by one;
     * a line that carries PCRE error text (contains "pcre", any case) only needs the same prefix
     * up to that text (e.g. {@code "error: "}); other lines must be equal, and the line counts
     * must match. A {@code body_like} mentioning PCRE is not judged; other body checks are.
     */
    private static void judgePcreBody(Expect e, HttpResult r, List<String> f) {
        if (e.body() != null) {
            String[] expected = e.body().split("\n", -1);
            String[] actual = r.bodyText().split("\n", -1);
            if (expected.length != actual.length) {
                f.add("body: expected " + show(e.body()) + " got " + show(r.bodyText())
                        + " (PCRE error text excused)");
            } else {
                for (int i = 0; i < expected.length; i++) {
                    var m = PCRE_TEXT.matcher(expected[i]);
                    if (m.find()) {
                        String prefix = expected[i].substring(0, m.start());
                        if (!actual[i].startsWith(prefix)) {
                            f.add("body line " + (i + 1) + ": expected a PCRE error line starting with "
                                    + show(prefix) + " got " + show(actual[i]));
                        }
                    } else if (!expected[i].equals(actual[i])) {
                        f.add("body line " + (i + 1) + ": expected " + show(expected[i]) + " got " + show(actual[i]));
                    }
                }
            }
        }
        // the remaining body checks, without the exact body (done above) and a PCRE-worded body_like
        String bodyLike = e.bodyLike() != null && PCRE_TEXT.matcher(e.bodyLike()).find() ? null : e.bodyLike();
        Expect rest = new Expect(e.status(), e.statusLike(), null, e.bodyBase64(), bodyLike, e.bodyUnlike(),
                e.headers(), e.headersLike(), e.rawHeadersLike());
        judgeBody(rest, r, f);
    }

    private static void judgeHeader(String name, String expected, HttpResult r, List<String> f) {
        String actual = r.header(name);
        if (expected == null) {
            if (actual != null) {
                f.add("header " + name + ": expected absent got " + show(actual));
            }
        } else if (expected.isEmpty()) {
            if (actual != null && !actual.isEmpty()) {
                f.add("header " + name + ": expected absent or empty got " + show(actual));
            }
        } else if (!expected.equals(actual)) {
            f.add("header " + name + ": expected " + show(expected) + " got " + show(actual));
        }
    }

    // ------------------------------------------------------------------------------------------
    // Error log
    // ------------------------------------------------------------------------------------------

    /**
     * Judges the error log against the scored part of {@code expect_log}.
     *
     * @param log   the expectations
     * @param lines the server's error-log lines
     * @return failure reasons
     */
    public static List<String> judgeLog(ExpectLog log, List<String> lines) {
        List<String> f = new ArrayList<>();
        for (LogPattern p : log.noErrorLog()) {
            if (!"[error]".equals(p.text())) {
                continue;
            }
            lines.stream().filter(l -> l.contains("[error]")).findFirst()
                    .ifPresent(l -> f.add("no_error_log: found \"[error]\" in line " + show(l)));
        }
        for (LogPattern p : log.errorLog()) {
            if (!isScoredErrorLogEntry(p)) {
                continue;
            }
            if (p.text() != null) {
                if (lines.stream().noneMatch(l -> l.contains(p.text()))) {
                    f.add("error_log: no line contains " + show(p.text()));
                }
            } else {
                Pattern re = compile(p.regex(), "error_log", f);
                if (re != null && lines.stream().noneMatch(l -> re.matcher(l).find())) {
                    f.add("error_log: no line matches " + re(p.regex()));
                }
            }
        }
        return f;
    }

    /**
     * Whether an {@code error_log} entry is scored. The README calls {@code expect_log}
     * informational because many patterns are nginx C debug messages or embed nginx's log
     * layout; only what the test's Lua code (or an ngx API error) produces is scored.
     *
     * <p>The rule: take the pattern (for a regex, with its backslashes removed); it is scored
     * unless, compared case-insensitively,
     * <ol>
     *   <li>it starts with {@code "lua "} or {@code "http "} (lua-nginx-module / nginx C debug
     *       messages such as {@code lua ngx.timer expired}, {@code http lua close fake http
     *       connection}, {@code lua tcp socket read timed out});</li>
     *   <li>it contains a log-level marker such as {@code [error]} or {@code [alert]} (log-line
     *       layout) &mdash; except when the whole text is that marker, e.g. {@code [error]}, which
     *       is scored as "some line has this level";</li>
     *   <li>it contains one of {@link #NGINX_LOG_MARKERS}: chunk names ({@code nginx.conf}),
     *       Test::Nginx paths ({@code servroot}), the {@code [lua]} prefix of ngx.log,
     *       log-line suffixes ({@code context: }, {@code client: }, {@code server: },
     *       {@code upstream: }, {@code request: }), C syscall errors ({@code ) failed}), engine
     *       internals ({@code Lua VM}, {@code pcre}, {@code JIT}), LuaJIT traceback layout
     *       ({@code stack traceback}), and three nginx core messages (request body buffered to a
     *       temporary file, resolver "could not be resolved", client prematurely closed);</li>
     *   <li>it is a traceback frame header {@code coroutine N:}.</li>
     * </ol>
     */
    public static boolean isScoredErrorLogEntry(LogPattern p) {
        String plain = p.text() != null ? p.text() : p.regex() == null ? "" : p.regex().replace("\\", "");
        if (LEVEL_MARKERS.contains(plain)) {
            return true;
        }
        String lower = plain.toLowerCase(Locale.ROOT);
        if (lower.startsWith("lua ") || lower.startsWith("http ")) {
            return false;
        }
        if (LEVEL_MARKERS.stream().anyMatch(lower::contains)) {
            return false;
        }
        if (NGINX_LOG_MARKERS.stream().anyMatch(lower::contains)) {
            return false;
        }
        return !TRACEBACK_FRAME.matcher(plain).matches();
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    /**
     * Compiles an exported Perl regex for {@code java.util.regex}: Perl's {@code \0} (NUL, not
     * followed by an octal digit) becomes {@code \x00}; everything else is passed as is.
     */
    public static Pattern compilePerl(String perl) {
        return Pattern.compile(rewritePerl(perl));
    }

    /** The {@code \0} → {@code \x00} rewrite of {@link #compilePerl}. */
    static String rewritePerl(String perl) {
        StringBuilder b = new StringBuilder(perl.length() + 8);
        for (int i = 0; i < perl.length(); i++) {
            char c = perl.charAt(i);
            if (c == '\\' && i + 1 < perl.length()) {
                char n = perl.charAt(i + 1);
                boolean nextIsOctal = i + 2 < perl.length() && perl.charAt(i + 2) >= '0' && perl.charAt(i + 2) <= '7';
                if (n == '0' && !nextIsOctal) {
                    b.append("\\x00");
                } else {
                    b.append(c).append(n);
                }
                i++;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static Pattern compile(String perl, String what, List<String> f) {
        try {
            return compilePerl(perl);
        } catch (PatternSyntaxException ex) {
            f.add(what + ": regex does not compile: " + ex.getDescription() + " in " + re(perl));
            return null;
        }
    }

    /** A regex for failure messages: {@code /re/} with line breaks and tabs shown as escapes. */
    static String re(String regex) {
        return "/" + regex.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "/";
    }

    /** A quoted, escaped and shortened rendering of {@code s} for failure messages. */
    static String show(String s) {
        if (s == null) {
            return "(absent)";
        }
        StringBuilder b = new StringBuilder("\"");
        int limit = Math.min(s.length(), SHOW);
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
        if (s.length() > limit) {
            b.append("... (").append(s.length()).append(" chars)");
        }
        return b.toString();
    }
}
