package dev.resty4j.js;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Phase;
import dev.resty4j.Resty;
import dev.resty4j.Script;
import dev.resty4j.core.log.LogRecord;
import dev.resty4j.testing.MockRequest;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table of cases, each the same behaviour written in Lua and in JavaScript, run against both engines:
 * every ngx API area the Lua engine implements answers the same status, headers and body in JS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EngineParityTest {

    /** A case: scripts per phase in each language, the request, and what the client must see. */
    static final class Case {
        final String name;
        final Map<Phase, String> lua = new EnumMap<>(Phase.class);
        final Map<Phase, String> js = new EnumMap<>(Phase.class);
        String method = "GET";
        String query = "";
        final Map<String, String> headers = new LinkedHashMap<>();
        String body;
        int status = 200;
        final Map<String, String> expectHeaders = new LinkedHashMap<>();
        String expectBody;
        String expectLog;

        Case(String name) {
            this.name = name;
        }

        Case phase(Phase p, String luaCode, String jsCode) {
            lua.put(p, luaCode);
            js.put(p, jsCode);
            return this;
        }

        Case content(String luaCode, String jsCode) {
            return phase(Phase.CONTENT, luaCode, jsCode);
        }

        Case request(String method, String query) {
            this.method = method;
            this.query = query;
            return this;
        }

        Case header(String n, String v) {
            headers.put(n, v);
            return this;
        }

        Case body(String b) {
            this.body = b;
            return this;
        }

        Case expect(int status, String body) {
            this.status = status;
            this.expectBody = body;
            return this;
        }

        Case expectHeader(String n, String v) {
            expectHeaders.put(n, v);
            return this;
        }

        Case expectLog(String s) {
            this.expectLog = s;
            return this;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // ngx.var
        c.add(new Case("var").request("GET", "?a=1&b=two")
                .content("ngx.say(ngx.var.uri, ' ', ngx.var.arg_a, ' ', ngx.var.arg_b, ' ', ngx.var.request_method, ' ', ngx.var.args)",
                        "ngx.say(ngx.var.uri, ' ', ngx.var.arg_a, ' ', ngx.var.arg_b, ' ', ngx.var.request_method, ' ', ngx.var.args)")
                .expect(200, "/t/var 1 two GET a=1&b=two\n"));
        c.add(new Case("var-missing-is-nil")
                .content("ngx.say(ngx.var.arg_nope == nil)", "ngx.say(ngx.var.arg_nope === null)")
                .expect(200, "true\n"));
        // request headers
        c.add(new Case("req-get-headers").header("X-Foo", "bar").header("User-Agent", "ua/1")
                .content("local h = ngx.req.get_headers(); ngx.say(h['x-foo'], ' ', h['user-agent'])",
                        "const h = ngx.req.get_headers(); ngx.say(h['x-foo'], ' ', h['user-agent'])")
                .expect(200, "bar ua/1\n"));
        c.add(new Case("req-set-clear-header").header("X-Gone", "1")
                .phase(Phase.REWRITE, "ngx.req.set_header('X-Bar', 'b'); ngx.req.clear_header('X-Gone')",
                        "ngx.req.set_header('X-Bar', 'b'); ngx.req.clear_header('X-Gone')")
                .content("ngx.say(ngx.var.http_x_bar, ' ', ngx.var.http_x_gone == nil)",
                        "ngx.say(ngx.var.http_x_bar, ' ', ngx.var.http_x_gone === null)")
                .expect(200, "b true\n"));
        c.add(new Case("req-method-version")
                .content("ngx.say(ngx.req.get_method(), ' ', ngx.req.http_version())",
                        "ngx.say(ngx.req.get_method(), ' ', ngx.req.http_version())")
                .expect(200, "GET 1.1\n"));
        // args
        c.add(new Case("req-uri-args").request("GET", "?x=1&y=2&y=3&flag")
                .content("local a = ngx.req.get_uri_args(); ngx.say(a.x, ' ', table.concat(a.y, ','), ' ', a.flag)",
                        "const a = ngx.req.get_uri_args(); ngx.say(a.x, ' ', a.y.join(','), ' ', a.flag)")
                .expect(200, "1 2,3 true\n"));
        c.add(new Case("req-set-uri-args")
                .content("ngx.req.set_uri_args('x=9'); ngx.say(ngx.var.args, ' ', ngx.var.arg_x)",
                        "ngx.req.set_uri_args('x=9'); ngx.say(ngx.var.args, ' ', ngx.var.arg_x)")
                .expect(200, "x=9 9\n"));
        c.add(new Case("encode-decode-args")
                .content("local t = ngx.decode_args('a=1&b=%20x'); ngx.say(t.a, '|', t.b, '|', ngx.encode_args({k = 'v w'}))",
                        "const t = ngx.decode_args('a=1&b=%20x'); ngx.say(t.a, '|', t.b, '|', ngx.encode_args({k: 'v w'}))")
                .expect(200, "1| x|k=v%20w\n"));
        // body
        c.add(new Case("req-body").request("POST", "").body("payload")
                .content("ngx.req.read_body(); ngx.say(ngx.req.get_body_data())",
                        "ngx.req.read_body(); ngx.say(ngx.req.get_body_data())")
                .expect(200, "payload\n"));
        c.add(new Case("req-post-args").request("POST", "").header("Content-Type", "application/x-www-form-urlencoded").body("k=v&z=1")
                .content("ngx.req.read_body(); local a = ngx.req.get_post_args(); ngx.say(a.k, a.z)",
                        "ngx.req.read_body(); const a = ngx.req.get_post_args(); ngx.say(a.k, a.z)")
                .expect(200, "v1\n"));
        // response headers and status
        c.add(new Case("resp-headers")
                .content("ngx.header['X-Out'] = 'o'; ngx.header.content_type = 'text/x'; ngx.header['X-Multi'] = {'a', 'b'}; ngx.say(ngx.header['X-Out'], ngx.resp.get_headers()['x-out'])",
                        "ngx.header['X-Out'] = 'o'; ngx.header.content_type = 'text/x'; ngx.header['X-Multi'] = ['a', 'b']; ngx.say(ngx.header['X-Out'], ngx.resp.get_headers()['x-out'])")
                .expect(200, "oo\n").expectHeader("X-Out", "o").expectHeader("Content-Type", "text/x"));
        c.add(new Case("status").content("ngx.status = 202; ngx.say(ngx.status)", "ngx.status = 202; ngx.say(ngx.status)")
                .expect(202, "202\n"));
        // output
        c.add(new Case("print-flush").content("ngx.print('a', 'b'); ngx.flush(); ngx.print('c', {'d', 'e'})",
                "ngx.print('a', 'b'); ngx.flush(); ngx.print('c', ['d', 'e'])").expect(200, "abcde"));
        c.add(new Case("eof").content("ngx.say('x'); ngx.eof(); ngx.say('y')", "ngx.say('x'); ngx.eof(); ngx.say('y')")
                .expect(200, "x\n"));
        // control flow
        c.add(new Case("exit-in-access")
                .phase(Phase.ACCESS, "return ngx.exit(ngx.HTTP_FORBIDDEN)", "return ngx.exit(ngx.HTTP_FORBIDDEN)")
                .content("ngx.say('never')", "ngx.say('never')").expect(403, null));
        c.add(new Case("exit-after-output")
                .content("ngx.status = 418; ngx.say('tea'); ngx.exit(ngx.HTTP_OK); ngx.say('never')",
                        "ngx.status = 418; ngx.say('tea'); ngx.exit(ngx.HTTP_OK); ngx.say('never')")
                .expect(418, "tea\n"));
        c.add(new Case("redirect").content("return ngx.redirect('/there', 301)", "return ngx.redirect('/there', 301)")
                .expect(301, null).expectHeader("Location", "/there"));
        c.add(new Case("exec").content("return ngx.exec('/target', 'q=1')", "return ngx.exec('/target', 'q=1')")
                .expect(200, "target 1\n"));
        c.add(new Case("get-phase").phase(Phase.REWRITE, "ngx.ctx.p = ngx.get_phase()", "ngx.ctx.p = ngx.get_phase()")
                .content("ngx.say(ngx.ctx.p, ' ', ngx.get_phase())", "ngx.say(ngx.ctx.p, ' ', ngx.get_phase())")
                .expect(200, "rewrite content\n"));
        // ctx across phases
        c.add(new Case("ctx").phase(Phase.ACCESS, "ngx.ctx.user = 'ann'", "ngx.ctx.user = 'ann'")
                .content("ngx.say(ngx.ctx.user)", "ngx.say(ngx.ctx.user)")
                .phase(Phase.HEADER_FILTER, "ngx.header['X-User'] = ngx.ctx.user", "ngx.header['X-User'] = ngx.ctx.user")
                .expect(200, "ann\n").expectHeader("X-User", "ann"));
        // filters
        c.add(new Case("filters").content("ngx.say('loud')", "ngx.say('loud')")
                .phase(Phase.HEADER_FILTER, "ngx.header['X-HF'] = '1'", "ngx.header['X-HF'] = '1'")
                .phase(Phase.BODY_FILTER, "if ngx.arg[1] then ngx.arg[1] = string.upper(ngx.arg[1]) end",
                        "if (ngx.arg[1]) ngx.arg[1] = ngx.arg[1].toUpperCase()")
                .expect(200, "LOUD\n").expectHeader("X-HF", "1"));
        // shared dict
        c.add(new Case("shared-dict").content("""
                local d = ngx.shared.d
                d:set('k', 'v'); d:set('n', 1)
                local n = d:incr('n', 5)
                local i = d:incr('fresh', 2, 10)
                local added = d:add('k', 'x')
                ngx.say(d:get('k'), ' ', n, ' ', i, ' ', added, ' ', d:get('missing') == nil, ' ', (d:replace('nope', 1)))
                d:lpush('l', 'a'); d:rpush('l', 'b')
                ngx.say(d:llen('l'), d:lpop('l'), d:rpop('l'))
                d:delete('k')
                ngx.say(d:get('k') == nil)""", """
                const d = ngx.shared.d;
                d.set('k', 'v'); d.set('n', 1);
                const n = d.incr('n', 5);
                const i = d.incr('fresh', 2, 10);
                const added = d.add('k', 'x');
                ngx.say(d.get('k'), ' ', n, ' ', i, ' ', added, ' ', d.get('missing') === null, ' ', d.replace('nope', 1));
                d.lpush('l', 'a'); d.rpush('l', 'b');
                ngx.say(d.llen('l'), d.lpop('l'), d.rpop('l'));
                d.delete('k');
                ngx.say(d.get('k') === null);""").expect(200, "v 6 12 false true false\n2ab\ntrue\n"));
        // timers and sleep
        c.add(new Case("timer").content("""
                ngx.timer.at(0, function(premature, v) ngx.shared.d:set('timer', v .. tostring(premature)) end, 'ran-')
                for i = 1, 300 do if ngx.shared.d:get('timer') then break end ngx.sleep(0.01) end
                ngx.say(ngx.shared.d:get('timer'))""", """
                ngx.timer.at(0, (premature, v) => { ngx.shared.d.set('timer', v + premature); }, 'ran-');
                for (let i = 0; i < 300 && !ngx.shared.d.get('timer'); i++) await ngx.sleep(0.01);
                ngx.say(ngx.shared.d.get('timer'));""").expect(200, "ran-false\n"));
        c.add(new Case("sleep").phase(Phase.ACCESS, "ngx.sleep(0.01)", "await ngx.sleep(0.01)")
                .content("ngx.sleep(0.01); ngx.say('slept')", "await ngx.sleep(0.01); ngx.say('slept')").expect(200, "slept\n"));
        // light threads
        c.add(new Case("thread").content("""
                local t = ngx.thread.spawn(function(x) ngx.sleep(0.01) return 'child ' .. x end, 7)
                ngx.say('parent first')
                local ok, v = ngx.thread.wait(t)
                ngx.say(v)""", """
                const t = ngx.thread.spawn(async (x) => { await ngx.sleep(0.01); return 'child ' + x; }, 7);
                ngx.say('parent first');
                ngx.say(await ngx.thread.wait(t));""").expect(200, "parent first\nchild 7\n"));
        // regular expressions
        c.add(new Case("re-match").content("""
                local m = ngx.re.match('hello 123 world', [[(\\d+) (?<w>\\w+)]], 'jo')
                ngx.say(m[0], '|', m[1], '|', m.w, '|', ngx.re.match('abc', 'z') == nil)""", """
                const m = ngx.re.match('hello 123 world', String.raw`(\\d+) (?<w>\\w+)`, 'jo');
                ngx.say(m[0], '|', m[1], '|', m.w, '|', ngx.re.match('abc', 'z') === null)""")
                .expect(200, "123 world|123|world|true\n"));
        c.add(new Case("re-find-sub-gsub").content("""
                local f, t = ngx.re.find('abcbd', 'b.')
                local s = ngx.re.sub('a-b-c', '-', '+')
                local g = ngx.re.gsub('a-b-c', '(-)', '[$1]')
                ngx.say(f, t, ' ', s, ' ', g)""", """
                const [f, t] = ngx.re.find('abcbd', 'b.');
                const s = ngx.re.sub('a-b-c', '-', '+');
                const g = ngx.re.gsub('a-b-c', '(-)', '[$1]');
                ngx.say(f, t, ' ', s, ' ', g)""").expect(200, "23 a+b-c a[-]b[-]c\n"));
        c.add(new Case("re-gmatch-split").content("""
                local out = {}
                for m in ngx.re.gmatch('a1b22c333', [[\\d+]]) do out[#out + 1] = m[0] end
                local parts = require('ngx.re').split('x,y,,z', ',')
                ngx.say(table.concat(out, '-'), ' ', #parts, table.concat(parts, '/'))""", """
                const out = [];
                const it = ngx.re.gmatch('a1b22c333', String.raw`\\d+`);
                for (let m = it(); m; m = it()) out.push(m[0]);
                const parts = require('ngx.re').split('x,y,,z', ',');
                ngx.say(out.join('-'), ' ', parts.length, parts.join('/'))""").expect(200, "1-22-333 4x/y//z\n"));
        // log
        c.add(new Case("log").content("ngx.log(ngx.ERR, 'parity ', 42, ' ', true); ngx.say('logged')",
                "ngx.log(ngx.ERR, 'parity ', 42, ' ', true); ngx.say('logged')").expect(200, "logged\n")
                .expectLog("parity 42 true"));
        // time
        c.add(new Case("time").content("""
                ngx.say(ngx.http_time(0), '|', ngx.cookie_time(0), '|', ngx.parse_http_time('Thu, 01 Jan 1970 00:01:00 GMT'),
                        '|', ngx.time() > 1600000000, '|', ngx.now() >= ngx.time(), '|', #ngx.today(), '|', #ngx.utctime())""", """
                ngx.say(ngx.http_time(0), '|', ngx.cookie_time(0), '|', ngx.parse_http_time('Thu, 01 Jan 1970 00:01:00 GMT'),
                        '|', ngx.time() > 1600000000, '|', ngx.now() >= ngx.time(), '|', ngx.today().length, '|', ngx.utctime().length)""")
                .expect(200, "Thu, 01 Jan 1970 00:00:00 GMT|Thu, 01-Jan-70 00:00:00 GMT|60|true|true|10|19\n"));
        // encoding and hashing
        c.add(new Case("encoding").content("""
                ngx.say(ngx.encode_base64('hello'), ' ', ngx.decode_base64('aGVsbG8='), ' ', ngx.md5('a'), ' ',
                        ngx.escape_uri('a b&c'), ' ', ngx.unescape_uri('a%20b'), ' ', ngx.crc32_long('abc'), ' ',
                        ngx.encode_base64(ngx.sha1_bin('abc')), ' ', ngx.encode_base64(ngx.md5_bin('a')), ' ',
                        ngx.encode_base64(ngx.hmac_sha1('k', 'v')), ' ', ngx.quote_sql_str("it's"))""", """
                ngx.say(ngx.encode_base64('hello'), ' ', ngx.decode_base64('aGVsbG8='), ' ', ngx.md5('a'), ' ',
                        ngx.escape_uri('a b&c'), ' ', ngx.unescape_uri('a%20b'), ' ', ngx.crc32_long('abc'), ' ',
                        ngx.encode_base64(ngx.sha1_bin('abc')), ' ', ngx.encode_base64(ngx.md5_bin('a')), ' ',
                        ngx.encode_base64(ngx.hmac_sha1('k', 'v')), ' ', ngx.quote_sql_str("it's"))""")
                .expect(200, "aGVsbG8= hello 0cc175b9c0f1b6a831c399e269772661 a%20b%26c a b 891568578 "
                        + "qZk+NkcGgWq6PiVxeFDCbJzQ2J0= DMF1ucDxtqgxw5niaXcmYQ== lPxqL36JuBls904QeajBHrZ5pVI= 'it\\'s'\n"));
        c.add(new Case("utf8-text").request("GET", "?n=%C3%A9t%C3%A9")
                .content("ngx.say(ngx.unescape_uri(ngx.var.arg_n), ' ', #ngx.var.arg_n)",
                        "ngx.say(ngx.unescape_uri(ngx.var.arg_n), ' ', ngx.var.arg_n.length)")
                .expect(200, "été 13\n"));
        // worker
        c.add(new Case("worker").content("ngx.say(ngx.worker.id(), ' ', ngx.worker.count(), ' ', ngx.worker.pid() > 0)",
                "ngx.say(ngx.worker.id(), ' ', ngx.worker.count(), ' ', ngx.worker.pid() > 0)").expect(200, "0 1 true\n"));
        // errors
        c.add(new Case("runtime-error").content("error('boom')", "throw new Error('boom')").expect(500, null)
                .expectLog("boom"));
        c.add(new Case("api-error-is-catchable").content("""
                local ok, err = pcall(ngx.redirect, '/x', 200)
                ngx.say(ok, ' ', err:find('only ngx.HTTP_MOVED_TEMPORARILY', 1, true) ~= nil)""", """
                let ok = true, found = false;
                try { ngx.redirect('/x', 200); } catch (e) { ok = false; found = String(e.message).includes('only ngx.HTTP_MOVED_TEMPORARILY'); }
                ngx.say(ok, ' ', found)""").expect(200, "false true\n"));
        return c;
    }

    private RestyTester lua;
    private RestyTester js;
    private final Map<String, Case> byName = new LinkedHashMap<>();

    @BeforeAll
    void start() throws Exception {
        for (Case c : cases()) {
            byName.put(c.name, c);
        }
        lua = RestyTester.of(build("lua"));
        js = RestyTester.of(build("js"));
    }

    private Resty.Builder build(String language) {
        Resty.Builder b = Resty.builder().workers(1).sharedDict("d", "1m");
        for (Case c : byName.values()) {
            Map<Phase, String> scripts = language.equals("lua") ? c.lua : c.js;
            b.location("= /t/" + c.name, l -> scripts.forEach((p, code) ->
                    l.phase(p, new Script(language, code, p.phaseName() + "_by_" + language, 1, null))));
        }
        b.location("= /target", l -> l.phase(Phase.CONTENT,
                new Script(language, "ngx.say('target ', ngx.var.arg_q)", "content_by_" + language, 1, null)));
        return b;
    }

    @AfterAll
    void stop() {
        if (lua != null) {
            lua.close();
        }
        if (js != null) {
            js.close();
        }
    }

    Stream<Arguments> matrix() {
        return cases().stream().flatMap(c -> Stream.of(Arguments.of(c.name, "lua"), Arguments.of(c.name, "js")));
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("matrix")
    void sameBehaviour(String name, String language) {
        Case c = byName.get(name);
        RestyTester t = language.equals("lua") ? lua : js;
        t.clearLogs();
        MockRequest req = t.request(c.method, "/t/" + c.name + c.query);
        c.headers.forEach(req::header);
        if (c.body != null) {
            req.body(c.body);
        }
        MockResponse r = req.run();
        assertThat(r.status()).as("status").isEqualTo(c.status);
        if (c.expectBody != null) {
            assertThat(r.body()).as("body").isEqualTo(c.expectBody);
        }
        c.expectHeaders.forEach((n, v) -> assertThat(r.header(n)).as("header " + n).isEqualTo(v));
        if (c.expectLog != null) {
            assertThat(t.logs().stream().map(LogRecord::message)).as("log").anyMatch(m -> m.contains(c.expectLog));
        }
    }
}
