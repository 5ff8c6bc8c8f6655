package dev.resty4j.lua;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Headers and statuses set by scripts, through the real Vert.x host and read as raw bytes off the socket:
 * OpenResty's percent-escaping by default, and with {@code lua_strict_headers on} an error the script sees
 * (a logged 500 when uncaught) while nothing of the bad header reaches the wire.
 */
class StrictHeadersTest {

    private static final String INJECT = """
            ngx.header["X-A"] = "a\\r\\nSet-Cookie: evil=1"
            ngx.say("sent")
            """;

    /** The whole raw response to one request. */
    private static String raw(LuaServer s, String path) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static LuaServer server(boolean strict, String lua) throws Exception {
        return new LuaServer(b -> b.strictHeaders(strict).location("/t", l -> l.contentByLua(lua)));
    }

    @Test
    void byDefaultCrLfInAValueIsPercentEscapedAsOpenRestyDoes() throws Exception {
        try (LuaServer s = server(false, INJECT)) {
            String r = raw(s, "/t");
            assertThat(r).startsWith("HTTP/1.1 200 ").contains("\r\nX-A: a%0D%0ASet-Cookie: evil=1\r\n")
                    .doesNotContain("\r\nSet-Cookie:").endsWith("sent\n");
        }
    }

    @Test
    void strictModeRefusesCrLfInAValueWithALoggedError() throws Exception {
        try (LuaServer s = server(true, INJECT)) {
            String r = raw(s, "/t");
            assertThat(r).startsWith("HTTP/1.1 500 ").doesNotContain("X-A").doesNotContain("evil").doesNotContain("sent");
            assertThat(s.awaitLog(l -> l.contains("invalid value for header \"X-A\": \"a\\x0D\\x0ASet-Cookie: evil=1\"")))
                    .as("log: %s", s.log).isTrue();
        }
    }

    @Test
    void strictModeRefusesInvalidNames() throws Exception {
        try (LuaServer s = server(true, """
                local out = {}
                for _, name in ipairs({"X A", "X:B", "X\\nC", "X(D)", "X\\0E"}) do
                    local ok, err = pcall(function() ngx.header[name] = "v" end)
                    out[#out + 1] = tostring(ok) .. " " .. err:gsub("^content_by_lua:%d+: ", "")
                end
                ngx.header["X-Fine_Name"] = "tab\\tand utf-8 é"
                ngx.say(table.concat(out, "\\n"))
                ngx.say("done")
                """)) {
            String r = raw(s, "/t");
            assertThat(r).startsWith("HTTP/1.1 200 ").contains("\r\nX-Fine-Name: tab\tand utf-8 é\r\n")
                    .doesNotContain("\r\nX A").doesNotContain("\r\nX:B");
            assertThat(r.substring(r.indexOf("\r\n\r\n") + 4)).contains("""
                    false invalid header name "X A"
                    false invalid header name "X:B"
                    false invalid header name "X\\x0AC"
                    false invalid header name "X(D)"
                    false invalid header name "X\\x00E"
                    done
                    """);
        }
    }

    @Test
    void strictModeAppliesToRequestHeadersScriptsSet() throws Exception {
        try (LuaServer s = server(true, """
                local ok, err = pcall(ngx.req.set_header, "X-Up", "1\\r\\nHost: other")
                ngx.say(ok, " ", err, " ", ngx.req.get_headers()["x-up"])
                """)) {
            assertThat(s.body("/t")).isEqualTo("false invalid value for header \"X-Up\": \"1\\x0D\\x0AHost: other\" nil\n");
        }
    }

    @Test
    void strictModeRefusesOutOfRangeStatuses() throws Exception {
        try (LuaServer s = server(true, """
                local ok1, err1 = pcall(function() ngx.status = 700 end)
                local ok2, err2 = pcall(function() ngx.status = 99 end)
                ngx.status = 599
                ngx.say(ok1, " ", err1)
                ngx.say(ok2, " ", err2)
                ngx.say("ok")
                """)) {
            String r = raw(s, "/t");
            assertThat(r).startsWith("HTTP/1.1 599 ").contains("""
                    false content_by_lua:1: invalid HTTP status code: 700
                    false content_by_lua:2: invalid HTTP status code: 99
                    ok
                    """);
        }
        try (LuaServer s = server(true, "ngx.exit(1000)")) {
            assertThat(raw(s, "/t")).startsWith("HTTP/1.1 500 ");
            assertThat(s.awaitLog(l -> l.contains("invalid HTTP status code: 1000"))).as("log: %s", s.log).isTrue();
        }
    }

    @Test
    void strictModeLetsValidHeadersAndNgxConstantsThrough() throws Exception {
        try (LuaServer s = server(true, """
                ngx.header.content_type = "text/x-test; charset=utf-8"
                ngx.header["X-List"] = {"a", "b"}
                ngx.say("body")
                ngx.exit(ngx.OK)
                """)) {
            String r = raw(s, "/t");
            assertThat(r).startsWith("HTTP/1.1 200 ").containsIgnoringCase("\r\nContent-Type: text/x-test; charset=utf-8\r\n")
                    .contains("\r\nX-List: a\r\n").contains("\r\nX-List: b\r\n");
        }
    }
}
