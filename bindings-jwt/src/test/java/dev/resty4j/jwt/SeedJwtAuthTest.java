package dev.resty4j.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.config.ConfigParser;
import dev.resty4j.config.Directive;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's "JWT Authentication at the Edge" ({@code 03-jwt-auth.conf}): its access_by_lua_block, taken
 * verbatim from the config file, in front of a content_by_lua location standing in for the proxied
 * backend (proxy_pass comes with bindings-http). {@code env JWT_SECRET;} is declared as a deployment
 * would; surefire sets the variable (see the pom).
 */
class SeedJwtAuthTest {

    private static final String SECRET = "seed-test-secret-0123456789abcdef";
    private static final String BACKEND = "ngx.say('backend: user=', ngx.var.http_x_user_id, ' role=', ngx.var.http_x_user_role)";
    private static String accessScript;

    @BeforeAll
    static void readSeed() throws Exception {
        String conf;
        try (InputStream in = SeedJwtAuthTest.class.getResourceAsStream("/seed/03-jwt-auth.conf")) {
            conf = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Deque<Directive> todo = new ArrayDeque<>(ConfigParser.parse(conf, "03-jwt-auth.conf"));
        while (!todo.isEmpty()) {
            Directive d = todo.pop();
            if (d.name().equals("access_by_lua_block")) {
                accessScript = d.rawBody();
            }
            if (d.block() != null) {
                todo.addAll(d.block());
            }
        }
        assertThat(accessScript).contains("jwt:verify(secret, token)");
        assertThat(System.getenv("JWT_SECRET")).as("the test JVM's JWT_SECRET (set by surefire)").isEqualTo(SECRET);
    }

    private static RestyTester tester(boolean declareEnv) throws Exception {
        Resty.Builder b = Resty.builder().workers(2).location("/api/protected/", l -> l
                .accessByLua(accessScript)
                .contentByLua(BACKEND));
        if (declareEnv) {
            b.env("JWT_SECRET");
        }
        return RestyTester.of(b);
    }

    private static String token(String alg, java.security.Key key, JwtClaims claims) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(alg);
        jws.setKey(key);
        jws.setDoKeyValidation(false);
        return jws.getCompactSerialization();
    }

    private static JwtClaims claims(String sub, String role, int expiresInMinutes) {
        JwtClaims c = new JwtClaims();
        c.setSubject(sub);
        if (role != null) {
            c.setClaim("role", role);
        }
        c.setExpirationTimeMinutesInTheFuture(expiresInMinutes);
        return c;
    }

    private static MockResponse get(RestyTester t, String authorization) throws Exception {
        var r = t.get("/api/protected/orders");
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        return r.run();
    }

    @Test
    void missingOrNonBearerAuthorizationIs401MissingToken() throws Exception {
        try (RestyTester t = tester(true)) {
            for (String auth : new String[] {null, "Basic dXNlcjpwYXNz", "bearer lowercase"}) {
                MockResponse r = get(t, auth);
                assertThat(r.status()).as(String.valueOf(auth)).isEqualTo(401);
                assertThat(r.body()).isEqualTo("{\"error\":\"missing_token\"}\n");
                assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"api\"");
            }
        }
    }

    @Test
    void validHs256TokenReachesTheBackendWithUserHeaders() throws Exception {
        HmacKey key = new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8));
        try (RestyTester t = tester(true)) {
            MockResponse r = get(t, "Bearer " + token("HS256", key, claims("alice", "admin", 5)));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("backend: user=alice role=admin\n");
            MockResponse noRole = get(t, "Bearer " + token("HS256", key, claims("bob", null, 5)));
            assertThat(noRole.body()).isEqualTo("backend: user=bob role=user\n");
        }
    }

    @Test
    void badExpiredUnsignedAndConfusedTokensAre401InvalidToken() throws Exception {
        HmacKey key = new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8));
        HmacKey wrong = new HmacKey("another-secret-0123456789abcdef!".getBytes(StandardCharsets.UTF_8));
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String valid = token("HS256", key, claims("alice", "admin", 5));
        String payload = valid.split("\\.")[1];
        List<String> bad = List.of(
                token("HS256", wrong, claims("alice", "admin", 5)),                   // bad signature
                token("HS256", key, claims("alice", "admin", -5)),                    // expired
                "eyJhbGciOiJub25lIn0." + payload + ".",                               // alg none
                token("RS256", rsa.getPrivate(), claims("alice", "admin", 5)),        // RS256 against an HMAC secret
                valid.substring(0, valid.length() - 4) + "AAAA",                      // tampered signature
                "not-a-jwt",
                "a.b.c",
                "x".repeat(20000));
        try (RestyTester t = tester(true)) {
            for (String tok : bad) {
                MockResponse r = get(t, "Bearer " + tok);
                assertThat(r.status()).as(tok.length() > 60 ? tok.substring(0, 60) : tok).isEqualTo(401);
                assertThat(r.body()).isEqualTo("{\"error\":\"invalid_token\"}\n");
                assertThat(r.logs()).noneMatch(l -> l.message().contains("runtime error"));
            }
        }
    }

    @Test
    void anUnsetSecretIsLoggedOnceAndEveryRequestGets401() throws Exception {
        // without 'env JWT_SECRET;' os.getenv returns nil, as in nginx
        HmacKey key = new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8));
        try (RestyTester t = tester(false)) {
            for (int i = 0; i < 3; i++) {
                MockResponse r = get(t, "Bearer " + token("HS256", key, claims("alice", "admin", 5)));
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.body()).isEqualTo("{\"error\":\"invalid_token\"}\n");
            }
            assertThat(t.logs()).filteredOn(l -> l.message().contains("nil secret")).hasSize(1);
        }
    }
}
