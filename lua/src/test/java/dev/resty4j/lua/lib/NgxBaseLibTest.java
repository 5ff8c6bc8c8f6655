package dev.resty4j.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import org.junit.jupiter.api.Test;

/** The {@code ngx} table's surface as OpenResty's t/005-exit.t and t/062-count.t check it. */
class NgxBaseLibTest {

    @Test
    void httpNotImplementedIs501() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.contentByLua(
                "ngx.exit(ngx.HTTP_NOT_IMPLEMENTED)")))) {
            MockResponse r = t.get("/t").run();
            assertThat(r.status()).isEqualTo(501);
            assertThat(r.body()).contains("501");
        }
    }

    @Test
    void ngxConfigHasNginxsSixEntries() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.contentByLua("""
                local ks = {}
                for k in pairs(ngx.config) do ks[#ks + 1] = k end
                table.sort(ks)
                ngx.say(table.concat(ks, " "))
                """)))) {
            assertThat(t.get("/t").run().body())
                    .isEqualTo("debug nginx_configure nginx_version ngx_lua_version prefix subsystem\n");
        }
    }

    @Test
    void decodeBase64TakesStringsOnly() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.contentByLua(
                "ngx.say(ngx.decode_base64(32))")))) {
            MockResponse r = t.get("/t").run();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.logs()).anyMatch(l -> l.message().contains("string argument only"));
        }
    }

    @Test
    void ngxVarKeysMustBeStrings() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder()
                .location("/get", l -> l.set("$true", "32").contentByLua("ngx.say(ngx.var[true])"))
                .location("/set", l -> l.set("$true", "32").contentByLua("ngx.var[true] = 56")))) {
            for (String uri : new String[] {"/get", "/set"}) {
                MockResponse r = t.get(uri).run();
                assertThat(r.status()).isEqualTo(500);
                assertThat(r.logs()).anyMatch(l -> l.message().contains("bad variable name"));
            }
        }
    }

    @Test
    void packagePathPutsTheDefaultWhereDoubleSemicolonsAre() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().packagePath("/a/?.lua;;/b/?.lua")
                .location("/t", l -> l.contentByLua("ngx.say(package.path)")))) {
            assertThat(t.get("/t").run().body()).isEqualTo("/a/?.lua;./?.lua;/b/?.lua\n");
        }
        try (RestyTester t = RestyTester.of(Resty.builder().packagePath("/a/?.lua")
                .location("/t", l -> l.contentByLua("ngx.say(package.path)")))) {
            assertThat(t.get("/t").run().body()).isEqualTo("/a/?.lua;./?.lua\n");
        }
    }
}
