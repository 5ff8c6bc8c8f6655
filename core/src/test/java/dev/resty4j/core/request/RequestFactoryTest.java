package dev.resty4j.core.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import org.junit.jupiter.api.Test;

/**
 * The host-neutral request building shared by the Vert.x host and the in-process tester. The body-limit
 * rules need locations, and locations need a script engine, so they are tested in the lua module
 * ({@code RequestFactoryBodyLimitTest}).
 */
class RequestFactoryTest {

    @Test
    void splitsAndNormalizesTheTarget() throws Exception {
        try (Resty resty = Resty.builder().workers(1).server(s -> s.serverName("example.test")).build()) {
            RequestFactory f = new RequestFactory(resty, resty.servers().get(0));
            Headers h = new Headers();
            h.add("Host", "example.test");
            RequestContext req = f.create("GET", "/a//b/../c%20d?x=1&y=%20", "1.0", h, true);

            assertThat(req.method()).isEqualTo("GET");
            assertThat(req.requestUri()).isEqualTo("/a//b/../c%20d?x=1&y=%20");
            assertThat(req.uri()).isEqualTo("/a/c d");
            assertThat(req.args()).isEqualTo("x=1&y=%20");
            assertThat(req.httpVersion()).isEqualTo("1.0");
            assertThat(req.scheme()).isEqualTo("https");
            assertThat(req.serverName()).isEqualTo("example.test");
            assertThat(req.requestHeaders()).isSameAs(h);

            RequestContext noQuery = f.create("POST", "/p", "1.1", new Headers(), false);
            assertThat(noQuery.args()).isNull();
            assertThat(noQuery.scheme()).isEqualTo("http");
            assertThat(noQuery.id()).isNotEqualTo(req.id());
        }
    }
}
