package dev.resty4j.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 03 "JWT Authentication at the Edge" behind {@code proxy_pass http://backend} to a loopback backend
 * that records the headers it gets. The secret reaches the seed's {@code os.getenv("JWT_SECRET")} through
 * nginx's {@code env JWT_SECRET=VALUE;} in the wrapper (the server's own process environment cannot be set
 * from inside the test JVM). Tokens are signed by jose4j, another implementation. The seed listens on
 * {@code 443 ssl}; the test serves it as plain HTTP on loopback (TLS is the listener's business, not the seed's).
 */
abstract class Seed03JwtAuthContract extends SeedContract {

    static final String SECRET = "seed-test-secret-0123456789abcdef";
    static final HmacKey KEY = new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8));

    Backend backend;

    @BeforeEach
    void start() {
        backend = Backend.ok(vertx);
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    private SeedServer serve() throws Exception {
        return SeedServer.serve(conf(), new Wrapper().env("JWT_SECRET", SECRET).upstream("backend", backend.address()), tmp);
    }

    static String token(String alg, Key key, JwtClaims claims) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(alg);
        jws.setKey(key);
        jws.setDoKeyValidation(false);
        return jws.getCompactSerialization();
    }

    static JwtClaims claims(String sub, String role, int expiresInMinutes) {
        JwtClaims c = new JwtClaims();
        c.setSubject(sub);
        if (role != null) {
            c.setClaim("role", role);
        }
        c.setExpirationTimeMinutesInTheFuture(expiresInMinutes);
        return c;
    }

    private static HttpResponse<String> get(SeedServer s, String authorization) throws Exception {
        return authorization == null ? s.get("/api/protected/orders")
                : s.get("/api/protected/orders", "Authorization", authorization);
    }

    @Test
    void missingOrNonBearerAuthorizationIs401MissingToken() throws Exception {
        try (SeedServer s = serve()) {
            for (String auth : new String[] {null, "Basic dXNlcjpwYXNz", "bearer lowercase"}) {
                HttpResponse<String> r = get(s, auth);
                assertThat(r.statusCode()).as(String.valueOf(auth)).isEqualTo(401);
                assertThat(r.body()).isEqualTo("{\"error\":\"missing_token\"}\n");
                assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"api\"");
            }
            assertThat(backend.seen).isEmpty();
        }
    }

    @Test
    void validHs256TokenReachesTheBackendWithUserHeaders() throws Exception {
        try (SeedServer s = serve()) {
            HttpResponse<String> r = get(s, "Bearer " + token("HS256", KEY, claims("alice", "admin", 5)));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("backend ok");
            HttpResponse<String> noRole = get(s, "Bearer " + token("HS256", KEY, claims("bob", null, 5)));
            assertThat(noRole.statusCode()).isEqualTo(200);

            assertThat(backend.seen).hasSize(2);
            assertThat(backend.seen.get(0).uri()).isEqualTo("/api/protected/orders");
            assertThat(backend.seen.get(0).headers().get("X-User-Id")).isEqualTo("alice");
            assertThat(backend.seen.get(0).headers().get("X-User-Role")).isEqualTo("admin");
            assertThat(backend.seen.get(1).headers().get("X-User-Id")).isEqualTo("bob");
            assertThat(backend.seen.get(1).headers().get("X-User-Role")).isEqualTo("user");
        }
    }

    @Test
    void badExpiredUnsignedAndConfusedTokensAre401InvalidToken() throws Exception {
        HmacKey wrong = new HmacKey("another-secret-0123456789abcdef!".getBytes(StandardCharsets.UTF_8));
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String valid = token("HS256", KEY, claims("alice", "admin", 5));
        String payload = valid.split("\\.")[1];
        List<String> bad = List.of(
                token("HS256", wrong, claims("alice", "admin", 5)),                   // bad signature
                token("HS256", KEY, claims("alice", "admin", -5)),                    // expired
                "eyJhbGciOiJub25lIn0." + payload + ".",                               // alg none
                token("RS256", rsa.getPrivate(), claims("alice", "admin", 5)),        // RS256 against an HMAC secret
                valid.substring(0, valid.length() - 4) + "AAAA",                      // tampered signature
                "not-a-jwt",
                "a.b.c",
                "x".repeat(20000));
        try (SeedServer s = serve()) {
            for (String tok : bad) {
                HttpResponse<String> r = get(s, "Bearer " + tok);
                assertThat(r.statusCode()).as(tok.length() > 60 ? tok.substring(0, 60) : tok).isEqualTo(401);
                assertThat(r.body()).isEqualTo("{\"error\":\"invalid_token\"}\n");
            }
            assertThat(backend.seen).isEmpty();
            assertThat(s.errorLog).noneMatch(l -> l.message().contains("runtime error"));
        }
    }

    @Test
    void anUnsetSecretIsLoggedOnceAndEveryRequestGets401() throws Exception {
        // no env line: os.getenv("JWT_SECRET") is nil, as in nginx without 'env JWT_SECRET;'
        try (SeedServer s = SeedServer.serve(conf(), new Wrapper().upstream("backend", backend.address()), tmp)) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = get(s, "Bearer " + token("HS256", KEY, claims("alice", "admin", 5)));
                assertThat(r.statusCode()).isEqualTo(401);
                assertThat(r.body()).isEqualTo("{\"error\":\"invalid_token\"}\n");
            }
            assertThat(backend.seen).isEmpty();
            assertThat(s.errorLogLinesContaining("nil secret")).isEqualTo(1);
        }
    }
}
