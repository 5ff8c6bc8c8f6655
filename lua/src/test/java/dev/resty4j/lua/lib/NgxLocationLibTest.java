package dev.resty4j.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import org.junit.jupiter.api.Test;

/** {@code ngx.location.capture} and {@code capture_multi}, as OpenResty's t/020, t/027 and t/055 show them. */
class NgxLocationLibTest {

    @Test
    void captureYieldsSoSpawnReturnsToTheParentFirst() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder()
                .location("/t", l -> l.contentByLua("""
                        local function f(i)
                            local res = ngx.location.capture("/sub/" .. i)
                            ngx.say("status: ", res.status)
                        end
                        for i = 1, 2 do ngx.thread.spawn(f, i) end
                        ngx.say("ok")
                        """))
                .location("/sub/", l -> l.returns(404, null)))) {
            assertThat(t.get("/t").run().body()).isEqualTo("ok\nstatus: 404\nstatus: 404\n");
        }
    }

    @Test
    void theHeadersOptionOverridesTheParentsRequestHeaders() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder()
                .location("/t", l -> l.contentByLua("""
                        local r1, r2 = ngx.location.capture_multi{
                            {"/echo", { headers = { ["X-Test"] = "aa" } }},
                            {"/echo"},
                        }
                        ngx.say(r1.body, " ", r2.body)
                        """))
                .location("= /echo", l -> l.contentByLua("ngx.print(ngx.var.http_x_test)")))) {
            assertThat(t.get("/t").header("X-Test", "parent").run().body()).isEqualTo("aa parent\n");
        }
    }

    @Test
    void varsMustBeDeclaredVariables() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder()
                .location("/declared", l -> l.set("$dog", "").contentByLua("""
                        local res = ngx.location.capture("/other", { vars = { dog = "hello" } })
                        ngx.print(res.body)
                        """))
                .location("/undeclared", l -> l.contentByLua("""
                        local res = ngx.location.capture("/other", { vars = { cat = 32 } })
                        ngx.print(res.body)
                        """))
                .location("/other", l -> l.contentByLua("ngx.say('dog = ', ngx.var.dog)")))) {
            assertThat(t.get("/declared").run().body()).isEqualTo("dog = hello\n");
            MockResponse r = t.get("/undeclared").run();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.logs()).anyMatch(l -> l.message().contains(
                    "variable \"cat\" cannot be assigned a value (maybe you forgot to define it first?)"));
        }
    }

    @Test
    void aBodyFilterDroppingEofTruncatesTheCapturedResponse() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder()
                .location("/t", l -> l.contentByLua("""
                        local res = ngx.location.capture("/read")
                        ngx.say("truncated: ", res.truncated, " ", res.body)
                        local res2 = ngx.location.capture("/whole")
                        ngx.say("truncated: ", res2.truncated, " ", res2.body)
                        """))
                .location("/read", l -> l.returns(200, "hello world")
                        .bodyFilterByLua("if ngx.arg[2] then ngx.arg[2] = false end"))
                .location("/whole", l -> l.returns(200, "hello world").bodyFilterByLua("local _ = ngx.arg[1]")))) {
            assertThat(t.get("/t").run().body()).isEqualTo("truncated: true hello world\ntruncated: false hello world\n");
        }
    }
}
