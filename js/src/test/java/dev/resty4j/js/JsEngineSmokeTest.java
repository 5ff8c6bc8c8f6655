package dev.resty4j.js;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Phase;
import dev.resty4j.Resty;
import dev.resty4j.Script;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import org.junit.jupiter.api.Test;

class JsEngineSmokeTest {

    private static Script js(String code, String chunk) {
        return new Script("js", code, chunk, 1, null);
    }

    @Test
    void helloAndAsync() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().workers(1).sharedDict("dogs", "1m")
                .location("/hello", l -> l.phase(Phase.CONTENT, js("ngx.say('hello ', ngx.var.uri, ' ', ngx.shared.dogs.incr('k', 1, 0))", "content_by_js")))
                .location("/sleep", l -> l.phase(Phase.CONTENT, js("await ngx.sleep(0.01); ngx.header['X-A'] = 'b'; ngx.say('slept')", "content_by_js"))))) {
            MockResponse r = t.get("/hello").run();
            assertThat(r.body()).isEqualTo("hello /hello 1\n");
            MockResponse s = t.get("/sleep").run();
            assertThat(s.status()).isEqualTo(200);
            assertThat(s.header("X-A")).isEqualTo("b");
            assertThat(s.body()).isEqualTo("slept\n");
        }
    }
}
