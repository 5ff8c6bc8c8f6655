package dev.resty4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.config.ConfigLoader;
import dev.resty4j.server.RestyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code examples/conf/examples.conf}, the README's first command, as {@code ./resty4j serve} serves it. */
class ExamplesConfTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static HttpResponse<String> get(RestyServer s, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port(0) + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void examplesServerServesHelloAndCount() throws Exception {
        try (RestyServer s = RestyServer.start(Path.of("conf/examples.conf"), "127.0.0.1:0", null, b -> b.workers(2),
                ConfigLoader.Options.strict())) {
            assertThat(get(s, "/hello").body()).startsWith("NGINX Lua is working.");
            assertThat(get(s, "/count").body()).isEqualTo("1\n");
            assertThat(get(s, "/missing").statusCode()).isEqualTo(404);
        }
    }
}
