package dev.resty4j.jwt;

import dev.resty4j.Resty;
import dev.resty4j.core.api.Base64Codec;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.spi.NativeCall;
import dev.resty4j.spi.NativeFunction;
import dev.resty4j.spi.NativeModule;
import dev.resty4j.spi.NativeResult;
import io.vertx.core.Future;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * {@code resty4j.native.jwt}: the engine-neutral functions behind {@code resty.jwt} and
 * {@code resty.jwt-validators} (the Lua glue is {@code resty4j/lua/resty/jwt.lua}). Arguments and results
 * are the SPI's neutral values; verification with a remote JWKS returns a Future when the set must be
 * fetched.
 *
 * <pre>
 * policy(base, field, value)                      -> policy      (field: alg_whitelist | max_token_size | trusted_certs_file)
 * load(token, policy)                             -> jwt object
 * verify(key, token, policy, leeway, now, defaults, x5u) -> jwt object (or a Future of it)
 * sign(key, header, payload)                      -> token
 * load_key(key)                                   -> key | nil, err
 * check_date(rule, val, claim, leeway, now)       -> true | false, reason   (rule: exp | nbf | at)
 * encode(bytes) / decode(b64url)                  -> base64url without padding / bytes or nil
 * json_encode(value) / json_decode(text)          -> JSON text / value or nil (jwt_json for claim validators)
 * </pre>
 */
public final class JwtModule implements NativeModule {

    /** Instances that already logged the nil-key error: once per instance is enough to be seen, not to flood. */
    private static final Set<Resty> WARNED_NIL_KEY = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    @Override
    public String name() {
        return "jwt";
    }

    @Override
    public Map<String, Object> constants() {
        return Map.of("VERIFIED_REASON", Jwt.VERIFIED, "DEFAULT_MAX_TOKEN_SIZE", (double) JwtPolicy.DEFAULT_MAX_TOKEN_SIZE);
    }

    @Override
    public Map<String, NativeFunction> functions() {
        Map<String, NativeFunction> f = new LinkedHashMap<>();
        f.put("policy", JwtModule::policy);
        f.put("load", (call, a) -> Jwt.load(arg(a, 0), policyArg(a, 1)));
        f.put("verify", JwtModule::verify);
        f.put("sign", JwtModule::sign);
        f.put("load_key", (call, a) -> {
            try {
                JwtKey k = JwtKeys.parse(arg(a, 0));
                return k == null ? NativeResult.error("key is nil") : k;
            } catch (NgxApiException e) {
                return NativeResult.error(e.getMessage());
            }
        });
        f.put("check_date", JwtModule::checkDate);
        f.put("encode", (call, a) -> Base64Codec.encodeBase64Url(string(a, 0, "encode")));
        f.put("decode", (call, a) -> Base64Codec.decodeBase64Url(string(a, 0, "decode")));
        f.put("json_encode", (call, a) -> JsonValues.byteString(JsonValues.write(arg(a, 0))));
        f.put("json_decode", (call, a) -> JsonValues.parse(JsonValues.bytes(string(a, 0, "json_decode"))));
        return f;
    }

    private static Object policy(NativeCall call, Object[] a) {
        JwtPolicy base = arg(a, 0) instanceof JwtPolicy p ? p : JwtPolicy.DEFAULT;
        String field = string(a, 1, "policy");
        Object v = arg(a, 2);
        return switch (field) {
            case "alg_whitelist" -> base.withAlgWhitelist(algNames(v));
            case "max_token_size" -> v == null ? base.withMaxTokenSize(JwtPolicy.DEFAULT_MAX_TOKEN_SIZE)
                    : base.withMaxTokenSize(v instanceof Number n ? n.intValue() : -1);
            case "trusted_certs_file" -> base.withTrustedCertsFile(v instanceof String s ? s : null);
            default -> throw new NgxApiException("unknown jwt setting: " + field);
        };
    }

