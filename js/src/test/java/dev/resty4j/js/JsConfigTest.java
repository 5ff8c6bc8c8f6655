package dev.resty4j.js;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resty4j.Resty;
import dev.resty4j.config.ConfigLoader;
import dev.resty4j.core.engine.ScriptException;
import dev.resty4j.core.log.LogRecord;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JS directives of a config: {@code *_by_js_block}, {@code *_by_js_file}, njs's {@code js_import}/{@code js_content}/…; errors with file:line. */
class JsConfigTest {

    @TempDir
    Path dir;

    private RestyTester load(String conf) throws Exception {
        Files.writeString(dir.resolve("nginx.conf"), conf);
        Resty.Builder b = ConfigLoader.load(dir.resolve("nginx.conf"), ConfigLoader.Options.strict());
        return RestyTester.of(b);
    }

    @Test
    void byJsBlocksAndFiles() throws Exception {
        Files.writeString(dir.resolve("hello.js"), "ngx.say('from file ', ngx.var.arg_name);\n");
        try (RestyTester t = load("""
                http {
                  lua_shared_dict hits 1m;
                  init_worker_by_js_block { ngx.shared.hits.set('boot', 1); }
                  server {
                    location /block {
                      rewrite_by_js_block { ngx.req.set_header('X-Seen', 'yes'); }
                      access_by_js_block {
                        if (ngx.req.get_headers()['x-deny']) { return ngx.exit(403); }
                      }
                      content_by_js_block {
                        const h = ngx.req.get_headers();
                        ngx.header['X-Boot'] = String(ngx.shared.hits.get('boot'));
                        ngx.say('seen=', h['x-seen']);
                      }
                      header_filter_by_js_block { ngx.header['X-Filtered'] = '1'; }
                      body_filter_by_js_block { if (ngx.arg[1]) ngx.arg[1] = ngx.arg[1].toUpperCase(); }
                    }
                    location /file { content_by_js_file hello.js; }
                  }
                }
                """)) {
            MockResponse r = t.get("/block").run();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("SEEN=YES\n");
            assertThat(r.header("X-Filtered")).isEqualTo("1");
            assertThat(r.header("X-Boot")).isEqualTo("1");
            assertThat(t.get("/block").header("X-Deny", "1").run().status()).isEqualTo(403);
            assertThat(t.get("/file?name=bob").run().body()).isEqualTo("from file bob\n");
        }
    }

    @Test
    void initBlocksOfBothLanguagesBothRun() throws Exception {
        try (RestyTester t = load("""
                http {
                  lua_shared_dict boot 1m;
                  init_by_lua_block { lua_cache = "lua init" }
                  init_by_js_block { globalThis.jsCache = 'js init'; }
                  init_worker_by_lua_block { ngx.shared.boot:set("lua", 1) }
                  init_worker_by_js_block { ngx.shared.boot.set('js', 1); }
                  server {
                    location /lua { content_by_lua_block { ngx.say(lua_cache, " ", ngx.shared.boot:get("js")) } }
                    location /js { content_by_js_block { ngx.say(jsCache, ' ', ngx.shared.boot.get('lua')); } }
                  }
                }
                """)) {
            assertThat(t.get("/lua").run().body()).isEqualTo("lua init 1\n");
            assertThat(t.get("/js").run().body()).isEqualTo("js init 1\n");
        }
    }

    @Test
    void njsHandlers() throws Exception {
        Files.writeString(dir.resolve("main.js"), """
                function hello(r) {
                  r.headersOut['X-Method'] = r.method;
                  r.return(200, 'hello ' + (r.args.who || 'world') + ' from ' + r.uri + '\\n');
                }
                function upper(r) { return r.variables.arg_v.toUpperCase(); }
                function setv(r) { r.status = 201; r.sendHeader(); r.send('v=', r.variables.shout); r.finish(); }
                function guard(r) { if (r.headersIn['X-Key'] !== 'k1') { r.return(401); } }
                function echo(r) { r.return(200, r.requestText); }
                function moved(r) { r.return(302, '/elsewhere'); }
                function tag(r) { r.headersOut['X-Tag'] = 'njs'; }
                function lower(r, data, flags) { r.sendBuffer(data.toLowerCase(), flags); }
                export default { hello, upper, setv, guard, echo, moved, tag, lower };
                """);
        try (RestyTester t = load("""
                http {
                  js_import main from main.js;
                  server {
                    location /hello { js_content main.hello; }
                    location /set { js_set $shout main.upper; js_content main.setv; }
                    location /guarded { js_access main.guard; js_content main.hello; }
                    location /echo { js_content main.echo; }
                    location /moved { js_content main.moved; }
                    location /filtered { js_header_filter main.tag; js_body_filter main.lower; content_by_js_block { ngx.say('LOUD'); } }
                  }
                }
                """)) {
            MockResponse r = t.get("/hello?who=njs").run();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello njs from /hello\n");
            assertThat(r.header("X-Method")).isEqualTo("GET");
            MockResponse s = t.get("/set?v=abc").run();
            assertThat(s.status()).isEqualTo(201);
            assertThat(s.body()).isEqualTo("v=ABC");
            assertThat(t.get("/guarded").run().status()).isEqualTo(401);
            assertThat(t.get("/guarded").header("X-Key", "k1").run().body()).isEqualTo("hello world from /guarded\n");
            assertThat(t.request("POST", "/echo").body("posted text").run().body()).isEqualTo("posted text");
            MockResponse m = t.get("/moved").run();
            assertThat(m.status()).isEqualTo(302);
            assertThat(m.header("Location")).isEqualTo("/elsewhere");
            MockResponse f = t.get("/filtered").run();
            assertThat(f.header("X-Tag")).isEqualTo("njs");
            assertThat(f.body()).isEqualTo("loud\n");
        }
    }

