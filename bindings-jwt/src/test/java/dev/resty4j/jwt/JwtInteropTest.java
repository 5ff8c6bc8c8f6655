package dev.resty4j.jwt;

import static dev.resty4j.jwt.LuaRunner.lit;
import static dev.resty4j.jwt.LuaRunner.pem;
import static dev.resty4j.jwt.LuaRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.AesKey;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/** Tokens signed by jose4j directly verify through the Lua API, and tokens the Lua API signs verify in jose4j. */
class JwtInteropTest {

    private static final String SECRET = "a-secret-of-at-least-sixty-four-bytes-for-hs512-0123456789abcdef";

    record Keys(String alg, java.security.Key sign, java.security.Key verify, String signPem, String verifyPem) {}

    private static List<Keys> allAlgorithms() throws Exception {
        List<Keys> all = new ArrayList<>();
        for (String alg : new String[] {"HS256", "HS384", "HS512"}) {
            HmacKey k = new HmacKey(SECRET.getBytes());
            all.add(new Keys(alg, k, k, SECRET, SECRET));
        }
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        for (String alg : new String[] {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}) {
            all.add(new Keys(alg, rsa.getPrivate(), rsa.getPublic(), pem(rsa.getPrivate()), pem(rsa.getPublic())));
        }
        String[][] curves = {{"ES256", "secp256r1"}, {"ES384", "secp384r1"}, {"ES512", "secp521r1"}};
        for (String[] c : curves) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(c[1]));
            KeyPair ec = g.generateKeyPair();
            all.add(new Keys(c[0], ec.getPrivate(), ec.getPublic(), pem(ec.getPrivate()), pem(ec.getPublic())));
        }
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        all.add(new Keys("EdDSA", ed.getPrivate(), ed.getPublic(), pem(ed.getPrivate()), pem(ed.getPublic())));
        return all;
    }

    private static String jose4jSign(Keys k) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setSubject("alice");
        claims.setClaim("role", "admin");
        claims.setExpirationTimeMinutesInTheFuture(5);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(k.alg());
        jws.setKey(k.sign());
        return jws.getCompactSerialization();
    }

    @Test
    void jose4jTokensVerifyThroughLua() throws Exception {
        StringBuilder lua = new StringBuilder("local jwt = require 'resty.jwt'\n");
        StringBuilder expected = new StringBuilder();
        for (Keys k : allAlgorithms()) {
            lua.append("do local o = jwt:verify(").append(lit(k.verifyPem())).append(", ").append(lit(jose4jSign(k)))
                    .append(") ngx.say(o.header.alg, ' ', o.verified, ' ', o.payload.sub, ' ', o.payload.role) end\n");
            expected.append(k.alg()).append(" true alice admin\n");
        }
        assertThat(run(lua.toString())).isEqualTo(expected.toString());
    }

    @Test
    void luaTokensVerifyInJose4j() throws Exception {
        List<Keys> all = allAlgorithms();
        StringBuilder lua = new StringBuilder("local jwt = require 'resty.jwt'\n");
        for (Keys k : all) {
            lua.append("ngx.say(jwt:sign(").append(lit(k.signPem())).append(", { header = { typ = 'JWT', alg = '")
                    .append(k.alg()).append("' }, payload = { sub = 'bob', n = 42, exp = ngx.time() + 60, list = {1, 'two'} } }))\n");
        }
        String[] tokens = run(lua.toString()).split("\n");
        assertThat(tokens).hasSize(all.size());
        for (int i = 0; i < all.size(); i++) {
            Keys k = all.get(i);
            JwtClaims claims = new JwtConsumerBuilder().setVerificationKey(k.verify()).setRelaxVerificationKeyValidation()
                    .setJwsAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.ConstraintType.PERMIT, k.alg())
                    .build().processToClaims(tokens[i]);
            assertThat(claims.getSubject()).as(k.alg()).isEqualTo("bob");
            assertThat(claims.getClaimValue("n")).isEqualTo(42L);
            assertThat(claims.getClaimValue("list")).isEqualTo(List.of(1L, "two"));
        }
    }

    @Test
    void jweFromJose4jDecrypts() throws Exception {
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        JsonWebEncryption rsaJwe = new JsonWebEncryption();
        rsaJwe.setAlgorithmHeaderValue("RSA-OAEP-256");
        rsaJwe.setEncryptionMethodHeaderParameter("A256GCM");
        rsaJwe.setPlaintext("{\"sub\":\"rsa-user\"}");
        rsaJwe.setKey(rsa.getPublic());
        byte[] dirKey = "0123456789abcdef0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        JsonWebEncryption dirJwe = new JsonWebEncryption();
        dirJwe.setAlgorithmHeaderValue("dir");
        dirJwe.setEncryptionMethodHeaderParameter("A128CBC-HS256");
        dirJwe.setPlaintext("{\"sub\":\"dir-user\",\"exp\":1}");
        dirJwe.setKey(new AesKey(dirKey));
        String out = run("""
                local jwt = require "resty.jwt"
                local o = jwt:verify(%s, %s)
                ngx.say(o.verified, " ", o.payload.sub)
                o = jwt:verify(%s, %s)
                ngx.say(o.verified, " ", o.reason)
                -- the public key can't decrypt
                ngx.say(jwt:verify(%s, %s).reason)
                """.formatted(lit(pem(rsa.getPrivate())), lit(rsaJwe.getCompactSerialization()),
                lit(new String(dirKey, java.nio.charset.StandardCharsets.ISO_8859_1)), lit(dirJwe.getCompactSerialization()),
                lit(pem(rsa.getPublic())), lit(rsaJwe.getCompactSerialization())));
        assertThat(out).isEqualTo("true rsa-user\nfalse 'exp' claim expired at Thu, 01 Jan 1970 00:00:01 GMT\n"
                + "key type mismatch: RSA-OAEP-256 needs the private key\n");
    }

    @Test
    void luaJweDecryptsInJose4j() throws Exception {
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String token = run("""
                local jwt = require "resty.jwt"
                ngx.print(jwt:sign(%s, { header = { alg = "RSA-OAEP-256", enc = "A256GCM" }, payload = { sub = "x" } }))
                """.formatted(lit(pem(rsa.getPublic()))));
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setCompactSerialization(token);
        jwe.setKey(rsa.getPrivate());
        assertThat(jwe.getPlaintextString()).isEqualTo("{\"sub\":\"x\"}");
    }

    @Test
    void jwksPicksTheKeyByKid() throws Exception {
        RsaJsonWebKey a = RsaJwkGenerator.generateJwk(2048);
        a.setKeyId("key-a");
        RsaJsonWebKey b = RsaJwkGenerator.generateJwk(2048);
        b.setKeyId("key-b");
        String jwks = new JsonWebKeySet(a, b).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload("{\"sub\":\"k\"}");
        jws.setAlgorithmHeaderValue("RS256");
        jws.setKeyIdHeaderValue("key-b");
        jws.setKey(b.getPrivateKey());
        String token = jws.getCompactSerialization();
        jws.setKeyIdHeaderValue("key-a"); // signed by b, claims to be a
        String lying = jws.getCompactSerialization();
        jws.setKeyIdHeaderValue("key-z");
        String unknown = jws.getCompactSerialization();
        String out = run("""
                local jwt = require "resty.jwt"
                local keys = assert(jwt:load_key(%s))
                ngx.say(jwt:verify(keys, %s).verified)
                ngx.say(jwt:verify(keys, %s).reason:sub(1, 18))
                ngx.say(jwt:verify(keys, %s).reason)
                """.formatted(lit(jwks), lit(token), lit(lying), lit(unknown)));
        assertThat(out).isEqualTo("true\nsignature mismatch\nno key in the JWK Set matches kid key-z and alg RS256\n");
    }
}
