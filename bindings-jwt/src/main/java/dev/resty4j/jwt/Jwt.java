package dev.resty4j.jwt;

import dev.resty4j.core.api.NgxApiException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jca.ProviderContext;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jws.JsonWebSignatureAlgorithm;
import org.jose4j.keys.AesKey;
import org.jose4j.keys.HmacKey;
import org.jose4j.keys.PbkdfKey;
import org.jose4j.lang.InvalidKeyException;
import org.jose4j.lang.JoseException;

/**
 * lua-resty-jwt's semantics on jose4j: parsing a compact token into the "jwt object" scripts see
 * ({@code raw_header}, {@code raw_payload}, {@code signature}, {@code header}, {@code payload},
 * {@code valid}, {@code verified}, {@code reason}), verifying it, and signing. All cryptography and
 * base64url decoding of signed content is jose4j's.
 *
 * <p>Nothing a token contains can make these methods throw: a malformed, oversized, unsigned or forged
 * token gives an object with {@code verified = false} and a reason. Only misuse by the script (a table
 * that isn't a key, signing with an unknown alg) raises an error.
 */
public final class Jwt {

    /** lua-resty-jwt's reason for a verified token. */
    public static final String VERIFIED = "everything is awesome~ :p";
    static final String INVALID_JWT = "invalid jwt string";
    /** Reasons lua-resty-jwt gives when there is no key (nil secret). */
    static final String NO_SECRET = "invalid secret type (must be string or function)";
    static final String NO_PUBLIC_KEY = "No trusted certs loaded";
    static final String DECRYPT_FAILED = "failed to decrypt JWE";
    /** Highest PBES2 iteration count accepted (the count is attacker-chosen and costs CPU per token). */
    static final long PBES2_MAX_COUNT = 10_000;

    private static final ProviderContext PROVIDERS = new ProviderContext();

    private Jwt() {
    }

    /** What verification needs besides key and token. */
    public record VerifyOptions(JwtPolicy policy, double leeway, double now, boolean defaultClaims, String x5uContent) {}

    /** A parsed token: the script-visible object plus what verification needs. */
    record Parsed(Map<String, Object> object, String token, String alg, boolean jwe) {

        boolean valid() {
            return Boolean.TRUE.equals(object.get("valid"));
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> header() {
            return (Map<String, Object>) object.get("header");
        }

        /** The claims, or null when the payload is not a JSON object (a JWE's plaintext). */
        @SuppressWarnings("unchecked")
        Map<String, Object> payload() {
            return object.get("payload") instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        }

        Map<String, Object> fail(String reason) {
            object.put("verified", false);
            object.put("reason", reason);
            return object;
        }
    }

    // ------------------------------------------------------------------ load

    /** {@code jwt:load_jwt(token)}: the parsed, unverified object ({@code valid = false} with a reason if malformed). */
    public static Map<String, Object> load(Object token, JwtPolicy policy) {
        return parse(token, policy).object();
    }

    static Parsed parse(Object tokenValue, JwtPolicy policy) {
        if (!(tokenValue instanceof String token)) {
            return invalid(INVALID_JWT);
        }
        if (token.length() > policy.maxTokenSize()) {
            return invalid("jwt string too large: " + token.length() + " bytes (limit " + policy.maxTokenSize() + ")");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 && parts.length != 5) {
            return invalid(INVALID_JWT);
        }
        for (String p : parts) {
            if (!isBase64Url(p)) {
                return invalid(INVALID_JWT + ": bad base64url in a part");
            }
        }
        Map<String, Object> header = decodeJson(parts[0]);
        if (header == null || !(header.get("alg") instanceof String alg)) {
            return invalid("invalid header: " + parts[0]);
        }
        Map<String, Object> obj = new LinkedHashMap<>();
        if (parts.length == 5) {
            if (!(header.get("enc") instanceof String)) {
                return invalid("invalid header: " + parts[0]);
            }
            obj.put("raw_header", parts[0]);
            obj.put("header", header);
        } else {
            Map<String, Object> payload = decodeJson(parts[1]);
            if (payload == null) {
                return invalid("invalid payload: " + parts[1]);
            }
            obj.put("raw_header", parts[0]);
            obj.put("raw_payload", parts[1]);
            obj.put("signature", parts[2]);
            obj.put("header", header);
            obj.put("payload", payload);
        }
        obj.put("valid", true);
        obj.put("verified", false);
        return new Parsed(obj, token, alg, parts.length == 5);
    }

