package dev.resty4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code *_by_lua_block} and {@code *_by_js_block} bodies. */
class RawBlockTest {

    private static List<Directive> parse(String text) throws ConfigException {
        return ConfigParser.parse(text, "raw.conf");
    }

    /** The raw body of the single directive of {@code text}, checking it is a raw block. */
    private static String body(String text) throws ConfigException {
        List<Directive> ds = parse(text);
        assertThat(ds).hasSize(1);
        Directive d = ds.get(0);
        assertThat(d.isRawBlock()).isTrue();
        assertThat(d.block()).isNull();
        return d.rawBody();
    }

    private static String lua(String code) throws ConfigException {
        return body("content_by_lua_block {" + code + "}");
    }

    private static String js(String code) throws ConfigException {
        return body("content_by_js_block {" + code + "}");
    }

    // ------------------------------------------------------------------ Lua

    @Test
    void luaBodyIsExactTextBetweenBraces() throws Exception {
        assertThat(lua("")).isEmpty();
        assertThat(lua("  \n ngx.say(1)\n  ")).isEqualTo("  \n ngx.say(1)\n  ");
        assertThat(body("content_by_lua_block{ngx.say(\"hello, world\", {\"!\"})}"))
                .isEqualTo("ngx.say(\"hello, world\", {\"!\"})");
    }

    @Test
    void luaTrickyCode() throws Exception {
        String[] cases = {
            "local t = { {a=1}, { {b=2} } }",
            "ngx.say(\"}1, 2)\") ngx.say('{1, 2)')",
            "ngx.say(\"\\\"}1\") ngx.say('\\'{1') ngx.say('\\\\') x = {}",
            "--[[ } ]] x = 1",
            "--[==[ } ]] ]=] } ]==] x = {}",
            "--}} {}\nx = 1\n",
            "local s = [[ } ]] local l = [==[ } ]] ]=] ]==]",
            "local a = t[b[1]] local c = t[ [[k}]] ]",
            "local n = 10 - -1 -- comment }\n",
            "x = \"it's\" y = 'say \"}\"'",
            "--[=x } is a line comment\n",
            "s = \"a\\\n}b\"", // backslash-newline inside a string
        };
        for (String code : cases) {
            assertThat(lua(code)).as(code).isEqualTo(code);
        }
    }

    @Test
    void strayLuaQuoteDoesNotSwallowTheFile() throws Exception {
        // invalid Lua, but the scan recovers at the end of the line instead of eating the rest of the file
        List<Directive> ds = parse("content_by_lua_block { x = \"oops\n }\nnext 1;");
        assertThat(ds.get(0).rawBody()).isEqualTo(" x = \"oops\n ");
        assertThat(ds.get(1)).isEqualTo(new Directive("next", List.of("1"), null, "raw.conf", 3));
    }

    @Test
    void luaBlockDirectivesWithArgumentsAndLines() throws Exception {
        List<Directive> ds = parse(String.join("\n",
                "location /t {",                                  // 1
                "    set_by_lua_block $res { return 1+1 }",        // 2
                "    access_by_lua_block {",                       // 3
                "        local a = {",                             // 4
                "            dogs = {32, 78, 96},",                // 5
                "        }",                                       // 6
                "    }",                                           // 7
                "    balancer_by_lua_block { b() }",               // 8
                "    ssl_certificate_by_lua_block { c() }",        // 9
                "    log_by_lua_block { print(\"}{\") } echo $res;", // 10
                "}"));
        Directive loc = ds.get(0);
        assertThat(loc.block()).extracting(Directive::name).containsExactly("set_by_lua_block",
                "access_by_lua_block", "balancer_by_lua_block", "ssl_certificate_by_lua_block",
                "log_by_lua_block", "echo");
        assertThat(loc.block()).extracting(Directive::line).containsExactly(2, 3, 8, 9, 10, 10);
        assertThat(loc.block().get(0).args()).containsExactly("$res", " return 1+1 ");
        assertThat(loc.block().get(1).args()).containsExactly(
                "\n        local a = {\n            dogs = {32, 78, 96},\n        }\n    ");
        assertThat(loc.block().get(4).rawBody()).isEqualTo(" print(\"}{\") ");
        assertThat(loc.block().get(5).args()).containsExactly("$res");
    }

    @Test
    void luaInNginxQuotesIsJustAString() throws Exception {
        Directive d = parse("content_by_lua 'ngx.say(\\'hi\\')';").get(0);
        assertThat(d.isRawBlock()).isFalse();
        assertThat(d.args()).containsExactly("ngx.say('hi')");
    }

