package dev.resty4j.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The request body as OpenResty's t/010-request_body.t, t/031-post-args.t and t/044-req-body.t show it,
 * including bodies nginx keeps in a temporary file.
 */
class NgxReqBodyTest {

    /** Reports data, file (and the file's contents, read by the test) for the body the script sees. */
    private static final String REPORT = """
            local data = ngx.req.get_body_data()
            local file = ngx.req.get_body_file()
            ngx.header["X-Body-File"] = file
            ngx.say("data: ", data, ", file: ", file ~= nil, ", length: ", ngx.var.http_content_length)
            """;

    @Test
    void getBodyDataTakesAMaximumLength() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.needRequestBody(true)
                .contentByLua("ngx.say(ngx.req.get_body_data(1), ' ', ngx.req.get_body_data())")))) {
            assertThat(t.request("POST", "/t").body("hello").run().body()).isEqualTo("h hello\n");
        }
    }

    @Test
    void clientBodyInFileOnlyPutsTheBodyInAFileThatStays() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l
                .directive("client_body_in_file_only", List.of("on"))
                .contentByLua("ngx.req.read_body()\n" + REPORT + """
                        local args, err = ngx.req.get_post_args()
                        ngx.say("args: ", args, " ", err)
                        ngx.req.set_body_data("in memory")
                        ngx.say(ngx.req.get_body_data(), " ", ngx.req.get_body_file())
                        """)))) {
            MockResponse r = t.request("POST", "/t").body("a=1&b=2").run();
            assertThat(r.body()).isEqualTo("""
                    data: nil, file: true, length: 7
                    args: nil request body in temp file not supported
                    in memory nil
                    """);
            Path file = Path.of(r.header("X-Body-File"));
            assertThat(Files.readString(file)).isEqualTo("a=1&b=2");
            Files.delete(file);
        }
    }

    @Test
    void aBodyLargerThanTheBufferGoesToAFileRemovedAtTheEnd() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l
                .directive("client_body_buffer_size", List.of("4"))
                .contentByLua("ngx.req.read_body()\n" + REPORT)))) {
            MockResponse big = t.request("POST", "/t").body("hello").run();
            assertThat(big.body()).isEqualTo("data: nil, file: true, length: 5\n");
            assertThat(Path.of(big.header("X-Body-File"))).doesNotExist();
            assertThat(t.request("POST", "/t").body("hey").run().body()).isEqualTo("data: hey, file: false, length: 3\n");
        }
    }

    @Test
    void initBodyBuildsABodyInMemoryOrPastItsBufferInAFile() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.contentByLua("""
                ngx.req.read_body()
                ngx.req.init_body(tonumber(ngx.var.arg_size))
                ngx.req.append_body("he")
                ngx.req.append_body("llo")
                ngx.req.finish_body()
                """ + REPORT)))) {
            assertThat(t.get("/t?size=8").run().body()).isEqualTo("data: hello, file: false, length: 5\n");
            assertThat(t.get("/t?size=4").run().body()).isEqualTo("data: nil, file: true, length: 5\n");
            assertThat(t.get("/t?size=0").run().body()).isEqualTo("data: nil, file: true, length: 5\n");
        }
    }

    @Test
    void initBodyBeforeTheBodyIsReadIsAnError() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().location("/t", l -> l.contentByLua("""
                ngx.req.init_body()
                ngx.say("not reached")
                """)))) {
            MockResponse r = t.get("/t").run();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.logs()).anyMatch(l -> l.message().contains("request body not read yet"));
        }
    }
}