    private static Parsed invalid(String reason) {
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("valid", false);
        obj.put("verified", false);
        obj.put("reason", reason);
        return new Parsed(obj, null, null, false);
    }

    /** Strict base64url alphabet, no padding: the JDK decoder would accept '=', jose4j's would skip junk. */
    private static boolean isBase64Url(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return s.length() % 4 != 1;
    }

    private static Map<String, Object> decodeJson(String part) {
        if (part.isEmpty()) {
            return null;
        }
        return JsonValues.parseObject(Base64.getUrlDecoder().decode(part));
    }

    // ------------------------------------------------------------------ verify

    /**
     * {@code jwt:verify(key, token)}: parses, checks the signature (or decrypts a JWE), then, when
     * {@code defaultClaims}, {@code exp} / {@code nbf}. The signature is always checked first, so a forged
     * token is reported as such whatever its claims. {@code key} null gives lua-resty-jwt's nil-secret
     * reason. A {@link JwtKey.Remote} key must have been resolved by the caller ({@link RemoteJwks}).
     */
    public static Map<String, Object> verify(JwtKey key, Object token, VerifyOptions o) {
        Parsed p = parse(token, o.policy());
        if (!p.valid()) {
            return p.object();
        }
        return verifyParsed(key, p, o);
    }

    static Map<String, Object> verifyParsed(JwtKey key, Parsed p, VerifyOptions o) {
        String reason = p.jwe() ? decrypt(key, p, o.policy()) : checkSignature(key, p, o);
        if (reason != null) {
            return p.fail(reason);
        }
        if (o.defaultClaims() && p.payload() != null) {
            reason = ClaimChecks.defaults(p.payload(), o.leeway(), o.now());
            if (reason != null) {
                return p.fail(reason);
            }
        }
        p.object().put("verified", true);
        p.object().put("reason", VERIFIED);
        return p.object();
    }