    // ------------------------------------------------------------------ JavaScript

    @Test
    void jsTemplateLiteralsAndRegexes() throws Exception {
        String code = String.join("\n",
                "",
                "    const re = /[{}\"]+\\/}/g;",
                "    const t = `a ${ x ? `}${\"{\"}` : '}' } b { ${ {k: 1}.k } \\` }`;",
                "    // } line comment {",
                "    /* { block comment } */",
                "    if (a / b > c) { r.return(200, `${t}`); }",
                "    if (n) { half = n / 2 } const path = \"a/b\";",
                "    const d = total / count / 2, e = (x) / 2;",
                "    s = s.replace(/}/g, '').split(/[{]/);",
                "    function f() { return /{/.test(s) ? { ok: 1 } : {}; }",
                "    const g = x => /\\}{/.exec(x);",
                "    i++ / 2; j-- / 3;",
                "    typeof /}/;",
                "");
        assertThat(js(code)).isEqualTo(code);
    }

    @Test
    void jsDivisionThatLooksLikeARegexOnOneLine() throws Exception {
        // after an identifier '/' is division; taking "/ 2 } ... /" as a regex would lose the '}'
        assertThat(js("if (n) { a = n / 2 } b = c / 4;")).isEqualTo("if (n) { a = n / 2 } b = c / 4;");
        // a '/' in regex position with no closing '/' on its line is taken as division
        assertThat(js("f( / 2 )\n{ g(); }")).isEqualTo("f( / 2 )\n{ g(); }");
    }

    @Test
    void jsBlockLines() throws Exception {
        List<Directive> ds = parse("a;\njs_block_by_js_block {\n `\n}\n` }\nb;");
        assertThat(ds.get(1).line()).isEqualTo(2);
        assertThat(ds.get(1).rawBody()).isEqualTo("\n `\n}\n` ");
        assertThat(ds.get(2).line()).isEqualTo(6);
    }

    // ------------------------------------------------------------------ errors

    private static void assertError(String text, String message, int line) {
        assertThatThrownBy(() -> parse(text))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo(message + " in raw.conf:" + line);
                    assertThat(e.file()).isEqualTo("raw.conf");
                    assertThat(e.line()).isEqualTo(line);
                });
    }

    @Test
    void unterminatedLuaBlocks() {
        assertError("a;\ncontent_by_lua_block {\n  ngx.say(1)\n",
                "unexpected end of file, expecting terminating characters for Lua code block of "
                        + "\"content_by_lua_block\"", 2);
        assertError("http {\n init_by_lua_block {\n  x = {\n }\n",
                "unexpected end of file, expecting terminating characters for Lua code block of "
                        + "\"init_by_lua_block\"", 2);
        assertError("\n\ncontent_by_lua_block {\n  s = [==[ } ]] \n}\n",
                "Lua code block of \"content_by_lua_block\" missing the closing long bracket \"]==]\" "
                        + "(opened on line 4)", 3);
        assertError("content_by_lua_block { --[[ }\n}\n",
                "Lua code block of \"content_by_lua_block\" missing the closing long bracket \"]]\" "
                        + "(opened on line 1)", 1);
        assertError("content_by_lua_block;",
                "directive \"content_by_lua_block\" has no opening \"{\"", 1);
        assertError("\nset_by_lua_block $a 'return 1';",
                "directive \"set_by_lua_block\" has no opening \"{\"", 2);
    }

    @Test
    void luaBlockClosingTheEnclosingBlockIsAnErrorLater() {
        // like nginx: the Lua block takes the location's '}', so the location is left open
        assertError("location / {\n content_by_lua_block {\n  ngx.say(1)\n}\n",
                "unexpected end of file, expecting \"}\"", 5);
    }

    @Test
    void unterminatedJsBlocks() {
        assertError("x;\ncontent_by_js_block {\n r.return(200);\n",
                "unexpected end of file, expecting terminating characters for JavaScript code block of "
                        + "\"content_by_js_block\"", 2);
        assertError("content_by_js_block {\n /* }\n}\n",
                "JavaScript code block of \"content_by_js_block\" missing the end of a /* comment "
                        + "(opened on line 2)", 1);
        assertError("content_by_js_block {\n\n x = `a ${ b } }\n",
                "JavaScript code block of \"content_by_js_block\" missing the closing ` of a template literal "
                        + "(opened on line 3)", 1);
        assertError("content_by_js_block {\n x = `${ `${ {\n",
                "JavaScript code block of \"content_by_js_block\" missing the closing ` of a template literal "
                        + "(opened on line 2)", 1);
    }
}