    @Test
    void syntaxErrorNamesFileAndLine() throws Exception {
        Files.writeString(dir.resolve("nginx.conf"), """
                server {
                  location /x {
                    content_by_js_block {
                      ngx.say('ok');
                      let = ;
                    }
                  }
                }
                """);
        Resty.Builder b = ConfigLoader.load(dir.resolve("nginx.conf"), ConfigLoader.Options.strict());
        assertThatThrownBy(b::build).isInstanceOf(ScriptException.class)
                .hasMessageContaining("content_by_js(nginx.conf:3)")
                .hasMessageContaining(":3:");
    }

    @Test
    void syntaxErrorInModuleNamesModuleFile() throws Exception {
        Files.writeString(dir.resolve("bad.js"), "function f(r) {\n  r.return(200, 'x'\n}\nexport default { f };\n");
        Files.writeString(dir.resolve("nginx.conf"), "js_import bad from bad.js;\nserver { location / { js_content bad.f; } }\n");
        Resty.Builder b = ConfigLoader.load(dir.resolve("nginx.conf"), ConfigLoader.Options.strict());
        assertThatThrownBy(b::build).isInstanceOf(ScriptException.class).hasMessageContaining("bad.js:3");
    }

    @Test
    void runtimeErrorIs500WithJsStackTrace() throws Exception {
        Files.writeString(dir.resolve("lib.js"), "ngx.say('before');\nconst o = null;\nngx.say(o.field);\n");
        try (RestyTester t = load("""
                server {
                  location /boom { content_by_js_file lib.js; }
                  location /inline {
                    content_by_js_block {
                      function inner() { throw new Error('kaput'); }
                      inner();
                    }
                  }
                  location /ok { content_by_js_block { ngx.say('still fine'); } }
                }
                """)) {
            assertThat(t.get("/inline").run().status()).isEqualTo(500);
            String line = t.logs().stream().map(LogRecord::message).filter(m -> m.contains("kaput")).findFirst().orElseThrow();
            assertThat(line).contains("js entry thread aborted: runtime error: content_by_js(nginx.conf:4):2: Error: kaput")
                    .contains("at inner (content_by_js(nginx.conf:4):2)");
            t.clearLogs();
            MockResponse r = t.get("/boom").run();
            assertThat(r.status()).isEqualTo(200); // output had begun: nginx can only cut the response short
            String fileLine = t.logs().stream().map(LogRecord::message).filter(m -> m.contains("TypeError")).findFirst().orElseThrow();
            assertThat(fileLine).contains(dir.resolve("lib.js") + ":3: TypeError");
            assertThat(t.get("/ok").run().body()).isEqualTo("still fine\n");
        }
    }

    @Test
    void asyncFailuresAndTheTimeBudgetDirective() throws Exception {
        try (RestyTester t = load("""
                http {
                  js_time_budget 200ms;
                  server {
                    location /rejected {
                      content_by_js_block {
                        await ngx.sleep(0.01);
                        throw new TypeError('after the await');
                      }
                    }
                    location /never { content_by_js_block { await new Promise(() => {}); } }
                    location /caught {
                      content_by_js_block {
                        const s = ngx.shared;
                        try { await ngx.sleep(-1); } catch (e) { ngx.say('caught: ', e.message); }
                      }
                    }
                  }
                }
                """)) {
            assertThat(t.resty().settings().maxScriptMillis()).isEqualTo(200);
            assertThat(t.get("/rejected").run().status()).isEqualTo(500);
            assertThat(t.logs().stream().map(LogRecord::message))
                    .anyMatch(m -> m.contains("content_by_js(nginx.conf:5):3: TypeError: after the await"));
            assertThat(t.get("/never").run().status()).isEqualTo(500);
            assertThat(t.logs().stream().map(LogRecord::message)).anyMatch(m -> m.contains("promise never settled"));
            assertThat(t.get("/caught").run().body()).isEqualTo("caught: invalid sleep duration \"-1.0\"\n");
        }
    }
}
