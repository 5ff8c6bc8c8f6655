package dev.resty4j.lua;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.RestyTester;
import org.junit.jupiter.api.Test;

/** Library bugs the hostile-requests fuzz test ({@link HostileRequestsFuzzTest}) found, each pinned down. */
class HostileInputRegressionTest {

    private static String body(String lua, String target) throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().workers(1).location("/t", l -> l.contentByLua(lua)))) {
            var r = t.get(target).run();
            assertThat(r.status()).as("log: %s", r.logs()).isEqualTo(200);
            return r.body();
        }
    }

    @Test
    void numericLookingArgNamesRoundTripThroughSetUriArgs() throws Exception {
        // decoded args have string keys such as "1"; LuaJ calls them numbers, which made set_uri_args refuse them
        assertThat(body("""
                ngx.req.set_uri_args(ngx.req.get_uri_args())
                ngx.say(ngx.var.args)
                ngx.say(ngx.encode_args({["1"] = "a"}))
                """, "/t?1=a")).isEqualTo("1=a\n1=a\n");
    }

    @Test
    void setUriArgsWithANonStringKeyIsALuaErrorNotAJavaException() throws Exception {
        assertThat(body("""
                local ok, err = pcall(ngx.req.set_uri_args, {[1] = "a"})
                ngx.say(ok, " ", err)
                """, "/t")).isEqualTo("false attempt to use a non-string key in the \"args\" option table\n");
    }
}
