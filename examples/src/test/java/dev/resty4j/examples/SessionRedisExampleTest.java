package dev.resty4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.config.ConfigLoader;
import dev.resty4j.server.RestyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/conf/session-redis.conf}: resty.session with Redis storage against the machine's Redis,
 * over HTTP, on two instances sharing it (as {@code ./resty4j serve} twice). The test changes only the
 * key prefix (one per run, so it can see its own keys) and, for the expiry test, the idling timeout and
 * stale_ttl (how long an entry outlives it in Redis).
 */
class SessionRedisExampleTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path tmp;
    LocalRedis redis;
    final String prefix = "r4jt-session-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void redis() {
        redis = LocalRedis.require();
    }

    @AfterEach
    void cleanUp() {
        List<String> left = keys();
        if (!left.isEmpty()) {
            redis.send("del", left.toArray(String[]::new));
        }
        redis.close();
    }

    /** The Redis keys of this test's sessions (the dict's naming: resty4j:dict:session:PREFIX:ID). */
    private List<String> keys() {
        return redis.keys("resty4j:dict:session:" + prefix + ":*");
    }

    private RestyServer serve(String idlingTimeout) throws Exception {
        String text = Files.readString(Path.of("conf/session-redis.conf"))
                .replace("prefix = \"example-sessions\"", "prefix = \"" + prefix + "\"")
                .replace("idling_timeout = 900", "idling_timeout = " + idlingTimeout);
        Path conf = Files.createTempFile(tmp, "session-redis-", ".conf");
        Files.writeString(conf, text);
        return RestyServer.start(conf, "127.0.0.1:0", null, b -> b.workers(2), ConfigLoader.Options.strict());
    }

    private static HttpResponse<String> get(RestyServer s, String path, String cookie) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port(0) + path));
        if (cookie != null) {
            r.header("Cookie", cookie);
        }
        return CLIENT.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sessionCookie(HttpResponse<String> r) {
        String setCookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("session="))
                .findFirst().orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void loginOnOneInstanceIsSeenByTheOtherUntilLogout() throws Exception {
        try (RestyServer a = serve("900"); RestyServer b = serve("900")) {
            HttpResponse<String> login = get(a, "/login?user=ann", null);
            assertThat(login.body()).isEqualTo("logged in as ann\n");
            String cookie = sessionCookie(login);
            // the data is in Redis, not in the cookie; Redis drops it when the idling timeout (+ stale_ttl 10 s) would
            assertThat(keys()).hasSize(1);
            assertThat(redis.send("ttl", keys().get(0)).toLong()).isBetween(1L, 910L);
            assertThat(redis.send("hget", keys().get(0), "v").toString()).doesNotContain("ann");

            assertThat(get(a, "/me", cookie).body()).isEqualTo("user: ann\n");
            assertThat(get(b, "/me", cookie).body()).isEqualTo("user: ann\n");

            HttpResponse<String> logout = get(b, "/logout", cookie);
            assertThat(logout.body()).isEqualTo("logged out\n");
            assertThat(keys()).isEmpty();
            HttpResponse<String> after = get(a, "/me", cookie);
            assertThat(after.statusCode()).isEqualTo(401);
            assertThat(after.body()).isEqualTo("not logged in\n");
        }
    }

    @Test
    void aTamperedCookieOrAMissingRedisEntryIsNoSession() throws Exception {
        try (RestyServer a = serve("900")) {
            String cookie = sessionCookie(get(a, "/login?user=bob", null));
            int i = cookie.length() - 10;
            String tampered = cookie.substring(0, i) + (cookie.charAt(i) == 'A' ? 'B' : 'A') + cookie.substring(i + 1);
            assertThat(get(a, "/me", tampered).statusCode()).isEqualTo(401);
            assertThat(get(a, "/me", cookie).body()).isEqualTo("user: bob\n");

            redis.send("del", keys().toArray(String[]::new)); // as when Redis expires or evicts it
            HttpResponse<String> gone = get(a, "/me", cookie);
            assertThat(gone.statusCode()).isEqualTo(401);
            assertThat(gone.body()).isEqualTo("not logged in\n");
        }
    }

    @Test
    void anIdleSessionExpiresInRedisAndInTheCookie() throws Exception {
        // 2 s, not 1: idle time is counted in whole seconds, so a login and a request straddling a second
        // boundary are 1 s apart however close they are
        try (RestyServer a = serve("2, stale_ttl = 1")) {
            String cookie = sessionCookie(get(a, "/login?user=cy", null));
            assertThat(get(a, "/me", cookie).body()).isEqualTo("user: cy\n");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!keys().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(keys()).isEmpty(); // Redis expired it
            assertThat(get(a, "/me", cookie).statusCode()).isEqualTo(401);
        }
    }
}
