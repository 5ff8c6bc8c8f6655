package dev.resty4j.jwt;

import java.security.Key;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.util.Set;
import javax.crypto.SecretKey;

/**
 * Which key fits which {@code alg}: the rule that makes algorithm confusion impossible. A token's
 * {@code alg} header is attacker-chosen, so the key decides what it can verify, never the token: shared
 * secrets only verify HMAC, RSA keys only RS / PS, EC keys only the ES variant of their curve, OKP keys
 * only EdDSA.
 */
final class Algorithms {

    static final Set<String> HMAC = Set.of("HS256", "HS384", "HS512");
    static final Set<String> RSA = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512");
    static final Set<String> EC = Set.of("ES256", "ES384", "ES512");
    static final Set<String> OKP = Set.of("EdDSA");

    /** JWE key management with a shared secret. PBES2 (password-based, attacker-chosen iteration count) is opt-in. */
    static final Set<String> JWE_SYMMETRIC = Set.of("dir", "A128KW", "A192KW", "A256KW", "A128GCMKW", "A192GCMKW", "A256GCMKW");
    static final Set<String> JWE_PBES2 = Set.of("PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW");
    /** RSA1_5 (PKCS#1 v1.5, padding-oracle prone) is opt-in through the whitelist. */
    static final Set<String> JWE_RSA = Set.of("RSA-OAEP", "RSA-OAEP-256");
    static final Set<String> JWE_EC = Set.of("ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW");
    static final Set<String> JWE_ENC = Set.of("A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM", "A192GCM", "A256GCM");

    private Algorithms() {
    }

    static boolean isSignature(String alg) {
        return HMAC.contains(alg) || RSA.contains(alg) || EC.contains(alg) || OKP.contains(alg);
    }

    /** Null when {@code key} may verify {@code alg}; otherwise the reason it may not. */
    static String keyMismatch(String alg, Key key) {
        boolean fits;
        if (HMAC.contains(alg)) {
            fits = key instanceof SecretKey;
        } else if (RSA.contains(alg)) {
            fits = key instanceof RSAKey;
        } else if (EC.contains(alg)) {
            fits = key instanceof ECKey ec && curveBits(alg) == ec.getParams().getCurve().getField().getFieldSize();
        } else if (OKP.contains(alg)) {
            fits = key instanceof EdECKey;
        } else {
            return "Unsupported algorithm " + alg;
        }
        return fits ? null : "key type mismatch: a " + describe(key) + " cannot verify " + alg;
    }

    private static int curveBits(String alg) {
        return switch (alg) {
            case "ES256" -> 256;
            case "ES384" -> 384;
            default -> 521;
        };
    }

    static String describe(Key key) {
        if (key instanceof SecretKey) {
            return "shared secret";
        }
        if (key instanceof RSAKey) {
            return "RSA key";
        }
        if (key instanceof ECKey) {
            return "EC key";
        }
        if (key instanceof EdECKey) {
            return "EdDSA key";
        }
        return key.getAlgorithm() + " key";
    }
}
