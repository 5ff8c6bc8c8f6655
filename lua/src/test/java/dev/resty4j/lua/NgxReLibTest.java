package dev.resty4j.lua;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.core.log.LogRecord;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code ngx.re.*} and {@code require "ngx.re"} from Lua, through real HTTP requests. */
class NgxReLibTest {

    private static Vertx vertx;
    private static Resty resty;
    private static HttpServer server;
    private static final HttpClient client = HttpClient.newHttpClient();
    private static final List<LogRecord> log = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        resty = Resty.builder().vertx(vertx).workers(1)
                .logSink(log::add)
                .location("= /t", l -> l.contentByLua("-- text mode: this engine has no binary-chunk undumper\n local f = assert(load(ngx.req.get_uri_args().code, \"=t\", \"t\")) f()"))
                .build();
        server = vertx.createHttpServer().requestHandler(resty.handler()).listen(0).await();
    }

    @AfterAll
    static void stop() {
        resty.close();
        vertx.close().await();
    }

    /** Runs a Lua snippet in a content handler and returns the response body. */
    private static String run(String lua) throws Exception {
        String q = java.net.URLEncoder.encode(lua, StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.actualPort() + "/t?code=" + q)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(() -> "status; error log: " + log).isEqualTo(200);
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void matchReturnsCapturesWithFalseForUnsetGroupsAndNames() throws Exception {
        assertThat(run("""
                local m = ngx.re.match("hello, 1234", "(?<word>[a-z]+)(x)?, ([0-9]+)")
                ngx.say(m[0], "|", m[1], "|", tostring(m[2]), "|", m[3], "|", m.word)
                ngx.say(ngx.re.match("hello", "z"))
                """)).isEqualTo("hello, 1234|hello|false|1234|hello\nnil\n");
    }

    @Test
    void matchUpdatesCtxPosAndReusesTheResTable() throws Exception {
        assertThat(run("""
                local ctx = { pos = 3 }
                local res = {}
                local m = ngx.re.match("1234, hello", "[0-9]+", "jo", ctx, res)
                ngx.say(m[0], " ", ctx.pos, " ", m == res)
                m = ngx.re.match("1234, hello", "[0-9]+", "jo", ctx)
                ngx.say(m, " ", ctx.pos)
                """)).isEqualTo("34 5 true\nnil 5\n");
    }

    @Test
    void duplicateNamesBecomeArraysUnderD() throws Exception {
        assertThat(run("""
                local m = ngx.re.match("hello, 1234", "(?<n>[a-z]+), (?<n>[0-9]+)", "D")
                ngx.say(table.concat(m.n, "-"))
                """)).isEqualTo("hello-1234\n");
    }

    @Test
    void errorsAreReturnedOrRaisedAsInOpenResty() throws Exception {
        assertThat(run("""
                local m, err = ngx.re.match("x", "(abc")
                ngx.say(m, " ", err)
                local ok, e = pcall(ngx.re.match, "x", ".", "Hm")
                ngx.say(ok, " ", e)
                """)).isEqualTo("nil pcre2_compile() failed: missing closing parenthesis in \"(abc\"\n"
                + "false unknown flag \"H\" (flags \"Hm\")\n");
    }

    @Test
    void utf8OffsetsAreBytePositions() throws Exception {
        assertThat(run("""
                local s = "hello章亦春"
                local from, to = ngx.re.find(s, "HELLO.{2}", "iu")
                ngx.say(from, " ", to, " ", string.sub(s, from, to))
                local m, err = ngx.re.match(string.sub("你好", 1, 4), "你", "u")
                ngx.say(m, " ", err)
                """)).isEqualTo("1 11 hello章亦\nnil pcre_exec() failed: -4\n");
    }

    @Test
    void findReturnsPositionsAndTheNthCapture() throws Exception {
        assertThat(run("""
                ngx.say(ngx.re.find("hello, 1234", "([0-9])([0-9]+)", "jo", nil, 2))
                ngx.say(ngx.re.find("hello, 1234", "([0-9])([0-9]+)", "jo", nil, 3))
                ngx.say(ngx.re.find("hello", "[0-9]"))
                """)).isEqualTo("911\nnilnilnth out of bound\nnil\n");
    }

    @Test
    void gmatchIteratesIncludingEmptyMatches() throws Exception {
        assertThat(run("""
                local out = {}
                for m in ngx.re.gmatch("hello, world", "([a-z])[a-z]+") do out[#out + 1] = m[0] .. "/" .. m[1] end
                ngx.say(table.concat(out, " "))
                local n = 0
                for m in ngx.re.gmatch("hello", "a|") do n = n + 1 end
                ngx.say(n)
                ngx.say(ngx.re.gmatch("x", "(abc"))
                """)).isEqualTo("hello/h world/w\n6\nnilpcre2_compile() failed: missing closing parenthesis in \"(abc\"\n");
    }

    @Test
    void subAndGsubWithTemplatesAndFunctions() throws Exception {
        assertThat(run("""
                ngx.say(ngx.re.sub("a b c d", "(b) (c)", "[$0] [$1] [${2}] [$3] $$"))
                ngx.say(ngx.re.gsub("hello, world", "([a-z])[a-z]+", function(m) return "<" .. m[1] .. ">" end))
                ngx.say(ngx.re.gsub("hello", "a|", "b"))
                ngx.say(ngx.re.sub("hello, 34", "([0-9])", 72))
                ngx.say(ngx.re.sub("a b", "(b)", "$hello"))
                """)).isEqualTo("a [b c] [b] [c] [] $ d1\n<h>, <w>2\nbhbeblblbob6\nhello, 7241\nnilnilfailed to compile the replacement template\n");
        assertThat(log).anyMatch(r -> r.message().contains(
                "attempt to use named capturing variable \"hello\" (named captures not supported yet)"));
    }

    @Test
    void dfaModeMatchesTheLongestAlternative() throws Exception {
        assertThat(run("""
                local m = ngx.re.match("hello", "(he|hell)", "d")
                ngx.say(m[0], " ", m[1])
                """)).isEqualTo("hell nil\n");
    }

    @Test
    void splitAndOptFromTheNgxReModule() throws Exception {
        assertThat(run("""
                local ngx_re = require "ngx.re"
                ngx.say(table.concat(ngx_re.split("a,b,c,d", ","), "|"))
                ngx.say(table.concat(ngx_re.split("a,b,c,d", "(,)"), "|"))
                ngx.say(table.concat(ngx_re.split("a,b,c,d", ",", nil, {pos = 5}), "|"))
                ngx.say(table.concat(ngx_re.split("a,b,c,d", ",", nil, nil, 3), "|"))
                local t = {"W", "X", "Y", "Z"}
                local res = ngx_re.split("a,b", ",", nil, nil, nil, t)
                ngx.say(res == t, " ", t[1], t[2], tostring(t[3]), t[4])
                ngx.say(ngx_re.split("a", "("))
                ngx.say(pcall(ngx_re.opt, "foo", 1))
                """)).isEqualTo("a|b|c|d\na|,|b|,|c|,|d\nc|d\na|b|c,d\ntrue abnilZ\n"
                + "nilpcre2_compile() failed: missing closing parenthesis in \"(\"\nfalseunrecognized option name\n");
    }
}
