package dev.resty4j.lua.natives;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.RestyTester;
import org.junit.jupiter.api.Test;

/** Bindings' native modules as Lua sees them: conversions, awaited futures, handles, nil-err returns. */
class NativeModulesTest {

    @Test
    void luaCallsANativeModule() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().workers(1).location("/t", l -> l.contentByLua("""
                local echo = require "resty4j.native.echo"
                ngx.say(echo.VERSION)
                local a, b, c = echo.echo("x", 2, true)
                ngx.say(a, " ", b, " ", c)
                local d = echo.describe({1, 2, 3})
                ngx.say(d[2])
                d = echo.describe({k = "v"})
                ngx.say(d[2])
                ngx.say(echo.later("v"))
                local ok, err = echo.fail()
                ngx.say(ok, " ", err)
                ngx.say(echo.null() == ngx.null)
                local h = echo.counter()
                echo.bump(h)
                ngx.say(echo.bump(h))
                """)))) {
            var r = t.get("/t").run();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("1.0\nx 2 true\nArrayList\nLinkedHashMap\nlater:v\nnil timeout\ntrue\n2\n");
        }
    }

    @Test
    void futuresAreRefusedWhereScriptsCannotYield() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().workers(1).location("/t", l -> l
                .contentByLua("ngx.say('body')")
                .headerFilterByLua("local echo = require 'resty4j.native.echo'; ngx.header['X-R'] = tostring(pcall(echo.later, 1))")))) {
            var r = t.get("/t").run();
            assertThat(r.header("X-R")).isEqualTo("false");
        }
    }
}
