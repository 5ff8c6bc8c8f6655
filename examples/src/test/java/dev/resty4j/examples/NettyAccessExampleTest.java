package dev.resty4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.examples.netty.NettyAccessExample;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The plain Netty server with a resty4j access script in front of its Java handler, over real HTTP. */
class NettyAccessExampleTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static HttpResponse<String> get(NettyAccessExample ex, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ex.port() + "/api/hello"));
        if (key != null) {
            b.header("X-Api-Key", key);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theJavaHandlerAnswersCallersTheScriptLetsThrough() throws Exception {
        try (NettyAccessExample ex = NettyAccessExample.start("127.0.0.1", 0)) {
            HttpResponse<String> r = get(ex, "k-alice");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello alice\n");
            assertThat(r.headers().firstValue("X-RateLimit-Remaining")).hasValue("4");
        }
    }

    @Test
    void unknownKeysAreRefusedBeforeJava() throws Exception {
        try (NettyAccessExample ex = NettyAccessExample.start("127.0.0.1", 0)) {
            HttpResponse<String> r = get(ex, null);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("ApiKey realm=\"api\"");
            assertThat(get(ex, "k-mallory").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void eachKeyIsRateLimited() throws Exception {
        try (NettyAccessExample ex = NettyAccessExample.start("127.0.0.1", 0)) {
            for (int i = 0; i < 5; i++) {
                assertThat(get(ex, "k-bob").statusCode()).isEqualTo(200);
            }
            HttpResponse<String> limited = get(ex, "k-bob");
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).hasValue("60");
            assertThat(get(ex, "k-alice").statusCode()).isEqualTo(200); // another key has its own budget
        }
    }
}
