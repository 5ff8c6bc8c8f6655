package dev.resty4j.lua;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.RestyTester;
import org.junit.jupiter.api.Test;

/** The Lua sandbox: what scripts cannot reach, and os.getenv limited to declared variables. */
class SandboxTest {

    @Test
    void dangerousLibrariesAreAbsent() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().workers(1).location("/t", l -> l.contentByLua("""
                ngx.say(type(io), " ", type(os.execute), " ", type(os.exit), " ", type(os.remove), " ",
                        type(dofile), " ", type(loadfile), " ", type(luajava), " ", type(os.time))
                local f, err = load(string.dump(function() return 1 end))
                ngx.say(f == nil)
                """)))) {
            var r = t.get("/t").run();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).startsWith("nil nil nil nil nil nil nil function\n");
        }
    }

    @Test
    void getenvSeesOnlyDeclaredVariables() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().workers(1).env("PATH").env("APP_SECRET", "s3cret")
                .location("/t", l -> l.contentByLua("""
                        ngx.say(os.getenv("APP_SECRET"), " ", os.getenv("HOME"), " ", os.getenv("PATH") ~= nil)
                        """)))) {
            assertThat(t.get("/t").run().body()).isEqualTo("s3cret nil true\n");
        }
    }
}
