package dev.resty4j.jwt;

import static dev.resty4j.jwt.LuaRunner.lit;
import static dev.resty4j.jwt.LuaRunner.pem;
import static dev.resty4j.jwt.LuaRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.testing.MockResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Safe by default: what an attacker can put in a token never verifies, never raises, never crashes. */
class JwtSafetyTest {

    private static final String B64 = "local b64 = require('resty4j.native.jwt').encode\n";

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** An HS256 signature computed by hand (javax.crypto), to forge tokens the way an attacker would. */
    private static String hs256(String key, String signingInput) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.ISO_8859_1), "HmacSHA256"));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void algNoneIsRejectedUnlessWhitelisted() throws Exception {
        String token = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64("{\"sub\":\"admin\"}") + ".";
        String out = run("""
                local jwt = require "resty.jwt"
                local obj = jwt:verify("secret", %s)
                ngx.say(obj.verified, " ", obj.reason, " ", obj.payload.sub)
                local unsafe = jwt.new()
                unsafe:set_alg_whitelist({ none = 1 })
                obj = unsafe:verify(nil, %s)
                ngx.say(obj.verified)
                -- the module-level default is untouched by the instance's whitelist
                ngx.say(jwt:verify("secret", %s).verified)
                """.formatted(lit(token), lit(token), lit(token)));
        assertThat(out).isEqualTo("false Unsupported algorithm none admin\ntrue\nfalse\n");
    }

    @Test
    void anHmacTokenIsNeverVerifiedWithAPublicKey() throws Exception {
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String publicPem = pem(rsa.getPublic());
        // the classic attack: HMAC the token with the server's public key text as secret
        String input = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + b64("{\"sub\":\"admin\"}");
        String forged = input + "." + hs256(publicPem, input);
        String out = run("""
                local jwt = require "resty.jwt"
                local obj = jwt:verify(%s, %s)
                ngx.say(obj.verified, " ", obj.reason)
                """.formatted(lit(publicPem), lit(forged)));
        assertThat(out).isEqualTo("false key type mismatch: a RSA key cannot verify HS256\n");
    }

    @Test
    void anRsaTokenIsNeverVerifiedWithAnHmacSecretNorAnEcKey() throws Exception {
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        String out = run("""
                local jwt = require "resty.jwt"
                local token = jwt:sign(%s, { header = { alg = "RS256" }, payload = { sub = "u" } })
                ngx.say(jwt:verify("some-secret", token).reason)
                ngx.say(jwt:verify(%s, token).reason)
                ngx.say(jwt:verify(%s, token).verified)
                """.formatted(lit(pem(rsa.getPrivate())), lit(pem(ec.getPublic())), lit(pem(rsa.getPublic()))));
        assertThat(out).isEqualTo("key type mismatch: a shared secret cannot verify RS256\n"
                + "key type mismatch: a EC key cannot verify RS256\ntrue\n");
    }

    @Test
    void expAndNbfAreCheckedWithLeeway() throws Exception {
        String out = run("""
                local jwt = require "resty.jwt"
                local validators = require "resty.jwt-validators"
                local now = ngx.time()
                local function tok(p) return jwt:sign("k", { header = { alg = "HS256" }, payload = p }) end
                ngx.say(jwt:verify("k", tok({ exp = now + 60 })).verified)
                local expired = jwt:verify("k", tok({ exp = 1000000000 }))
                ngx.say(expired.verified, " ", expired.reason)
                local early = jwt:verify("k", tok({ nbf = 4000000000 }))
                ngx.say(early.verified, " ", early.reason)
                ngx.say(jwt:verify("k", tok({ exp = "soon" })).reason)
                -- 30 s late is fine with 60 s of leeway, not without
                local late = tok({ exp = now - 30 })
                ngx.say(jwt:verify("k", late).verified)
                validators.set_system_leeway(60)
                ngx.say(jwt:verify("k", late).verified)
                validators.set_system_leeway(0)
                ngx.say(jwt:verify("k", late, { exp = validators.is_not_expired({ leeway = 60 }) }).verified)
                ngx.say(jwt:verify("k", late, { lifetime_grace_period = 60, require_exp_claim = true }).verified)
                ngx.say(jwt:verify("k", late, { lifetime_grace_period = 10 }).reason:sub(1, 22))
                """);
        assertThat(out).isEqualTo("true\n"
                + "false 'exp' claim expired at Sun, 09 Sep 2001 01:46:40 GMT\n"
                + "false 'nbf' claim not valid until Tue, 02 Oct 2096 07:06:40 GMT\n"
                + "'exp' is malformed.  Expected to be a positive numeric value.\n"
                + "false\ntrue\ntrue\ntrue\n'exp' claim expired at\n");
    }

    @Test
    void malformedTokensGiveAReasonNeverAnError() throws Exception {
        String out = run(B64 + """
                local jwt = require "resty.jwt"
                local cases = {
                    "", "abc", "a.b", "a.b.c.d", "a.b.c.d.e.f", "...", "!!!.@@@.###",
                    b64("{\\"alg\\":\\"HS256\\"}") .. "." .. b64("not json") .. ".sig",
                    b64("not json") .. "." .. b64("{}") .. ".sig",
                    b64("[1,2]") .. "." .. b64("{}") .. ".sig",
                    b64("{\\"alg\\":5}") .. "." .. b64("{}") .. ".sig",
                    b64("{\\"alg\\":\\"HS256\\",\\"alg\\":\\"none\\"}") .. "." .. b64("{}") .. ".sig",
                    b64("{\\"alg\\":\\"HS256\\"}") .. "." .. b64("{\\"a\\":" .. string.rep("[", 40) .. string.rep("]", 40) .. "}") .. ".sig",
                    b64("{\\"alg\\":\\"HS256\\"}") .. "." .. b64("{\\"a\\":\\"\\255\\"}") .. ".sig",
                    b64("{\\"alg\\":\\"XX999\\"}") .. "." .. b64("{}") .. ".sig",
                    b64("{\\"alg\\":\\"HS256\\"}") .. "." .. b64("{}") .. ".",
                    b64("{\\"alg\\":\\"HS256\\"}") .. "." .. b64("{}") .. ".sig=",
                    b64("{\\"alg\\":\\"RSA-OAEP\\",\\"enc\\":\\"A256GCM\\"}") .. ".aa.bb.cc.dd",
                    nil, 42,
                }
                for i = 1, 20 do
                    local ok, obj = pcall(jwt.verify, jwt, "secret", cases[i])
                    ngx.say(i, " ", ok, " ", obj.verified, " ", obj.reason)
                end
                """);
        assertThat(out).isEqualTo("""
                1 true false invalid jwt string
                2 true false invalid jwt string
                3 true false invalid jwt string
                4 true false invalid jwt string
                5 true false invalid jwt string
                6 true false invalid jwt string
                7 true false invalid jwt string: bad base64url in a part
                8 true false invalid payload: bm90IGpzb24
                9 true false invalid header: bm90IGpzb24
                10 true false invalid header: WzEsMl0
                11 true false invalid header: eyJhbGciOjV9
                12 true false invalid header: eyJhbGciOiJIUzI1NiIsImFsZyI6Im5vbmUifQ
                13 true false invalid payload: eyJhIjpbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXX0
                14 true false invalid payload: eyJhIjoi_yJ9
                15 true false Unsupported algorithm XX999
                16 true false signature mismatch:\s
                17 true false invalid jwt string: bad base64url in a part
                18 true false key type mismatch: a shared secret cannot decrypt RSA-OAEP
                19 true false invalid jwt string
                20 true false invalid jwt string
                """);
    }

    @Test
    void hugeTokensAreRefusedBeforeParsing() throws Exception {
        String out = run("""
                local jwt = require "resty.jwt"
                local big = string.rep("a", 20000) .. "." .. string.rep("b", 20000) .. ".c"
                local obj = jwt:verify("secret", big)
                ngx.say(obj.verified, " ", obj.reason)
                local small = jwt.new()
                small:set_max_token_size(100)
                local token = jwt:sign("k", { header = { alg = "HS256" }, payload = { data = string.rep("x", 200) } })
                ngx.say(jwt:verify("k", token).verified, " ", small:verify("k", token).reason)
                """);
        assertThat(out).isEqualTo("false jwt string too large: 40003 bytes (limit 16384)\n"
                + "true jwt string too large: 347 bytes (limit 100)\n");
    }

    @Test
    void aNilSecretIsLoggedOnceAndNeverVerifies() throws Exception {
        MockResponse r = LuaRunner.response("""
                local jwt = require "resty.jwt"
                local token = jwt:sign("k", { header = { alg = "HS256" }, payload = { sub = "u" } })
                for i = 1, 3 do
                    local obj = jwt:verify(os.getenv("NOT_DECLARED_SECRET"), token)
                    ngx.say(obj.verified, " ", obj.reason)
                end
                """, b -> { });
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("false invalid secret type (must be string or function)\n".repeat(3));
        assertThat(r.logs()).filteredOn(l -> l.message().contains("nil secret")).hasSize(1)
                .first().satisfies(l -> assertThat(l.message()).contains("'env NAME;'"));
    }

    @Test
    void aTamperedSignatureOrPayloadFails() throws Exception {
        String out = run("""
                local jwt = require "resty.jwt"
                local token = jwt:sign("k", { header = { alg = "HS512" }, payload = { role = "user" } })
                local h, p, s = token:match("([^.]+)%.([^.]+)%.([^.]+)")
                local other = jwt:sign("k", { header = { alg = "HS512" }, payload = { role = "admin" } })
                local _, p2 = other:match("([^.]+)%.([^.]+)%.([^.]+)")
                ngx.say(jwt:verify("k", h .. "." .. p2 .. "." .. s).verified)
                ngx.say(jwt:verify("k", h .. "." .. p .. "." .. s:sub(1, -3) .. "AA").verified)
                ngx.say(jwt:verify("other", token).verified)
                ngx.say(jwt:verify("k", token).verified)
                """);
        assertThat(out).isEqualTo("false\nfalse\nfalse\ntrue\n");
    }

    @Test
    void algWhitelistPinsAlgorithms() throws Exception {
        String out = run("""
                local jwt = require "resty.jwt"
                local pinned = jwt.new()
                pinned:set_alg_whitelist({ HS512 = 1 })
                local t256 = jwt:sign("k", { header = { alg = "HS256" }, payload = {} })
                local t512 = jwt:sign("k", { header = { alg = "HS512" }, payload = {} })
                ngx.say(pinned:verify("k", t256).reason)
                ngx.say(pinned:verify("k", t512).verified)
                """);
        assertThat(out).isEqualTo("whitelist unsupported alg: HS256\ntrue\n");
    }
}
