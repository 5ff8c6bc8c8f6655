package dev.resty4j.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The session's cryptography, all on the JDK's primitives: per-session keys derived with HKDF-SHA256
 * (RFC 5869) from the configured secret, salted with the session id; data sealed with AES-256-GCM; the
 * cookie header authenticated with HMAC-SHA256.
 *
 * <p>HKDF is the two-step construction of RFC 5869 over the JDK's {@code HmacSHA256} ({@code javax.crypto.KDF}
 * only exists from JDK 25, and we build for 21). Every save makes a new random session id, so every
 * ciphertext has its own key; the GCM nonce is random as well.
 */
final class SessionCrypto {

    static final int ID_LENGTH = 32;
    static final int NONCE_LENGTH = 12;
    static final int MAC_LENGTH = 16;
    private static final int TAG_BITS = 128;
    private static final byte[] INFO_ENC = "resty4j session encryption key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INFO_MAC = "resty4j session authentication key".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionCrypto() {
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** The input keying material for a configured secret (any length) . */
    static byte[] ikm(byte[] secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HKDF-SHA256 (RFC 5869): extract with {@code salt}, expand to 32 bytes with {@code info}. */
    static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            mac.update(info);
            mac.update((byte) 1);
            return mac.doFinal(); // T(1): 32 bytes, all we need
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** nonce || AES-256-GCM(plaintext) with {@code aad}, under the session's derived key. */
    static byte[] seal(byte[] ikm, byte[] id, byte[] plaintext, byte[] aad) {
        byte[] nonce = random(NONCE_LENGTH);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(hkdf(ikm, id, INFO_ENC), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad);
            byte[] ct = c.doFinal(plaintext);
            byte[] out = Arrays.copyOf(nonce, NONCE_LENGTH + ct.length);
            System.arraycopy(ct, 0, out, NONCE_LENGTH, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The plaintext of {@link #seal}, or null if it was tampered with or sealed under another key. */
    static byte[] open(byte[] ikm, byte[] id, byte[] sealed, byte[] aad) {
        if (sealed.length < NONCE_LENGTH + TAG_BITS / 8) {
            return null;
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(hkdf(ikm, id, INFO_ENC), "AES"),
                    new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_LENGTH));
            c.updateAAD(aad);
            return c.doFinal(sealed, NONCE_LENGTH, sealed.length - NONCE_LENGTH);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    /** The truncated HMAC of a cookie header, keyed per session id. */
    static byte[] mac(byte[] ikm, byte[] id, byte[] header) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hkdf(ikm, id, INFO_MAC), "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(header), MAC_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean macMatches(byte[] ikm, byte[] id, byte[] header, byte[] mac) {
        return MessageDigest.isEqual(mac(ikm, id, header), mac);
    }
}