    /** {@code {RS256 = 1, HS256 = 1}} (lua-resty-jwt's form) or {@code {"RS256", "HS256"}}; nil clears. */
    private static Set<String> algNames(Object v) {
        if (v == null) {
            return null;
        }
        Set<String> names = new HashSet<>();
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, val) -> {
                if (val != null && !Boolean.FALSE.equals(val)) {
                    names.add(String.valueOf(k));
                }
            });
        } else if (v instanceof List<?> l) {
            l.forEach(o -> names.add(String.valueOf(o)));
        } else {
            throw new NgxApiException("algorithms must be a table");
        }
        return names;
    }

    private static Object verify(NativeCall call, Object[] a) {
        JwtPolicy policy = policyArg(a, 2);
        double now = arg(a, 4) instanceof Number n ? n.doubleValue() : call.resty().currentTimeMillis() / 1000.0;
        double leeway = arg(a, 3) instanceof Number n ? n.doubleValue() : 0;
        Jwt.VerifyOptions o = new Jwt.VerifyOptions(policy, leeway, now, !Boolean.FALSE.equals(arg(a, 5)),
                arg(a, 6) instanceof String s ? s : null);
        Object token = arg(a, 1);
        JwtKey key;
        try {
            key = JwtKeys.parse(arg(a, 0));
        } catch (NgxApiException e) {
            Jwt.Parsed p = Jwt.parse(token, policy);
            return p.valid() ? p.fail(e.getMessage()) : p.object();
        }
        if (key == null) {
            warnNilKeyOnce(call);
        }
        if (key instanceof JwtKey.Remote remote) {
            Jwt.Parsed p = Jwt.parse(token, policy);
            if (!p.valid()) {
                return p.object();
            }
            Future<JwtKey.Jwks> keys = RemoteJwks.of(call.resty()).keys(remote, p.header().get("kid"));
            if (keys.succeeded()) {
                return Jwt.verifyParsed(keys.result(), p, o);
            }
            return keys.transform(ar -> Future.succeededFuture(ar.succeeded() ? Jwt.verifyParsed(ar.result(), p, o)
                    : p.fail("failed to fetch JWKS: " + ar.cause().getMessage())));
        }
        return Jwt.verify(key, token, o);
    }

    private static void warnNilKeyOnce(NativeCall call) {
        if (WARNED_NIL_KEY.add(call.resty())) {
            call.resty().logger().log(LogLevel.ERR, call.request(),
                    "resty.jwt: jwt:verify() was called with a nil secret/key, so every token is refused"
                    + " (if the secret comes from os.getenv, declare the variable with the 'env NAME;' directive"
                    + " and set it in the environment); this is logged once");
        }
    }

    private static Object sign(NativeCall call, Object[] a) {
        JwtKey key = JwtKeys.parse(arg(a, 0));
        if (!(arg(a, 1) instanceof Map<?, ?> header)) {
            throw new NgxApiException("invalid jwt table: header must be a table");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> h = (Map<String, Object>) header;
        return Jwt.sign(key, h, arg(a, 2));
    }

    private static Object checkDate(NativeCall call, Object[] a) {
        ClaimChecks.DateRule rule = switch (string(a, 0, "check_date").toLowerCase(Locale.ROOT)) {
            case "exp" -> ClaimChecks.DateRule.NOT_EXPIRED;
            case "nbf" -> ClaimChecks.DateRule.NOT_BEFORE;
            case "at" -> ClaimChecks.DateRule.IS_AT;
            default -> throw new NgxApiException("unknown date rule");
        };
        String claim = arg(a, 2) instanceof String s ? s : "?";
        double leeway = arg(a, 3) instanceof Number n ? n.doubleValue() : 0;
        double now = arg(a, 4) instanceof Number n ? n.doubleValue() : call.resty().currentTimeMillis() / 1000.0;
        String reason = ClaimChecks.date(rule, arg(a, 1), claim, leeway, now);
        return reason == null ? Boolean.TRUE : NativeResult.of(false, reason);
    }

    private static Object arg(Object[] a, int i) {
        return i < a.length ? a[i] : null;
    }

    private static JwtPolicy policyArg(Object[] a, int i) {
        return arg(a, i) instanceof JwtPolicy p ? p : JwtPolicy.DEFAULT;
    }

    private static String string(Object[] a, int i, String fn) {
        if (arg(a, i) instanceof String s) {
            return s;
        }
        throw new NgxApiException("bad argument #" + (i + 1) + " to '" + fn + "' (string expected)");
    }
}
