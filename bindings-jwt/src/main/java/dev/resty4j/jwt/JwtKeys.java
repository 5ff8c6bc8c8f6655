package dev.resty4j.jwt;

import dev.resty4j.core.api.NgxApiException;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * Turns what scripts pass as a key into a {@link JwtKey}: a secret string, a PEM public key / certificate /
 * private key, a JWK or JWK Set (JSON string or table), or a {@code {jwks_uri = ...}} table.
 *
 * <p>Strings that look like key material are never used as an HMAC secret: a PEM string, or a JSON
 * object with {@code kty} / {@code keys}, is parsed as such (or refused), so a public key can't become a
 * shared secret by accident or by an attacker's choice of {@code alg}. Parsed keys are cached by their
 * text (PEM and JWKS parsing is costly and scripts typically pass the same constant on every request).
 */
public final class JwtKeys {

    /** Key types tried for a {@code PUBLIC KEY} / {@code PRIVATE KEY} PEM (SubjectPublicKeyInfo / PKCS#8 name the algorithm inside). */
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "EdDSA", "X25519", "X448"};

    /** Small LRU of parsed key texts; bounded so scripts passing ever-new strings can't grow it. */
    private static final int CACHE_SIZE = 64;
    private static final int MAX_CACHED_TEXT = 64 * 1024;
    private static final Map<String, JwtKey> CACHE = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JwtKey> eldest) {
            return size() > CACHE_SIZE;
        }
    });

    private JwtKeys() {
    }

    /**
     * The key for a neutral value; null for null (callers report the missing key). Throws
     * {@link NgxApiException} with a reason for material that can't be used.
     */
    public static JwtKey parse(Object key) {
        if (key == null) {
            return null;
        }
        if (key instanceof JwtKey k) {
            return k;
        }
        if (key instanceof String s) {
            if (s.length() > MAX_CACHED_TEXT) {
                return parseText(s);
            }
            JwtKey cached = CACHE.get(s);
            if (cached == null) {
                cached = parseText(s);
                CACHE.put(s, cached);
            }
            return cached;
        }
        if (key instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) m;
            return parseTable(map);
        }
        throw new NgxApiException("invalid key type (must be a string, a table or a key object)");
    }

    private static JwtKey parseText(String s) {
        String t = s.strip();
        if (t.startsWith("-----BEGIN")) {
            return pem(t);
        }
        if (t.startsWith("{")) {
            Map<String, Object> json = JsonValues.parseObject(JsonValues.bytes(t));
            if (json != null && (json.containsKey("kty") || json.containsKey("keys"))) {
                return parseTable(json);
            }
        }
        if (s.isEmpty()) {
            throw new NgxApiException("empty secret");
        }
        return new JwtKey.Secret(JsonValues.bytes(s));
    }

    private static JwtKey parseTable(Map<String, Object> m) {
        if (m.get("jwks_uri") instanceof String url) {
            return new JwtKey.Remote(url, seconds(m.get("cache_ttl"), 300), seconds(m.get("min_refresh_interval"), 10),
                    (long) (seconds(m.get("timeout"), 5) * 1000));
        }
        List<JsonWebKey> keys = new ArrayList<>();
        try {
            if (m.get("keys") instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?> jwk) {
                        JsonWebKey k = jwk(jwk);
                        if (k != null) {
                            keys.add(k); // members with unknown kty or bad values are ignored (RFC 7517 section 5)
                        }
                    }
                }
            } else if (m.containsKey("kty")) {
                JsonWebKey k = jwk(m);
                if (k == null) {
                    throw new NgxApiException("invalid JWK");
                }
                keys.add(k);
            } else {
                throw new NgxApiException("invalid key table (expected a JWK, a JWK Set or {jwks_uri = ...})");
            }
        } catch (JoseException e) {
            throw new NgxApiException("invalid JWK: " + e.getMessage());
        }
        return new JwtKey.Jwks(List.copyOf(keys));
    }

    private static JsonWebKey jwk(Map<?, ?> m) throws JoseException {
        // jose4j reads JWK members as Java strings; our strings are byte strings
        Map<String, Object> params = new LinkedHashMap<>();
        m.forEach((k, v) -> params.put(String.valueOf(k), v instanceof String s ? JsonValues.text(s) : unwrapNumbers(v)));
        try {
            return JsonWebKey.Factory.newJwk(params);
        } catch (JoseException | RuntimeException e) {
            if (m.containsKey("keys")) {
                throw e;
            }
            return null;
        }
    }

    private static Object unwrapNumbers(Object v) {
        if (v instanceof Double d && d == Math.rint(d)) {
            return d.longValue();
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(o instanceof String s ? JsonValues.text(s) : unwrapNumbers(o));
            }
            return out;
        }
        return v;
    }

    private static long seconds(Object v, long dflt) {
        return v instanceof Number n ? n.longValue() : dflt;
    }

    // ------------------------------------------------------------------ PEM

    /** A PEM public key, certificate or private key (PKCS#8, or PKCS#1 {@code RSA PRIVATE/PUBLIC KEY}). */
    static JwtKey.Asymmetric pem(String text) {
        int begin = text.indexOf("-----BEGIN ");
        int labelEnd = text.indexOf("-----", begin + 11);
        if (labelEnd < 0) {
            throw new NgxApiException("Decode secret is not a valid cert/public key");
        }
        String label = text.substring(begin + 11, labelEnd);
        String footer = "-----END " + label + "-----";
        int end = text.indexOf(footer, labelEnd);
        if (end < 0) {
            throw new NgxApiException("Decode secret is not a valid cert/public key");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(labelEnd + 5, end));
        } catch (IllegalArgumentException e) {
            throw new NgxApiException("Decode secret is not a valid cert/public key");
        }
        try {
            switch (label) {
                case "CERTIFICATE": {
                    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der));
                    return new JwtKey.Asymmetric(cert.getPublicKey(), null, cert);
                }
                case "PUBLIC KEY":
                    return new JwtKey.Asymmetric(publicKey(der), null, null);
                case "RSA PUBLIC KEY":
                    return new JwtKey.Asymmetric(KeyFactory.getInstance("RSA").generatePublic(
                            new X509EncodedKeySpec(Der.rsaPkcs1PublicToSpki(der))), null, null);
                case "PRIVATE KEY":
                    return new JwtKey.Asymmetric(null, privateKey(der), null);
                case "RSA PRIVATE KEY":
                    return new JwtKey.Asymmetric(null, KeyFactory.getInstance("RSA").generatePrivate(
                            new PKCS8EncodedKeySpec(Der.rsaPkcs1PrivateToPkcs8(der))), null);
                default:
                    throw new NgxApiException("unsupported PEM type: " + label
                            + " (use PUBLIC KEY, CERTIFICATE, PRIVATE KEY or RSA PRIVATE KEY)");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof NgxApiException n) {
                throw n;
            }
            throw new NgxApiException("Decode secret is not a valid cert/public key");
        }
    }

    private static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String alg : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    private static PrivateKey privateKey(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String alg : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }
}
