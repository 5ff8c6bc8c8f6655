package dev.resty4j.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** resty.session (lua-resty-session 4.x API): login/logout, tampering, timeouts, rotation, storages. */
class SessionTest {

    private static final String LOCATIONS_INIT = "require('resty.session').init({ secret = 'test-secret', %s })";

    private static Resty.Builder app(String extraConfig) {
        return Resty.builder().workers(2).sharedDict("sessions", "1m")
                .initByLua(LOCATIONS_INIT.formatted(extraConfig))
                .location("/login", l -> l.contentByLua("""
                        local session = require("resty.session").new()
                        session:set("user", ngx.var.arg_user)
                        session:set_subject(ngx.var.arg_user)
                        local ok, err = session:save()
                        ngx.say("login ", ok, " ", err)
                        """))
                .location("/me", l -> l.contentByLua("""
                        local session, err, exists = require("resty.session").open()
                        if not exists then
                            ngx.status = 401
                            ngx.say("anonymous: ", err)
                            return
                        end
                        ngx.say("user=", session:get("user"), " subject=", session:get_subject())
                        """))
                .location("/start", l -> l.contentByLua("""
                        local session, err, exists, refreshed = require("resty.session").start()
                        ngx.say(exists, " ", refreshed, " ", session:get("user"))
                        """))
                .location("/logout", l -> l.contentByLua("""
                        local ok, err, exists, logged_out = require("resty.session").logout()
                        ngx.say("logout ", ok, " ", err, " ", exists, " ", logged_out)
                        """));
    }

    /** The cookie pair ({@code session=...}) of a response's Set-Cookie for the session cookie. */
    private static String cookie(MockResponse r) {
        return r.headers("Set-Cookie").stream().filter(c -> c.startsWith("session=")).findFirst()
                .map(c -> c.substring(0, c.indexOf(';'))).orElseThrow();
    }

