package dev.resty4j.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class CjsonLibTest {

    private static String run(String lua) throws Exception {
        try (LuaServer s = LuaServer.content(lua)) {
            return s.body();
        }
    }

    @Test
    void encodesLikeCjson() throws Exception {
        assertThat(run("""
                local cjson = require "cjson"
                ngx.say(cjson.encode({1, 2.5, "a/b", true, cjson.null, 1/3, 2^53}))
                ngx.say(cjson.encode({}), cjson.encode(cjson.empty_array), cjson.encode(setmetatable({}, cjson.empty_array_mt)),
                        cjson.encode(setmetatable({}, cjson.array_mt)))
                ngx.say(cjson.encode({[1] = 1, [2] = 2, [4] = 4}))
                ngx.say(cjson.encode({k = "line\\n\\"q\\"\\1"}))
                ngx.say(cjson.encode({[3] = "x"}), cjson.encode("\\127"), cjson.encode(nil))
                """)).isEqualTo("""
                [1,2.5,"a\\/b",true,null,0.33333333333333,9.007199254741e+15]
                {}[][][]
                [1,2,null,4]
                {"k":"line\\n\\"q\\"\\u0001"}
                [null,null,"x"]"\\u007f"null
                """);
    }

    @Test
    void decodesToLuaValues() throws Exception {
        assertThat(run("""
                local cjson = require "cjson"
                local t = cjson.decode('{"a":[1,2,{"b":null}],"c":"\\\\u00e9\\\\ud83d\\\\ude00","d":-1.5e3,"e":false}')
                ngx.say(t.a[3].b == cjson.null, " ", t.a[3].b == ngx.null, " ", #t.a, " ", t.c, " ", t.d, " ", t.e)
                ngx.say(type(cjson.decode("[]")), " ", cjson.decode("123"), " ", cjson.decode('"x"'), " ", cjson.decode(42))
                ngx.say(getmetatable(cjson.decode("[]")) == nil)
                """)).isEqualTo("true true 3 é😀 -1500 false\ntable 123 x 42\ntrue\n");
    }

    @Test
    void errorsCarryCjsonMessages() throws Exception {
        assertThat(run("""
                local cjson = require "cjson"
                ngx.say(select(2, pcall(cjson.encode, {[1] = 1, [1000] = 2})))
                ngx.say(select(2, pcall(cjson.encode, {f = print})))
                ngx.say(select(2, pcall(cjson.encode, {[true] = 1})))
                ngx.say(select(2, pcall(cjson.encode, 0/0)))
                ngx.say(select(2, pcall(cjson.decode, "{bad")))
                ngx.say(select(2, pcall(cjson.decode, "[1,2")))
                ngx.say(select(2, pcall(cjson.decode, "")))
                ngx.say(select(2, pcall(cjson.decode, {})))
                ngx.say(select(2, pcall(cjson.encode)))
                """)).isEqualTo("""
                Cannot serialise table: excessively sparse array
                Cannot serialise function: type not supported
                Cannot serialise boolean: table key must be a number or string
                Cannot serialise number: must not be NaN or Infinity
                Expected object key string but found invalid token at character 2
                Expected comma or array end but found T_END at character 5
                Expected value but found T_END at character 1
                bad argument #1 to 'decode' (string expected, got table)
                bad argument #1 to 'encode' (expected 1 argument)
                """);
    }

    @Test
    void safeReturnsNilAndTheMessage() throws Exception {
        assertThat(run("""
                local safe = require "cjson.safe"
                ngx.say(safe.decode("nope"))
                ngx.say(safe.encode(function() end))
                ngx.say(safe.decode({}))
                ngx.say(safe.encode({a = {1}}), " ", safe.decode('{"a":1}').a)
                ngx.say(pcall(safe.decode))
                local s2 = safe.new()
                ngx.say(s2.decode("x"))
                """)).isEqualTo("""
                nilExpected value but found invalid token at character 1
                nilCannot serialise function: type not supported
                nilbad argument #1 to '?' (string expected, got table)
                {"a":[1]} 1
                falsebad argument #1 to 'decode' (expected 1 argument)
                nilExpected value but found invalid token at character 1
                """);
    }

    @Test
    void settingsChangeOneInstanceAndReturnTheirValues() throws Exception {
        assertThat(run("""
                local cjson = require "cjson"
                local c = cjson.new()
                ngx.say(c.encode_empty_table_as_object(false), " ", c.encode({}), " ", cjson.encode({}))
                ngx.say(c.decode_array_with_array_mt(true), " ", c.encode(c.decode("[]")),
                        " ", getmetatable(c.decode("[1]")) == cjson.array_mt)
                ngx.say(c.encode_number_precision(16), " ", c.encode(2^53), " ", c.encode(0.1))
                ngx.say(c.encode_sparse_array(true), " ", c.encode({[1000] = 1}))
                ngx.say(c.encode_invalid_numbers("null"), " ", c.encode({0/0}), " ", c.encode_invalid_numbers(true), " ", c.encode({1/0}))
                ngx.say(c.encode_max_depth(2), " ", select(2, pcall(c.encode, {{{}}})))
                ngx.say(c.decode_max_depth(2), " ", select(2, pcall(c.decode, "[[[1]]]")))
                ngx.say(c.encode_skip_unsupported_value_types(true), " ", c.encode({1, print, 2}), " ", c.encode({a = print, b = 1}))
                ngx.say(select(2, pcall(c.encode_max_depth, 0)))
                ngx.say(select(2, pcall(c.encode_empty_table_as_object, "maybe")))
                ngx.say(select(2, pcall(c.encode_sparse_array, true, 2, 10, 1)))
                ngx.say(cjson.encode_sparse_array())
                ngx.say(cjson.encode_max_depth(), " ", cjson.encode_number_precision())
                """)).isEqualTo("""
                false [] {}
                true [] true
                16 9007199254740992 0.1
                true {"1000":1}
                null [null] true [Infinity]
                2 Cannot serialise, excessive nesting (3)
                2 Found too many nested data structures (3) at character 3
                true [1,2] {"b":1}
                bad argument #1 to 'encode_max_depth' (expected integer between 1 and 2147483647)
                bad argument #1 to 'encode_empty_table_as_object' (invalid option 'maybe')
                bad argument #4 to 'encode_sparse_array' (found too many arguments)
                false210
                1000 14
                """);
    }

    @Test
    void forwardSlashEscapingIsOneSettingForTheWholeVm() throws Exception {
        assertThat(run("""
                local cjson = require "cjson"
                local safe = require "cjson.safe"
                ngx.say(cjson.encode("a/b"), " ", cjson.encode_escape_forward_slash(false), " ", cjson.encode("a/b"),
                        " ", safe.encode("a/b"), " ", safe.encode_escape_forward_slash())
                cjson.encode_escape_forward_slash(true)
                """)).isEqualTo("\"a\\/b\" false \"a/b\" \"a/b\" true\n");
    }

    @Test
    void anUncaughtErrorFailsTheRequestWithTheMessageLogged() throws Exception {
        try (LuaServer s = LuaServer.content("local cjson = require 'cjson'\nngx.say(cjson.decode('oops'))")) {
            HttpResponse<String> r = s.get("/t");
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(s.logs).anySatisfy(l -> assertThat(l.message())
                    .contains(":2: Expected value but found invalid token at character 1"));
        }
    }

    @Test
    void nullIsNgxNull() throws Exception {
        // t/069-null.t TEST 1 of lua-nginx-module
        assertThat(run("""
                local cjson = require "cjson"
                ngx.say(cjson.null == ngx.null)
                ngx.say(cjson.encode(ngx.null))
                """)).isEqualTo("true\nnull\n");
    }
}
