package dev.resty4j.host.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resty4j.ReloadableResty;
import dev.resty4j.Resty;
import dev.resty4j.core.engine.ScriptException;
import org.junit.jupiter.api.Test;

/** The Java reload API behind the Netty host: keep-alive connections move to the new version between requests. */
class NettyReloadTest {

    static Resty.Builder version(String text, String dictSize) {
        return Resty.builder().workers(1).sharedDict("d", dictSize)
                .location("= /t", l -> l.contentByLua("ngx.say('" + text + " ', (ngx.shared.d:incr('n', 1, 0)))"));
    }

    @Test
    void aKeepAliveConnectionSeesTheNewVersionAndTheDictKeepsCounting() throws Exception {
        try (ReloadableResty resty = ReloadableResty.start(null, () -> version("one", "1m"));
             NettyServer server = NettyServer.start(resty, "127.0.0.1", 0);
             RawHttp c = new RawHttp(server.port(0))) {
            String get = "GET /t HTTP/1.1\r\nHost: x\r\n\r\n";
            assertThat(c.send(get).read().body()).isEqualTo("one 1\n");
            resty.reload(version("two", "1m"));
            assertThat(c.send(get).read().body()).isEqualTo("two 2\n");

            // A script that does not compile is refused; "two" keeps serving.
            assertThatThrownBy(() -> resty.reload(Resty.builder().location("= /t", l -> l.contentByLua("ngx.say(("))))
                    .isInstanceOf(ScriptException.class);
            assertThat(c.send(get).read().body()).isEqualTo("two 3\n");
            assertThat(resty.generation()).isEqualTo(2);

            // A dict declared with another size starts afresh (its zone could not be kept).
            resty.reload(version("three", "2m"));
            assertThat(c.send(get).read().body()).isEqualTo("three 1\n");
        }
    }

    @Test
    void aReloadCannotChangeTheNumberOfServerBlocks() throws Exception {
        try (ReloadableResty resty = ReloadableResty.start(null, () -> version("one", "1m"))) {
            Resty.Builder two = version("x", "1m").server(s -> s.listen("127.0.0.1", 0));
            two.location("= /t", l -> l.contentByLua("ngx.say('b')"));
            assertThatThrownBy(() -> resty.reload(two)).hasMessageContaining("server block");
            assertThat(resty.generation()).isEqualTo(1);
        }
    }
}
