package dev.resty4j.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing of valid configurations: structure, token rules, line numbers. */
class ConfigParserTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ConfigParserTest.class.getResource("/config/" + name).toURI());
    }

    private static List<Directive> parse(String text) throws ConfigException {
        return ConfigParser.parse(text, "test.conf");
    }

    /** The single directive of {@code text}. */
    private static Directive one(String text) throws ConfigException {
        List<Directive> ds = parse(text);
        assertThat(ds).hasSize(1);
        return ds.get(0);
    }

    @Test
    void realisticOpenRestyConfig() throws Exception {
        Path file = resource("openresty.conf");
        String name = file.toString();
        List<Directive> top = ConfigParser.parse(file);

        assertThat(top).extracting(Directive::name).containsExactly("worker_processes", "error_log", "events", "http");
        assertThat(top.get(0)).isEqualTo(new Directive("worker_processes", List.of("auto"), null, name, 2));
        assertThat(top.get(1).args()).containsExactly("logs/error.log", "warn");
        assertThat(top.get(2).block()).containsExactly(
                new Directive("worker_connections", List.of("1024"), null, name, 6));

        Directive http = top.get(3);
        assertThat(http.line()).isEqualTo(9);
        assertThat(http.args()).isEmpty();
        // include mime.types is replaced by the contents of mime.types; the glob include by both conf.d files
        assertThat(http.block()).extracting(Directive::name).containsExactly(
                "types", "default_type", "lua_shared_dict", "lua_package_path", "init_by_lua_block", "map",
                "server", "server", "upstream");

        Directive types = http.block().get(0);
        assertThat(types.file()).isEqualTo(file.resolveSibling("mime.types").toString());
        assertThat(types.line()).isEqualTo(1);
        assertThat(types.block().get(0).args()).containsExactly("html", "htm");
        assertThat(types.block().get(1).line()).isEqualTo(3);

        assertThat(http.child("lua_shared_dict").args()).containsExactly("cache", "10m");
        assertThat(http.child("lua_package_path").args()).containsExactly("/opt/lua/?.lua;;");

        Directive init = http.child("init_by_lua_block");
        assertThat(init.line()).isEqualTo(15);
        assertThat(init.hasBlock()).isFalse();
        assertThat(init.isLuaBlock()).isTrue();
        assertThat(init.args()).containsExactly("\n        cjson = require \"cjson\"\n    ");

        Directive map = http.child("map");
        assertThat(map.args()).containsExactly("$http_upgrade", "$connection_upgrade");
        assertThat(map.block().get(1).name()).isEmpty(); // '' is an (odd but legal) empty map key
        assertThat(map.block().get(1).args()).containsExactly("close");

        Directive server = http.children("server").get(0);
        assertThat(server.line()).isEqualTo(24);
        assertThat(server.file()).isEqualTo(name);
        assertThat(server.child("listen").args()).containsExactly("8080", "default_server");
        assertThat(server.child("server_name").args()).containsExactly("example.com", "*.example.com");
        assertThat(server.child("set").args()).containsExactly("$x", "a b");

        List<Directive> locations = server.children("location");
        assertThat(locations).extracting(Directive::args).containsExactly(
                List.of("=", "/x"), List.of("~*", "\\.php$"), List.of("^~", "/static/"), List.of("@named"),
                List.of("~", "^/a{2}$"), List.of("/lua"), List.of("/if"));
        assertThat(locations).extracting(Directive::line).containsExactly(29, 32, 35, 38, 41, 44, 56);
        assertThat(locations.get(0).child("return").args()).containsExactly("200", "exact\n");
        assertThat(locations.get(3).child("content_by_lua").args()).containsExactly("ngx.say('hi')");

        Directive lua = locations.get(5).child("content_by_lua_block");
        assertThat(lua.line()).isEqualTo(45);
        assertThat(lua.block()).isNull();
        assertThat(lua.rawBody()).isEqualTo(String.join("\n",
                "",
                "                local t = { {a=1}, {b={c=2}} }",
                "                local s = \"} not a close {\"",
                "                local q = 'it\\'s } here'",
                "                --[[ } long comment with } braces",
                "                ]]",
                "                -- } line comment",
                "                local l = [==[ } ]] still inside ]=] ]==]",
                "                ngx.say(cjson.encode(t), s, q, l)",
                "            "));

        Directive ifBlock = locations.get(6).child("if");
        assertThat(ifBlock.line()).isEqualTo(57);
        assertThat(ifBlock.args()).containsExactly("($request_method", "=", "POST", ")");
        assertThat(ifBlock.child("return").line()).isEqualTo(58);

        Directive included = http.children("server").get(1);
        assertThat(included.file()).endsWith("a-server.conf");
        assertThat(included.line()).isEqualTo(1);
        assertThat(included.child("access_by_lua_block").args()).containsExactly(" ngx.ctx.x = { \"}\" } ");
        assertThat(http.child("upstream").file()).endsWith("b-upstream.conf");
    }

    @Test
    void fragmentsAreAccepted() throws Exception {
        assertThat(parse("")).isEmpty();
        assertThat(parse("  # only a comment\n\n")).isEmpty();
        List<Directive> ds = parse("location /a { return 200; }\nlocation /b { }\nserver { listen 80; }");
        assertThat(ds).extracting(Directive::name).containsExactly("location", "location", "server");
        assertThat(ds.get(1).block()).isEmpty();
        assertThat(ds.get(1).hasBlock()).isTrue();
        assertThat(ds).extracting(Directive::line).containsExactly(1, 2, 3);
    }

    @Test
    void deepNesting() throws Exception {
        Directive http = one("http{server{location /x{location /y{if ($a){return 204;}}}}}");
        Directive ret = http.block().get(0).block().get(0).block().get(0).block().get(0).block().get(0);
        assertThat(ret).isEqualTo(new Directive("return", List.of("204"), null, "test.conf", 1));
    }

    @Test
    void quotedStringsAreUnescapedLikeNginx() throws Exception {
        assertThat(one("a \"x\\\"y\\\\z\\n1\\t2\\r3\\q\\$\";").args())
                .containsExactly("x\"y\\z\n1\t2\r3\\q\\$");
        assertThat(one("a 'it\\'s' \"it's\" '\"q\"';").args()).containsExactly("it's", "it's", "\"q\"");
        assertThat(one("a \"\" '';").args()).containsExactly("", "");
        assertThat(one("\"quoted name\" x;").name()).isEqualTo("quoted name");
        // quotes may span lines; the raw newline stays
        List<Directive> ds = parse("a \"x\ny\";\nb;");
        assertThat(ds.get(0).args()).containsExactly("x\ny");
        assertThat(ds.get(1).line()).isEqualTo(3);
        // a quoted token may be directly followed by ';', '{' or ')'
        assertThat(one("a \"x\"{ b 'y'; }").block().get(0).args()).containsExactly("y");
    }

    @Test
    void bareTokenRules() throws Exception {
        // '#', '}' and quotes inside a token are ordinary characters
        assertThat(one("a 80#x b}c d\"e\"f g'h;").args()).containsExactly("80#x", "b}c", "d\"e\"f", "g'h");
        // ${var} keeps its braces; a '{' elsewhere ends the token and opens a block
        assertThat(one("rewrite ^/(.*)$ /x?a=${arg_b}c last;").args())
                .containsExactly("^/(.*)$", "/x?a=${arg_b}c", "last");
        Directive loc = one("location /a{ return 204; }");
        assertThat(loc.args()).containsExactly("/a");
        assertThat(loc.block()).hasSize(1);
        // backslash: protects the next character (even a space or ';') and is unescaped like in quotes
        assertThat(one("a x\\ y z\\;w \\\"q \\n;").args()).containsExactly("x\\ y", "z\\;w", "\"q", "\n");
        // the empty-looking but not empty ')' token after a quote, as in if conditions
        assertThat(one("if ($a ~ \"b\") { }").args()).containsExactly("($a", "~", "b", ")");
        assertThat(one("if ($a) { }").args()).containsExactly("($a)");
    }

    @Test
    void commentsOnlyAtTokenStart() throws Exception {
        List<Directive> ds = parse("# c1 { } ;\na 1; # trailing ;\n  #c2\nb \"#not\" #yes\n;\n");
        assertThat(ds).extracting(Directive::name).containsExactly("a", "b");
        assertThat(ds.get(1).args()).containsExactly("#not");
        assertThat(ds.get(1).line()).isEqualTo(4);
    }

    @Test
    void lineNumbersWithCrLfAndBom() throws Exception {
        List<Directive> ds = parse("\uFEFFa 1;\r\n\r\nb {\r\n  c 'x';\r\n}\r\n");
        assertThat(ds.get(0)).isEqualTo(new Directive("a", List.of("1"), null, "test.conf", 1));
        assertThat(ds.get(1).line()).isEqualTo(3);
        assertThat(ds.get(1).block().get(0)).isEqualTo(new Directive("c", List.of("x"), null, "test.conf", 4));
    }

    @Test
    void multiLineDirectiveReportsNameLine() throws Exception {
        List<Directive> ds = parse("\n\nlog_format main\n    '$remote_addr'\n    '\"$request\"';\nnext;");
        assertThat(ds.get(0).line()).isEqualTo(3);
        assertThat(ds.get(0).args()).containsExactly("main", "$remote_addr", "\"$request\"");
        assertThat(ds.get(1).line()).isEqualTo(6);
    }

    @Test
    void directiveHelpers() throws Exception {
        Directive d = one("server { listen 80; listen 443 ssl; root /x; }");
        assertThat(d.hasBlock()).isTrue();
        assertThat(d.children("listen")).extracting(x -> x.arg(0)).containsExactly("80", "443");
        assertThat(d.child("root").arg(0)).isEqualTo("/x");
        assertThat(d.child("root").arg(1)).isNull();
        assertThat(d.child("root").argCount()).isEqualTo(1);
        assertThat(d.child("missing")).isNull();
        assertThat(d.child("root").children("x")).isEmpty();
        assertThat(d.location()).isEqualTo("test.conf:1");
        assertThat(d.isRawBlock()).isFalse();
        assertThat(d.rawBody()).isNull();
        assertThat(Directive.isRawBlockName("ssl_certificate_by_lua_block")).isTrue();
        assertThat(Directive.isRawBlockName("content_by_lua")).isFalse();
    }
}
