package dev.resty4j.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config generator against real cases. nginx's own parser is not available here, so the tests
 * check that the expected pieces are in the text, in the right block and order.
 */
class ConfigGeneratorTest {

    private static final int PORT = 19840;
    private static final Path ROOT = Path.of("/tmp/rt/t/servroot");
    private static final String HTML = ROOT.resolve("html").toString();

    private final ConfigGenerator gen = new ConfigGenerator();

    private String conf(String relative) {
        return gen.render(TestCases.load(relative), PORT, ROOT);
    }

    /** The text of the block opened by {@code head} (up to its matching brace, Lua-unaware). */
    private static String block(String conf, String head) {
        int start = conf.indexOf(head + " {");
        assertThat(start).as("block %s", head).isGreaterThanOrEqualTo(0);
        int depth = 0;
        for (int i = conf.indexOf('{', start); i < conf.length(); i++) {
            char c = conf.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return conf.substring(start, i + 1);
            }
        }
        throw new AssertionError("unbalanced block " + head);
    }

    @Test
    void sharedDictCaseHasTheTestNginxSkeleton() {
        ConformanceCase c = TestCases.load("shared_dict/043-shdict__1.json");
        String conf = gen.render(c, PORT, ROOT);
        assertThat(conf)
                .contains("# resty4j conformance case t/043-shdict.t#1: string key, int value")
                .contains("worker_processes 1;")
                .contains("error_log " + ROOT.resolve("logs/error.log") + " debug;")
                .contains("events {\n    worker_connections 1024;\n}")
                .contains("    default_type text/plain;\n")
                .contains("    client_max_body_size 30m;\n")
                .contains("    lua_package_path \"" + HTML + "/?.lua;;\";\n")
                .contains("    lua_shared_dict dogs 1m;\n")
                .contains("        listen 127.0.0.1:" + PORT + ";\n")
                .contains("        server_name localhost;\n")
                .contains("        location = /test {\n")
                .contains("content_by_lua_block {" + c.locations().get(0).phases().get("content") + "}")
                .contains("        location / {\n            root " + HTML + ";\n");
        // http encloses server encloses the locations
        assertThat(block(conf, "http")).contains("server {");
        assertThat(block(conf, "\n    server")).contains("location = /test").contains("location /");
    }

    @Test
    void luaModulesArePlacedOnThePackagePathMergedWithTheCasesOwn() {
        String conf = conf("control_flow/063-abort__1.json"); // lua_package_path "$TEST_NGINX_HTML_DIR/?.lua;./?.lua;;"
        assertThat(conf).contains("lua_package_path \"" + HTML + "/?.lua;" + HTML + "/?.lua;./?.lua;;\";");
        assertThat(conf.split("lua_package_path", -1)).hasSize(2); // exactly once: nginx refuses duplicates
    }

    @Test
    void writeLaysOutServrootWithModulesIndexAndConf(@TempDir Path tmp) throws IOException {
        ConformanceCase c = TestCases.load("misc/161-load-resty-core__4.json"); // module "resty.core"
        ConfigGenerator.CaseFiles files = gen.write(c, PORT, tmp.resolve("t/servroot"));
        assertThat(files.confFile()).isEqualTo(tmp.resolve("t/servroot/conf/nginx.conf").toAbsolutePath());
        assertThat(Files.readString(files.confFile())).contains("listen 127.0.0.1:" + PORT + ";");
        assertThat(Files.readString(files.htmlDir().resolve("resty/core.lua")))
                .isEqualTo(c.http().luaModules().get("resty.core"));
        assertThat(Files.readString(files.htmlDir().resolve("index.html"), StandardCharsets.UTF_8))
                .isEqualTo("<html><head><title>It works!</title></head><body>It works!</body></html>");
        assertThat(files.logsDir()).isDirectory();
    }

    @Test
    void serverRewriteHandlerIsWrittenAtServerLevel() {
        String conf = conf("phase_server_rewrite/167-server-rewrite__5.json");
        String server = block(conf, "\n    server");
        String beforeLocations = server.substring(0, server.indexOf("location"));
        assertThat(beforeLocations).contains("server_rewrite_by_lua_block {\n        ngx.say(\"foo\")\n"
                + "        ngx.eof()\n    }");
        assertThat(block(conf, "location /lua")).contains("content_by_lua_block {");
    }

    @Test
    void serverLevelAccessHandlerCoversTheFallbackAndATrailingCommentCannotEatTheBrace() {
        String conf = conf("phase_access/024-access_sanity__34.json");
        assertThat(conf).contains("        access_by_lua_block {ngx.header[\"X-Foo\"] = \"bar\" -- ngx.send_headers()\n"
                + "        }\n");
        assertThat(conf).contains("location / {");
    }

    @Test
    void serverLevelLogAndPrecontentHandlersAndLogLevel() {
        String conf = conf("request_info/104-req-raw-header__35.json");
        assertThat(conf).contains("error_log " + ROOT.resolve("logs/error.log") + " error;");
        assertThat(conf.substring(0, conf.indexOf("location"))).contains("log_by_lua_block {");
        assertThat(conf).doesNotContain("$TEST_NGINX_SERVER_PORT").contains("sock:connect(\"127.0.0.1\", " + PORT + ")");
        assertThat(conf("phase_precontent/189-precontent__12.json").split("location")[0])
                .contains("precontent_by_lua_block {");
    }

    @Test
    void setVarsWithPortPlaceholderAndEscapes() {
        assertThat(conf("cosocket/068-socket-keepalive__26.json")).contains("set $port " + PORT + ";");
        // value hello<LF><CR>'"\ must survive nginx's unescaping
        assertThat(conf("output/002-content__16.json")).contains("set $a \"hello\\n\\r'\\\"\\\\\";");
        assertThat(conf("phase_access/024-access_mixed__2.json")).contains("set $foo \"\";");
        assertThat(conf("request_headers/028-req-header__61.json")).contains("set $foo $host;");
    }

    @Test
    void namedLocationWithReturn() {
        String conf = conf("control_flow/017-exec__25.json");
        assertThat(block(conf, "location @foo")).contains("return 200;");
    }

    @Test
    void returnWithQuotedText() {
        assertThat(block(conf("phase_body_filter/082-body-filter__20.json"), "location /read"))
                .contains("return 200 \"hello world\";");
    }

    @Test
    void regexLocationsAreQuotedOnlyWhenNeeded() {
        assertThat(conf("misc/014-bugs__19.json")).contains("location ~ ^/lua/(.*) {");
        assertThat(conf("phase_rewrite/023-rewrite_uthread-spawn__24.json"))
                .contains("location ~ \"^/proxy/(\\\\d+)\" {")
                .contains("return 404;");
    }

    @Test
    void allPhasesInPhaseOrderWithInitBlocks() {
        ConformanceCase c = TestCases.load("lua_block_syntax/132-lua-blocks__9.json");
        String conf = gen.render(c, PORT, ROOT);
        assertThat(conf).contains("init_by_lua_block {" + c.http().initByLua() + "}")
                .contains("init_worker_by_lua_block {" + c.http().initWorkerByLua() + "}");
        String loc = conf.substring(conf.indexOf("location = /t {"));
        List<Integer> positions = new ArrayList<>();
        for (String d : List.of("set $a \"\";", "rewrite_by_lua_block {", "access_by_lua_block {",
                "content_by_lua_block {", "header_filter_by_lua_block {", "body_filter_by_lua_block {",
                "log_by_lua_block {")) {
            positions.add(loc.indexOf(d));
        }
        assertThat(positions).doesNotContain(-1).isSorted();
        c.locations().get(0).phases().values().forEach(code -> assertThat(conf).contains(code));
    }

    @Test
    void httpLevelDirectives() {
        assertThat(conf("timer/106-timer__26.json")).contains("    lua_max_pending_timers 1;\n");
        assertThat(conf("misc/069-null__1.json")).contains("    lua_package_cpath \"\";\n");
        assertThat(conf("modules/004-require__6.json")).contains("lua_package_cpath \";;" + HTML + "/?.so\";");
    }

    @Test
    void serverAndLocationDirectivesWithPlaceholders() {
        assertThat(conf("cosocket/147-tcp-socket-timeouts__4.json")).contains("        server_tokens off;\n");
        String conf = conf("cosocket/303-udp-socket-error-log__1.json");
        assertThat(block(conf, "location /t")).contains("resolver 8.8.8.8 ipv6=off;").contains("set $port 65432;");
        assertThat(conf("coroutine/091-coroutine__3.json")).contains("resolver 8.8.8.8 ipv6=off;");
        assertThat(conf("cosocket/168-tcp-socket-bind__5.json")).contains("local ip = \"127.0.0.1:8899\"");
    }

    @Test
    void locationLevelDirectives() {
        String conf = conf("client_abort/101-on-abort__9.json");
        assertThat(conf).contains("lua_check_client_abort on;");
        assertThat(conf("output/002-content__32.json")).doesNotContain("$TEST_NGINX");
    }

    @Test
    void locationMatchKinds() {
        ConformanceCase c = TestCases.inline("""
                {"id": "x#1", "area": "a", "locations": [
                  {"path": "/e", "match": "exact", "phases": {}},
                  {"path": "/p", "match": "prefix", "phases": {}},
                  {"path": "/n", "match": "prefix_noregex", "phases": {}},
                  {"path": "\\\\.lua$", "match": "regex", "phases": {}},
                  {"path": "\\\\.LUA$", "match": "regex_ci", "phases": {}},
                  {"path": "@named", "match": "named", "phases": {}}],
                 "request": {"method": "GET", "uri": "/e", "headers": {}, "body": null}, "expect": {}}
                """);
        String conf = gen.render(c, PORT, ROOT);
        assertThat(conf).contains("location = /e {", "location /p {", "location ^~ /n {",
                "location ~ \"\\\\.lua$\" {", "location ~* \"\\\\.LUA$\" {", "location @named {");
    }

    @Test
    void ownRootLocationSuppressesTheFallback() {
        ConformanceCase c = TestCases.inline("""
                {"id": "x#2", "area": "a",
                 "locations": [{"path": "/", "match": "prefix", "phases": {"content": "ngx.say(1)"}}],
                 "request": {"method": "GET", "uri": "/", "headers": {}, "body": null}, "expect": {}}
                """);
        String conf = gen.render(c, PORT, ROOT);
        assertThat(conf.split("location /", -1)).hasSize(2);
        assertThat(conf).doesNotContain("root " + HTML);
    }

    @Test
    void setSequenceUsesSetByLuaBlockOrTheStringFormWithArgs() {
        // Lua of $x:  return ngx.arg[1] .. "\n"
        ConformanceCase c = TestCases.inline("""
                {"id": "x#3", "area": "a", "http_config": {"exit_worker_by_lua": " print(1) "},
                 "locations": [{"path": "/t", "match": "exact", "phases": {},
                   "set_sequence": [{"var": "$b", "value": "32"},
                                    {"var": "$x", "lua": "return ngx.arg[1] .. \\"\\\\n\\"", "args": ["$arg_a", "$b"]},
                                    {"var": "$y", "lua": " return 1 "}]}],
                 "request": {"method": "GET", "uri": "/t", "headers": {}, "body": null}, "expect": {}}
                """);
        assertThat(c.locations().get(0).setSequence().get(1).lua()).isEqualTo("return ngx.arg[1] .. \"\\n\"");
        String conf = gen.render(c, PORT, ROOT);
        String loc = block(conf, "location = /t");
        assertThat(loc).contains("set $b 32;")
                .contains("set_by_lua $x \"return ngx.arg[1] .. \\\"\\\\n\\\"\" $arg_a $b;")
                .contains("set_by_lua_block $y { return 1 \n");
        assertThat(loc.indexOf("set $b")).isLessThan(loc.indexOf("set_by_lua $x"));
        assertThat(loc.indexOf("set_by_lua $x")).isLessThan(loc.indexOf("set_by_lua_block $y"));
        assertThat(conf).contains("exit_worker_by_lua_block { print(1) \n    }");
    }

    /** Every real case generates, with the listen port, no placeholder left and its Lua verbatim. */
    @Test
    void everyRealCaseGenerates() {
        List<ConformanceCase> all = TestCases.all();
        assertThat(all).hasSizeGreaterThan(900);
        for (ConformanceCase c : all) {
            String conf = gen.render(c, PORT, ROOT);
            assertThat(conf).as(c.id()).contains("listen 127.0.0.1:" + PORT + ";").doesNotContain("$TEST_NGINX_");
            TestEnv env = new TestEnv(PORT, ROOT.resolve("html"));
            for (ConformanceCase.Location l : c.locations()) {
                for (Map.Entry<String, String> ph : l.phases().entrySet()) {
                    assertThat(conf).as(c.id() + " " + ph.getKey()).contains("_by_lua_block {" + env.substitute(ph.getValue()));
                }
            }
        }
    }
}
