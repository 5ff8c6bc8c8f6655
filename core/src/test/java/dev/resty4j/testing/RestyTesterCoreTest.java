package dev.resty4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resty4j.Resty;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The tester without a script engine; the Lua-driven tests live in the lua module. */
class RestyTesterCoreTest {

    @Test
    void withoutLocationsEverythingIs404AndBigBodiesAreRefused() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().workers(1).clientMaxBodySize(8))) {
            MockResponse r = t.get("/anything").run();
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("Content-Type")).isEqualTo("text/html");
            assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(r.bodyBytes().length));
            assertThat(r.body()).contains("404 Not Found");

            // Refused by the host before any phase runs, as the Vert.x host does from Content-Length.
            MockResponse refused = t.request("PUT", "/anything").body("123456789").run();
            assertThat(refused.status()).isEqualTo(413);
            assertThat(refused.header("Connection")).isEqualTo("close");
            assertThat(refused.logs()).singleElement().satisfies(rec ->
                    assertThat(rec.message()).isEqualTo("client intended to send too large body: 9 bytes"));
            assertThat(t.logs()).containsExactlyElementsOf(refused.logs());
        }
    }

    @Test
    void fakeClock() {
        FakeClock c = FakeClock.startingAt(Instant.parse("2024-02-29T12:00:00Z"));
        assertThat(c.advance(Duration.ofMillis(1500)).instant()).isEqualTo(Instant.parse("2024-02-29T12:00:01.500Z"));
        assertThat(c.getAsLong()).isEqualTo(c.millis());
        assertThatThrownBy(() -> c.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(c.set(Instant.EPOCH).millis()).isZero();
        assertThat(FakeClock.create().instant()).isEqualTo(FakeClock.DEFAULT_START);
    }
}