    /** Null when the signature is good; otherwise why not. */
    private static String checkSignature(JwtKey key, Parsed p, VerifyOptions o) {
        String alg = p.alg();
        String sig = (String) p.object().get("signature");
        if (!o.policy().allows(alg)) {
            return o.policy().algWhitelist() != null ? "whitelist unsupported alg: " + alg : "Unsupported algorithm " + alg;
        }
        if ("none".equals(alg)) {
            return sig.isEmpty() ? null : "signature mismatch: " + sig; // explicitly whitelisted unsigned tokens
        }
        if (!Algorithms.isSignature(alg)) {
            return "Unsupported algorithm " + alg;
        }
        boolean hmac = Algorithms.HMAC.contains(alg);
        List<Key> candidates = new ArrayList<>();
        if (!hmac && o.policy().trustAnchors() != null) {
            Object cert = certificateFromHeader(p, o);
            if (cert instanceof String reason) {
                return reason;
            }
            candidates.add(((X509Certificate) cert).getPublicKey());
        } else if (key == null) {
            return hmac ? NO_SECRET : NO_PUBLIC_KEY;
        } else {
            String reason = verificationKeys(key, alg, p.header(), candidates);
            if (reason != null) {
                return reason;
            }
        }
        for (Key k : candidates) {
            String mismatch = Algorithms.keyMismatch(alg, k);
            if (mismatch != null) {
                return mismatch;
            }
        }
        // jose4j's algorithm on the parts we already split and checked: no second parse of the token
        byte[] signature = Base64.getUrlDecoder().decode(sig);
        byte[] signingInput = p.token().substring(0, p.token().lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
        String lastError = "signature mismatch: " + sig;
        for (Key k : candidates) {
            try {
                JsonWebSignatureAlgorithm algorithm = AlgorithmFactoryFactory.getInstance().getJwsAlgorithmFactory().getAlgorithm(alg);
                if (!hmac) {
                    // lua-resty-jwt accepts any non-empty HMAC secret; other keys must meet jose4j's minimums
                    algorithm.validateVerificationKey(k);
                }
                if (algorithm.verifySignature(signature, k, signingInput, PROVIDERS)) {
                    return null;
                }
            } catch (InvalidKeyException e) {
                lastError = "invalid key: " + e.getMessage();
            } catch (JoseException e) {
                lastError = "signature mismatch: " + sig;
            }
        }
        return lastError;
    }

    /** Collects the keys to try for a signature; null, or why there is none. */
    private static String verificationKeys(JwtKey key, String alg, Map<String, Object> header, List<Key> out) {
        switch (key) {
            case JwtKey.Secret s -> out.add(new HmacKey(s.bytes()));
            case JwtKey.Asymmetric a -> {
                if (a.publicKey() == null) {
                    return "key type mismatch: a private key cannot verify; give the public key or certificate";
                }
                out.add(a.publicKey());
            }
            case JwtKey.Jwks set -> {
                Object kid = header.get("kid");
                for (JsonWebKey jwk : set.keys()) {
                    if (kid != null && !kid.equals(keyId(jwk))) {
                        continue;
                    }
                    if (jwk.getUse() != null && !"sig".equals(jwk.getUse())
                            || jwk.getAlgorithm() != null && !alg.equals(jwk.getAlgorithm())) {
                        continue;
                    }
                    Key k = jwk instanceof PublicJsonWebKey pub ? pub.getPublicKey() : jwk.getKey();
                    if (k != null && Algorithms.keyMismatch(alg, k) == null) {
                        out.add(k);
                    }
                }
                if (out.isEmpty()) {
                    return kid != null ? "no key in the JWK Set matches kid " + kid + " and alg " + alg
                            : "no key in the JWK Set matches alg " + alg;
                }
            }
            case JwtKey.Remote r -> throw new IllegalStateException("remote JWKS must be resolved first: " + r.url());
        }
        return null;
    }

    /**
     * With trusted certificates set ({@code jwt:set_trusted_certs_file}), the key comes from the token's
     * {@code x5c} (or {@code x5u}, fetched by the script's retriever) and its chain must lead to a trusted CA.
     * Returns the certificate, or a reason.
     */
    private static Object certificateFromHeader(Parsed p, VerifyOptions o) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            if (p.header().get("x5c") instanceof List<?> x5c && !x5c.isEmpty()) {
                for (Object c : x5c) {
                    if (!(c instanceof String s)) {
                        return "Malformed x5c header";
                    }
                    chain.add((X509Certificate) cf.generateCertificate(new java.io.ByteArrayInputStream(Base64.getDecoder().decode(s))));
                }
            } else if (p.header().get("x5u") != null) {
                if (o.x5uContent() == null) {
                    return "No function has been provided to retrieve the content pointed at by the 'x5u'.";
                }
                JwtKey.Asymmetric a = JwtKeys.pem(o.x5uContent());
                if (a.certificate() == null) {
                    return "Unable to extract signing cert from JWT: not a certificate";
                }
                chain.add(a.certificate());
            } else {
                return "Unsupported " + p.alg() + " key model";
            }
        } catch (GeneralSecurityException | IllegalArgumentException | NgxApiException e) {
            return "Unable to extract signing cert from JWT: " + e.getMessage();
        }
        try {
            PKIXParameters params = new PKIXParameters(o.policy().trustAnchors());
            params.setRevocationEnabled(false); // no OCSP/CRL fetching from inside a request
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), params);
        } catch (GeneralSecurityException e) {
            return "Cert used to sign the JWT isn't trusted: " + e.getMessage();
        }
        return chain.get(0);
    }

    /** A JWK's {@code kid} as a byte string (as the token header's is), or null. */
    private static String keyId(JsonWebKey jwk) {
        return jwk.getKeyId() == null ? null : JsonValues.byteString(jwk.getKeyId());
    }

    // ------------------------------------------------------------------ JWE

    /** Decrypts a JWE into the object's payload; null on success, otherwise why not. */
    private static String decrypt(JwtKey key, Parsed p, JwtPolicy policy) {
        String alg = p.alg();
        String enc = (String) p.header().get("enc");
        if (policy.algWhitelist() != null) {
            if (!policy.algWhitelist().contains(alg)) {
                return "whitelist unsupported alg: " + alg;
            }
            if (!policy.algWhitelist().contains(enc)) {
                return "whitelist unsupported enc: " + enc;
            }
        }
        if (!Algorithms.JWE_ENC.contains(enc)) {
            return "unsupported enc: " + enc;
        }
        boolean pbes2 = Algorithms.JWE_PBES2.contains(alg) && policy.optedIn(alg);
        boolean rsa15 = "RSA1_5".equals(alg) && policy.optedIn(alg);
        boolean symmetric = Algorithms.JWE_SYMMETRIC.contains(alg) || pbes2;
        if (!symmetric && !rsa15 && !Algorithms.JWE_RSA.contains(alg) && !Algorithms.JWE_EC.contains(alg)) {
            return "invalid algorithm: " + alg;
        }
        if (key == null) {
            return symmetric ? NO_SECRET : "rsa private key must not be null";
        }
        if (pbes2 && !(p.header().get("p2c") instanceof Long count && count >= 1000 && count <= PBES2_MAX_COUNT)) {
            return "invalid p2c: PBES2 iteration count must be between 1000 and " + PBES2_MAX_COUNT;
        }
        List<Key> candidates = new ArrayList<>();
        switch (key) {
            case JwtKey.Secret s -> {
                if (!symmetric) {
                    return "key type mismatch: a shared secret cannot decrypt " + alg;
                }
                candidates.add(pbes2 ? new PbkdfKey(new String(s.bytes(), StandardCharsets.UTF_8)) : new AesKey(s.bytes()));
            }
            case JwtKey.Asymmetric a -> {
                if (symmetric || a.privateKey() == null) {
                    return "key type mismatch: " + alg + " needs " + (symmetric ? "a shared secret" : "the private key");
                }
                candidates.add(a.privateKey());
            }
            case JwtKey.Jwks set -> {
                Object kid = p.header().get("kid");
                for (JsonWebKey jwk : set.keys()) {
                    if (kid != null && !kid.equals(keyId(jwk))
                            || jwk.getUse() != null && !"enc".equals(jwk.getUse())) {
                        continue;
                    }
                    Key k = jwk instanceof PublicJsonWebKey pub ? pub.getPrivateKey() : jwk.getKey();
                    if (k != null && (symmetric == k instanceof javax.crypto.SecretKey)) {
                        candidates.add(pbes2 ? new PbkdfKey(new String(k.getEncoded(), StandardCharsets.UTF_8)) : k);
                    }
                }
                if (candidates.isEmpty()) {
                    return "no key in the JWK Set can decrypt " + alg;
                }
            }
            case JwtKey.Remote r -> throw new IllegalStateException("remote JWKS must be resolved first: " + r.url());
        }
        for (Key k : candidates) {
            if (!symmetric && !(alg.startsWith("RSA") ? k instanceof RSAKey : k instanceof ECKey)) {
                return "key type mismatch: " + alg + " needs an " + (alg.startsWith("RSA") ? "RSA" : "EC") + " private key";
            }
            try {
                JsonWebEncryption jwe = new JsonWebEncryption();
                jwe.setAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT, alg));
                jwe.setContentEncryptionAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT, enc));
                jwe.setCompactSerialization(p.token());
                jwe.setKey(k);
                byte[] plain = jwe.getPlaintextBytes();
                Map<String, Object> claims = JsonValues.parseObject(plain);
                // a JWE may carry any content: not JSON claims, the payload is the plaintext itself
                p.object().put("payload", claims != null ? claims : new String(plain, StandardCharsets.ISO_8859_1));
                return null;
            } catch (JoseException | RuntimeException e) {
                // one generic reason whatever failed, so the reason can't serve as a decryption oracle
            }
        }
        return DECRYPT_FAILED;
    }

    // ------------------------------------------------------------------ sign

    /**
     * {@code jwt:sign(key, {header = ..., payload = ...})}: a compact JWS, or a JWE when the header has
     * {@code enc}. The header is serialized with {@code typ}, {@code alg}, {@code enc}, {@code zip},
     * {@code kid} first and the rest sorted; a table payload as JSON, a string payload as is.
     */
    public static String sign(JwtKey key, Map<String, Object> header, Object payload) {
        if (header == null || !(header.get("alg") instanceof String alg)) {
            throw new NgxApiException("invalid header: alg is required");
        }
        if (key == null) {
            throw new NgxApiException(NO_SECRET);
        }
        String headerJson = JsonValues.write(header, "typ", "alg", "enc", "zip", "kid");
        byte[] body = payload instanceof String s ? JsonValues.bytes(s)
                : JsonValues.write(payload == null ? Map.of() : payload).getBytes(StandardCharsets.UTF_8);
        try {
            if (header.containsKey("enc")) {
                return encrypt(key, alg, headerJson, body);
            }
            if (!Algorithms.isSignature(alg)) {
                throw new NgxApiException("unsupported alg: " + alg);
            }
            Key k = signingKey(key, alg);
            JsonWebSignature jws = new JsonWebSignature();
            jws.getHeaders().setFullHeaderAsJsonString(headerJson);
            jws.setPayloadBytes(body);
            jws.setKey(k);
            jws.setDoKeyValidation(!Algorithms.HMAC.contains(alg));
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new NgxApiException("signer error: " + e.getMessage());
        }
    }

    private static Key signingKey(JwtKey key, String alg) {
        Key k = switch (key) {
            case JwtKey.Secret s -> Algorithms.HMAC.contains(alg) ? new HmacKey(s.bytes()) : null;
            case JwtKey.Asymmetric a -> a.privateKey();
            case JwtKey.Jwks set -> {
                Key found = null;
                for (JsonWebKey jwk : set.keys()) {
                    Key c = jwk instanceof PublicJsonWebKey pub ? pub.getPrivateKey() : jwk.getKey();
                    if (c != null && (Algorithms.HMAC.contains(alg) ? c instanceof javax.crypto.SecretKey : !(c instanceof javax.crypto.SecretKey))) {
                        found = c;
                        break;
                    }
                }
                yield found == null ? null : Algorithms.HMAC.contains(alg) ? new HmacKey(found.getEncoded()) : found;
            }
            case JwtKey.Remote r -> null;
        };
        if (k == null) {
            throw new NgxApiException("signer error: no " + (Algorithms.HMAC.contains(alg) ? "shared secret" : "private key")
                    + " to sign " + alg + " with");
        }
        if (!Algorithms.HMAC.contains(alg)) {
            String mismatch = Algorithms.keyMismatch(alg, k);
            if (mismatch != null) {
                throw new NgxApiException("signer error: " + mismatch.replace("cannot verify", "cannot sign"));
            }
        }
        return k;
    }

    private static String encrypt(JwtKey key, String alg, String headerJson, byte[] body) throws JoseException {
        Key k;
        if (Algorithms.JWE_SYMMETRIC.contains(alg) || Algorithms.JWE_PBES2.contains(alg)) {
            if (!(key instanceof JwtKey.Secret s)) {
                throw new NgxApiException("key type mismatch: " + alg + " needs a shared secret");
            }
            k = Algorithms.JWE_PBES2.contains(alg) ? new PbkdfKey(new String(s.bytes(), StandardCharsets.UTF_8)) : new AesKey(s.bytes());
        } else if (Algorithms.JWE_RSA.contains(alg) || Algorithms.JWE_EC.contains(alg)) {
            PublicKey pub = switch (key) {
                case JwtKey.Asymmetric a -> a.publicKey();
                case JwtKey.Jwks set -> set.keys().stream().filter(j -> j instanceof PublicJsonWebKey)
                        .map(j -> ((PublicJsonWebKey) j).getPublicKey()).findFirst().orElse(null);
                default -> null;
            };
            if (pub == null) {
                throw new NgxApiException("key type mismatch: " + alg + " encrypts to a public key or certificate");
            }
            k = pub;
        } else {
            throw new NgxApiException("unsupported alg: " + alg);
        }
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.getHeaders().setFullHeaderAsJsonString(headerJson);
        jwe.setPlaintext(body);
        jwe.setKey(k);
        if (Algorithms.JWE_PBES2.contains(alg)) {
            jwe.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        }
        return jwe.getCompactSerialization();
    }
}
