package dev.resty4j.jwt;

import static dev.resty4j.jwt.LuaRunner.lit;
import static dev.resty4j.jwt.LuaRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.RestyTester;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;

/** lua-resty-jwt's API beyond verify: claim specs and validators, load + verify_jwt_obj, key functions, remote JWKS. */
class JwtApiTest {

    @Test
    void claimSpecsRunAfterTheSignatureWithOriginalReasons() throws Exception {
        String out = run("""
                local jwt = require "resty.jwt"
                local validators = require "resty.jwt-validators"
                local token = jwt:sign("k", { header = { alg = "HS256" }, payload = { sub = "alice", iss = "idp", scope = "read write" } })
                local function check(...)
                    local o = jwt:verify("k", token, ...)
                    ngx.say(o.verified, " ", o.reason)
                end
                check({ iss = validators.equals("idp"), sub = validators.matches("^[a-z]+$") })
                check({ iss = validators.equals("other") })
                check({ aud = validators.required() })
                check({ iss = validators.equals_any_of({ "a", "b" }) })
                check({ sub = function(val) error("custom failure for " .. val) end })
                check({ __jwt = validators.require_one_of({ "nbf", "exp" }) })
                check({ __jwt = function(val) return val.header.alg == "HS256" and val.payload.sub == "alice" end })
                check({ scope = validators.chain(validators.required(), validators.matches("write")) })
                check({ iss = validators.equals("idp") }, { sub = validators.equals("bob") })
                check({ __header = { alg = validators.equals("HS256") } })
                -- a bad signature is reported before any claim
                local o = jwt:verify("wrong", token, { iss = validators.equals("other") })
                ngx.say(o.reason:sub(1, 18))
                """);
        assertThat(out).isEqualTo("""
                true everything is awesome~ :p
                false Claim 'iss' ('idp') returned failure
                false 'aud' claim is required.
                false Claim 'iss' ('idp') returned failure
                false custom failure for alice
                false Missing one of claims - [ nbf, exp ].
                true everything is awesome~ :p
                true everything is awesome~ :p
                false Claim 'sub' ('alice') returned failure
                true everything is awesome~ :p
                signature mismatch
                """);
    }

    @Test
    void loadThenVerifyAndSecretFunctions() throws Exception {
        String out = run("""
                local jwt = require "resty.jwt"
                local token = jwt:sign("key-one", { header = { alg = "HS256", kid = "one" }, payload = { n = 1 } })
                local obj = jwt:load_jwt(token)
                ngx.say(obj.valid, " ", obj.verified, " ", obj.header.kid, " ", obj.payload.n, " ", obj.raw_header ~= nil)
                local same = jwt:verify_jwt_obj("key-one", obj)
                ngx.say(same == obj, " ", obj.verified, " ", obj.reason)
                local keys = { one = "key-one" }
                ngx.say(jwt:verify(function(kid) return keys[kid] end, token).verified)
                ngx.say(jwt:verify(function(kid) return nil end, token).reason)
                local nokid = jwt:sign("x", { header = { alg = "HS256" }, payload = {} })
                ngx.say(jwt:verify(function(kid) return "x" end, nokid).reason)
                ngx.say(jwt:jwt_decode(jwt:jwt_encode({ a = "b" }), true).a, " ", jwt:jwt_encode("hi"))
                """);
        assertThat(out).isEqualTo("true false one 1 true\ntrue true everything is awesome~ :p\ntrue\n"
                + "function returned nil for kid: one\nsecret function specified without kid in header\nb aGk\n");
    }

    @Test
    void utf8ClaimsRoundTripAsBytes() throws Exception {
        String out = run("""
                local jwt = require "resty.jwt"
                local token = jwt:sign("k", { header = { alg = "HS256" }, payload = { name = "J\\195\\169r\\195\\180me" } })
                local o = jwt:verify("k", token)
                ngx.say(o.payload.name, " ", #o.payload.name)
                """);
        assertThat(out).isEqualTo("Jérôme 8\n");
    }

    @Test
    void remoteJwksIsFetchedOnceCachedAndRefetchedForANewKid() throws Exception {
        RsaJsonWebKey first = RsaJwkGenerator.generateJwk(2048);
        first.setKeyId("k1");
        RsaJsonWebKey second = RsaJwkGenerator.generateJwk(2048);
        second.setKeyId("k2");
        AtomicReference<String> served = new AtomicReference<>(new JsonWebKeySet(first).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        AtomicInteger fetches = new AtomicInteger();
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(req -> {
                fetches.incrementAndGet();
                req.response().putHeader("Content-Type", "application/json").end(served.get());
            }).listen(0, "127.0.0.1").await();
            String url = "http://127.0.0.1:" + server.actualPort() + "/jwks.json";
            String t1 = sign(first, "k1");
            String t2 = sign(second, "k2");
            Resty.Builder b = Resty.builder().vertx(vertx).workers(2).location("/t", l -> l.contentByLua("""
                    local jwt = require "resty.jwt"
                    local o = jwt:verify({ jwks_uri = %s, cache_ttl = 300, min_refresh_interval = 10 }, ngx.var.arg_t)
                    ngx.say(o.verified, " ", o.reason)
                    """.formatted(lit(url))));
            try (RestyTester t = RestyTester.builder(b).withFakeClock().build()) {
                for (int i = 0; i < 5; i++) {
                    assertThat(t.get("/t?t=" + t1).run().body()).isEqualTo("true everything is awesome~ :p\n");
                }
                assertThat(fetches).hasValue(1);
                // the IdP rotates to k2: the unknown kid refetches the set (once min_refresh_interval has passed)
                served.set(new JsonWebKeySet(first, second).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
                t.clock().advance(Duration.ofSeconds(11));
                assertThat(t.get("/t?t=" + t2).run().body()).isEqualTo("true everything is awesome~ :p\n");
                assertThat(fetches).hasValue(2);
                // an unknown kid again right away doesn't hammer the IdP
                String t3 = sign(RsaJwkGenerator.generateJwk(2048), "k3");
                assertThat(t.get("/t?t=" + t3).run().body()).startsWith("false no key in the JWK Set matches kid k3");
                assertThat(fetches).hasValue(2);
                // after the TTL the set is fetched again
                t.clock().advance(Duration.ofSeconds(301));
                t.get("/t?t=" + t1).run();
                assertThat(fetches).hasValue(3);
            }
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void anUnreachableJwksGivesAReason() throws Exception {
        String out = run("""
                local jwt = require "resty.jwt"
                local token = "eyJhbGciOiJSUzI1NiIsImtpZCI6IngifQ.e30.c2ln" -- {"alg":"RS256","kid":"x"}.{}.sig
                local o = jwt:verify({ jwks_uri = "http://127.0.0.1:1/jwks", timeout = 2 }, token)
                ngx.say(o.verified, " ", o.reason:sub(1, 21))
                """);
        assertThat(out).isEqualTo("false failed to fetch JWKS:\n");
    }

    private static String sign(RsaJsonWebKey key, String kid) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload("{\"sub\":\"x\"}");
        jws.setAlgorithmHeaderValue("RS256");
        jws.setKeyIdHeaderValue(kid);
        jws.setKey(key.getPrivateKey());
        return jws.getCompactSerialization();
    }
}