    @Test
    void loginMeLogoutOverHttp() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (Resty resty = app("").vertx(vertx).build()) {
            HttpServer server = vertx.createHttpServer().requestHandler(resty.handler()).listen(0, "127.0.0.1").await();
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.actualPort();
            HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(base + "/login?user=alice")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.body()).isEqualTo("login true nil\n");
            String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(setCookie).startsWith("session=").contains("; Path=/; SameSite=Lax; HttpOnly")
                    .doesNotContain("Expires").doesNotContain("Secure");
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));

            HttpResponse<String> me = client.send(HttpRequest.newBuilder(URI.create(base + "/me")).header("Cookie", "a=b; " + cookie).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(me.body()).isEqualTo("user=alice subject=alice\n");

            HttpResponse<String> logout = client.send(HttpRequest.newBuilder(URI.create(base + "/logout")).header("Cookie", cookie).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(logout.body()).isEqualTo("logout true nil true true\n");
            assertThat(logout.headers().firstValue("Set-Cookie").orElseThrow())
                    .startsWith("session=; Path=/").contains("Max-Age=0");

            HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(URI.create(base + "/me")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).isEqualTo("anonymous: missing session cookie\n");
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void aTamperedOrForeignCookieIsNoSession() throws Exception {
        try (RestyTester t = RestyTester.of(app(""))) {
            String cookie = cookie(t.get("/login?user=alice").run());
            byte[] raw = Base64.getUrlDecoder().decode(cookie.substring("session=".length()));
            for (int i : new int[] {0, 1, 10, 40, 60, 80, raw.length - 1}) {
                byte[] bad = raw.clone();
                bad[i] ^= 1;
                MockResponse r = t.get("/me").header("Cookie", "session=" + Base64.getUrlEncoder().withoutPadding().encodeToString(bad)).run();
                assertThat(r.status()).as("byte %d", i).isEqualTo(401);
                assertThat(r.body()).isEqualTo("anonymous: invalid session cookie\n");
            }
            assertThat(t.get("/me").header("Cookie", "session=garbage!").run().body()).isEqualTo("anonymous: invalid session cookie\n");
            assertThat(t.get("/me").header("Cookie", cookie).run().body()).isEqualTo("user=alice subject=alice\n");
        }
        // the same cookie under another secret is no session either
        String cookie;
        try (RestyTester t = RestyTester.of(app(""))) {
            cookie = cookie(t.get("/login?user=alice").run());
        }
        try (RestyTester other = RestyTester.of(app("").initByLua(LOCATIONS_INIT.formatted("secret = 'other'")))) {
            assertThat(other.get("/me").header("Cookie", cookie).run().body()).isEqualTo("anonymous: invalid session cookie\n");
        }
    }

    @Test
    void idlingRollingAndAbsoluteTimeoutsEndTheSession() throws Exception {
        try (RestyTester t = RestyTester.builder(app("idling_timeout = 60, rolling_timeout = 600, absolute_timeout = 1000"))
                .withFakeClock().build()) {
            String cookie = cookie(t.get("/login?user=alice").run());
            t.clock().advance(Duration.ofSeconds(59));
            assertThat(t.get("/me").header("Cookie", cookie).run().status()).isEqualTo(200);
            t.clock().advance(Duration.ofSeconds(1));
            assertThat(t.get("/me").header("Cookie", cookie).run().body()).isEqualTo("anonymous: session idling timeout exceeded\n");

            // start() touches an active session, so it stays alive while used
            cookie = cookie(t.get("/login?user=bob").run());
            for (int i = 0; i < 5; i++) {
                t.clock().advance(Duration.ofSeconds(50));
                MockResponse r = t.get("/start").header("Cookie", cookie).run();
                assertThat(r.body()).isEqualTo("true true bob\n");
                cookie = cookie(r);
            }
            // 250 s after login, past the idling timeout of the original cookie, the touched one still works
            assertThat(t.get("/me").header("Cookie", cookie).run().status()).isEqualTo(200);
        }
        try (RestyTester t = RestyTester.builder(app("idling_timeout = 0, rolling_timeout = 100, absolute_timeout = 1000"))
                .withFakeClock().build()) {
            String cookie = cookie(t.get("/login?user=alice").run());
            t.clock().advance(Duration.ofSeconds(100));
            assertThat(t.get("/me").header("Cookie", cookie).run().body()).isEqualTo("anonymous: session rolling timeout exceeded\n");
        }
        try (RestyTester t = RestyTester.builder(app("idling_timeout = 0, rolling_timeout = 100, absolute_timeout = 150"))
                .withFakeClock().build()) {
            String cookie = cookie(t.get("/login?user=alice").run());
            t.clock().advance(Duration.ofSeconds(80)); // past 3/4 of rolling: start() rotates
            MockResponse rotated = t.get("/start").header("Cookie", cookie).run();
            assertThat(rotated.body()).isEqualTo("true true alice\n");
            String next = cookie(rotated);
            t.clock().advance(Duration.ofSeconds(60)); // 140 s: the old cookie rolled over, the rotated one lives
            assertThat(t.get("/me").header("Cookie", cookie).run().status()).isEqualTo(401);
            assertThat(t.get("/me").header("Cookie", next).run().status()).isEqualTo(200);
            t.clock().advance(Duration.ofSeconds(10)); // 150 s: absolute timeout, whatever the rotation
            assertThat(t.get("/me").header("Cookie", next).run().body()).isEqualTo("anonymous: session absolute timeout exceeded\n");
        }
    }

    @Test
    void touchingAStoredSessionKeepsItsStoredDataAlive() throws Exception {
        try (RestyTester t = RestyTester.builder(app("storage = 'shm', idling_timeout = 60, stale_ttl = 1"))
                .withFakeClock().build()) {
            String cookie = cookie(t.get("/login?user=bob").run());
            for (int i = 0; i < 5; i++) {
                t.clock().advance(Duration.ofSeconds(50));
                MockResponse r = t.get("/start").header("Cookie", cookie).run();
                assertThat(r.body()).isEqualTo("true true bob\n");
                cookie = cookie(r);
            }
            // 250 s after login: the stored entry (first stored for 61 s) was extended by every touch
            assertThat(t.get("/me").header("Cookie", cookie).run().body()).isEqualTo("user=bob subject=bob\n");
        }
    }

    @Test
    void everySaveRotatesTheId() throws Exception {
        try (RestyTester t = RestyTester.of(app("").location("/id", l -> l.contentByLua("""
                local session = require("resty.session").open()
                local before = session:get_property("id")
                session:set("n", (session:get("n") or 0) + 1)
                session:save()
                ngx.say(before ~= session:get_property("id"), " ", #session:get_property("id"), " ", session:get("n"))
                """)))) {
            String cookie = cookie(t.get("/login?user=a").run());
            MockResponse r = t.get("/id").header("Cookie", cookie).run();
            assertThat(r.body()).isEqualTo("true 43 1\n");
            assertThat(cookie(r)).isNotEqualTo(cookie);
            assertThat(t.get("/id").header("Cookie", cookie(r)).run().body()).isEqualTo("true 43 2\n");
        }
    }

    @Test
    void sharedDictStorageKeepsOnlyTheIdInTheCookie() throws Exception {
        try (RestyTester t = RestyTester.of(app("storage = 'shm', shm = { zone = 'sessions', prefix = 'sess' }")
                .location("/big", l -> l.contentByLua("""
                        local session = require("resty.session").new()
                        session:set("blob", string.rep("x", 8000))
                        ngx.say(session:save())
                        """)))) {
            MockResponse login = t.get("/login?user=carol").run();
            String cookie = cookie(login);
            assertThat(cookie.length()).isLessThan(120);
            assertThat(t.sharedDict("sessions").getKeys(0)).hasSize(1).allMatch(k -> k.startsWith("sess:"));
            assertThat(t.get("/me").header("Cookie", cookie).run().body()).isEqualTo("user=carol subject=carol\n");
            assertThat(t.get("/big").run().body()).isEqualTo("true\n");
            t.get("/logout").header("Cookie", cookie).run();
            assertThat(t.get("/me").header("Cookie", cookie).run().status()).isEqualTo(401);
        }
    }

    @Test
    void cookieStorageRefusesDataTooBigForACookie() throws Exception {
        try (RestyTester t = RestyTester.of(app("").location("/big", l -> l.contentByLua("""
                local session = require("resty.session").new()
                session:set("blob", string.rep("x", 8000))
                ngx.say(session:save())
                """)))) {
            MockResponse r = t.get("/big").run();
            assertThat(r.body()).startsWith("nilsession cookie too big");
            assertThat(r.headers("Set-Cookie")).isEmpty();
        }
    }

    @Test
    void audiencesShareOneCookieAndLogOutSeparately() throws Exception {
        try (RestyTester t = RestyTester.of(app("").location("/aud", l -> l.contentByLua("""
                local session = require("resty.session")
                local s = session.open({ audience = ngx.var.arg_a })
                if ngx.var.arg_set then
                    s:set("who", ngx.var.arg_set)
                    s:save()
                elseif ngx.var.arg_logout then
                    s:logout()
                end
                ngx.say(ngx.var.arg_a, "=", tostring(s:get("who")))
                """)))) {
            String c = cookie(t.get("/aud?a=app1&set=one").run());
            c = cookie(t.get("/aud?a=app2&set=two").header("Cookie", c).run());
            assertThat(t.get("/aud?a=app1").header("Cookie", c).run().body()).isEqualTo("app1=one\n");
            assertThat(t.get("/aud?a=app2").header("Cookie", c).run().body()).isEqualTo("app2=two\n");
            c = cookie(t.get("/aud?a=app1&logout=1").header("Cookie", c).run());
            assertThat(t.get("/aud?a=app1").header("Cookie", c).run().body()).isEqualTo("app1=nil\n");
            assertThat(t.get("/aud?a=app2").header("Cookie", c).run().body()).isEqualTo("app2=two\n");
        }
    }

    @Test
    void rememberMakesAPersistentCookieAndUnavailableStoragesAreRefusedClearly() throws Exception {
        try (RestyTester t = RestyTester.of(app("remember = true, cookie_secure = true, cookie_same_site = 'Strict'")
                .location("/redis", l -> l.contentByLua("""
                        -- this module's tests run without resty4j-bindings-redis (examples' SessionRedisExampleTest has it)
                        ngx.say(pcall(function()
                            local s = require("resty.session").new({ storage = "redis" })
                            s:set("user", "a")
                            return s:save()
                        end))
                        ngx.say(pcall(require("resty.session").new, { storage = "memcached" }))
                        ngx.say(pcall(require("resty.session").new, { storage = "redis", redis = { password = "x" } }))
                        """)))) {
            String setCookie = t.get("/login?user=a").run().headers("Set-Cookie").get(0);
            // a persistent cookie, until the remember rolling timeout (which comes before the absolute one)
            assertThat(setCookie).contains("; SameSite=Strict; Secure; HttpOnly; Expires=").contains("; Max-Age=604800");
            assertThat(t.get("/redis").run().body().split("\n")).satisfiesExactly(
                    l -> assertThat(l).startsWith("false").contains("storage \"redis\" needs resty4j-bindings-redis"),
                    l -> assertThat(l).startsWith("false").contains("unsupported session storage: memcached"),
                    l -> assertThat(l).startsWith("false").contains("unsupported session redis option: password"));
        }
    }
}
