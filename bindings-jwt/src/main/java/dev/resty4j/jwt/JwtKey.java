package dev.resty4j.jwt;

import dev.resty4j.spi.NativeHandle;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.jose4j.jwk.JsonWebKey;

/**
 * Key material a token is verified, decrypted or signed with, parsed once ({@link JwtKeys#parse}) and
 * reusable: scripts get it as an opaque handle from {@code jwt:load_key(...)}.
 *
 * <p>The kind of key decides which algorithms it may be used with (see {@link Algorithms}): a shared secret
 * only ever verifies HMAC tokens and asymmetric material never does, which is what rules out algorithm
 * confusion (an HS256 token "signed" with the server's RSA public key).
 */
public sealed interface JwtKey extends NativeHandle {

    @Override
    default String typeName() {
        return "resty.jwt.key";
    }

    /** A shared secret: HMAC keys, and the symmetric JWE key for {@code dir} / {@code A*KW} / {@code A*GCMKW}. */
    record Secret(byte[] bytes) implements JwtKey {}

    /**
     * An asymmetric key from PEM: a public key, a certificate (its public key), or a private key (JWE
     * decryption and signing; its public half, when derivable, is not used to verify).
     */
    record Asymmetric(PublicKey publicKey, PrivateKey privateKey, X509Certificate certificate) implements JwtKey {}

    /** A JWK or a JWK Set (one JWK is a set of one). */
    record Jwks(List<JsonWebKey> keys) implements JwtKey {}

    /**
     * A JWK Set fetched over HTTP(S) and cached for {@code ttlSeconds} (see {@link RemoteJwks}).
     *
     * @param minRefreshSeconds an unknown {@code kid} refetches the set (key rotation), at most this often
     */
    record Remote(String url, long ttlSeconds, long minRefreshSeconds, long timeoutMillis) implements JwtKey {}
}
