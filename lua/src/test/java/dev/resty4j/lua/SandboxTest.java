package dev.resty4j.lua;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.config.ConfigLoader;
import dev.resty4j.testing.RestyTester;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lua sandbox (issue 11, "Isolation"): what scripts cannot reach by default, {@code os.getenv} limited to
 * variables declared with {@code env}, and {@code lua_sandbox off} giving the dangerous parts back.
 */
class SandboxTest {

    @TempDir
    Path dir;

    private static String run(Resty.Builder b, String lua) throws Exception {
        try (RestyTester t = RestyTester.of(b.workers(1).location("/t", l -> l.contentByLua(lua)))) {
            var r = t.get("/t").run();
            assertThat(r.status()).as("status; log: %s", r.logs()).isEqualTo(200);
            return r.body();
        }
    }

    private static String sandboxed(String lua) throws Exception {
        return run(Resty.builder(), lua);
    }

    @Test
    void dangerousLibrariesAreAbsent() throws Exception {
        assertThat(sandboxed("""
                ngx.say(type(io), " ", type(os.execute), " ", type(os.exit), " ", type(os.remove), " ",
                        type(os.rename), " ", type(os.tmpname), " ", type(dofile), " ", type(loadfile), " ",
                        type(luajava), " ", type(os.time), " ", type(os.clock), " ", type(os.date))
                """)).isEqualTo("nil nil nil nil nil nil nil nil nil function function function\n");
    }

    @Test
    void noFileOrProcessAccessThroughRequire() throws Exception {
        // the libraries are not reachable by another name either: package.loaded and require
        assertThat(sandboxed("""
                ngx.say(type(package.loaded.io), " ", type(package.loaded.luajava), " ",
                        pcall(require, "io"), " ", pcall(require, "luajava"), " ", type(package.loadlib), " ",
                        pcall(require, "org.luaj.vm2.lib.jse.LuajavaLib"), " ", (pcall(require, "org.luaj.vm2.lib.jse.JseIoLib")))
                """)).isEqualTo("nil nil false false nil false false\n");
    }

    @Test
    void ioPopenIsUnreachable() throws Exception {
        assertThat(sandboxed("""
                local ok, err = pcall(function() return io.popen("id") end)
                ngx.say(ok, " ", err:find("attempt to index", 1, true) ~= nil)
                """)).isEqualTo("false true\n");
    }

    @Test
    void bytecodeIsRefusedByLoadAndLoadstring() throws Exception {
        assertThat(sandboxed("""
                local chunk = string.dump(function() return 1 end)
                local f, err = load(chunk)
                ngx.say(f == nil, " ", err)
                f, err = loadstring(chunk)
                ngx.say(f == nil, " ", err)
                local i = 0
                f, err = load(function() i = i + 1; if i == 1 then return chunk end end)
                ngx.say(f == nil, " ", err)
                ngx.say(load("return 1 + 1")())
                """)).isEqualTo("""
                true attempt to load a binary chunk
                true attempt to load a binary chunk
                true attempt to load a binary chunk
                2
                """);
    }

    @Test
    void debugOffersOnlyTraceback() throws Exception {
        assertThat(sandboxed("""
                local names = {}
                for k in pairs(debug) do names[#names + 1] = k end
                ngx.say(table.concat(names, ","), " ", type(package.loaded.debug.getupvalue))
                local ok, tb = xpcall(function() error("boom") end, debug.traceback)
                ngx.say(ok, " ", tb:match(":%d+: (boom\\nstack traceback:\\n.*)$"))
                ngx.say(type(debug.traceback({})), " ", type(debug.traceback(true)), " ", debug.traceback(42):sub(1, 3))
                """)).isEqualTo("traceback nil\nfalse boom\nstack traceback:\n\t[C]: in function 'traceback'\ntable boolean 42\n\n");
    }

    @Test
    void getenvSeesOnlyDeclaredVariables() throws Exception {
        assertThat(run(Resty.builder().env("PATH").env("APP_SECRET", "s3cret"), """
                ngx.say(os.getenv("APP_SECRET"), " ", os.getenv("HOME"), " ", os.getenv("PATH") == os.getenv("PATH"),
                        " ", os.getenv("PATH") ~= nil)
                """)).isEqualTo("s3cret nil true true\n");
    }

    @Test
    void envDirectivesInAConfigDeclareVariables() throws Exception {
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, """
                env PATH;
                env GREETING=hello;
                http {
                    server {
                        listen 8080;
                        location /t { content_by_lua_block {
                            ngx.say(os.getenv("GREETING"), " ", os.getenv("PATH") ~= nil, " ", os.getenv("HOME"))
                        } }
                    }
                }
                """);
        try (RestyTester t = RestyTester.of(ConfigLoader.load(conf, ConfigLoader.Options.strict()))) {
            assertThat(t.get("/t").run().body()).isEqualTo("hello true nil\n");
        }
    }

    @Test
    void sandboxOffInConfigGivesTheWholeLibraryBack() throws Exception {
        Path file = dir.resolve("data.txt");
        Files.writeString(file, "from disk");
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, """
                http {
                    lua_sandbox off;
                    server {
                        listen 8080;
                        location /t { content_by_lua_block {
                            local f = assert(io.open("%s"))
                            ngx.say(f:read("*a"))
                            f:close()
                            ngx.say(type(os.execute), " ", type(os.exit), " ", type(luajava), " ",
                                    type(debug.getupvalue), " ", type(dofile))
                            local g = load(string.dump(function() return "from bytecode" end))
                            ngx.say(g())
                            ngx.say(os.getenv("HOME"))
                        } }
                    }
                }
                """.formatted(file));
        try (RestyTester t = RestyTester.of(ConfigLoader.load(conf, ConfigLoader.Options.strict()))) {
            var r = t.get("/t").run();
            assertThat(r.body()).as("log: %s", r.logs())
                    .isEqualTo("from disk\nfunction function table function function\nfrom bytecode\nnil\n");
        }
    }

    @Test
    void sandboxOnIsTheDefaultAndCanBeSaidExplicitly() throws Exception {
        assertThat(run(Resty.builder().sandbox(true), "ngx.say(type(io), ' ', type(os.execute))")).isEqualTo("nil nil\n");
        assertThat(run(Resty.builder().sandbox(false), "ngx.say(type(io), ' ', type(os.execute))"))
                .isEqualTo("table function\n");
    }

    @Test
    void sandboxOffKeepsTheScriptBudgets() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().workers(1).sandbox(false)
                .httpDirective("lua_script_instructions", java.util.List.of("100000"))
                .location("/t", l -> l.contentByLua("local i = 0 while true do i = i + 1 end")))) {
            var r = t.get("/t").run();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.logs()).anyMatch(l -> l.line().contains("(lua_script_instructions)"));
        }
    }

    @Test
    void sandboxDirectiveTakesOnlyOnOrOff() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load("lua_sandbox maybe;",
                        "nginx.conf", dir, ConfigLoader.Options.strict()))
                .hasMessageContaining("it must be \"on\" or \"off\"");
    }
}
