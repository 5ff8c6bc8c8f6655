package dev.resty4j.core.resty;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * lua-resty-string's {@code resty.aes} on the JDK's AES: key and IV derived from a passphrase with OpenSSL's
 * {@code EVP_BytesToKey} (digest {@code md5} by default, {@code hash_rounds} iterations, optional 8-byte salt), or
 * given directly; encrypt/decrypt whole messages, PKCS#7 padding for ECB and CBC unless disabled, none for the
 * stream modes.
 */
public final class Aes {

    /** A cipher as {@code aes.cipher(size, mode)} describes it. */
    public record CipherSpec(int size, String mode) {

        /** Modes the JDK provides with OpenSSL's meaning (cfb = cfb128); cfb1 and gcm are not offered. */
        private static final Set<String> MODES = Set.of("ecb", "cbc", "cfb8", "cfb128", "ofb", "ctr");

        /** {@code aes.cipher(size, mode)}: defaults 128 and "cbc"; null for a cipher we cannot provide. */
        public static CipherSpec of(Integer size, String mode) {
            int s = size == null ? 128 : size;
            String m = mode == null ? "cbc" : mode;
            if ((s != 128 && s != 192 && s != 256) || !MODES.contains(m)) {
                return null;
            }
            return new CipherSpec(s, m);
        }

        int keyLength() {
            return size / 8;
        }

        int ivLength() {
            return mode.equals("ecb") ? 0 : 16;
        }

        String transformation(boolean padding) {
            return switch (mode) {
                case "ecb" -> padding ? "AES/ECB/PKCS5Padding" : "AES/ECB/NoPadding";
                case "cbc" -> padding ? "AES/CBC/PKCS5Padding" : "AES/CBC/NoPadding";
                case "cfb8" -> "AES/CFB8/NoPadding";
                case "cfb128" -> "AES/CFB/NoPadding";
                case "ofb" -> "AES/OFB/NoPadding";
                default -> "AES/CTR/NoPadding";
            };
        }
    }

    /** {@code aes:new(...)}'s result: the object, or {@code err} ("bad iv", "bad key length", ...). */
    public record Created(Aes aes, String err) {}

    private final Cipher encryptor;
    private final Cipher decryptor;

    private Aes(CipherSpec spec, byte[] key, byte[] iv, boolean padding) throws GeneralSecurityException {
        SecretKeySpec k = new SecretKeySpec(key, "AES");
        encryptor = Cipher.getInstance(spec.transformation(padding));
        decryptor = Cipher.getInstance(spec.transformation(padding));
        if (spec.ivLength() == 0) {
            encryptor.init(Cipher.ENCRYPT_MODE, k);
            decryptor.init(Cipher.DECRYPT_MODE, k);
        } else {
            encryptor.init(Cipher.ENCRYPT_MODE, k, new IvParameterSpec(iv));
            decryptor.init(Cipher.DECRYPT_MODE, k, new IvParameterSpec(iv));
        }
    }

    /**
     * {@code aes:new(key, salt, cipher, hash, hash_rounds)} with a digest: key and IV from
     * {@code EVP_BytesToKey(cipher, hash, salt, key, hash_rounds)}.
     *
     * @param digest md5, sha1, sha224, sha256, sha384 or sha512 (the keys of {@code aes.hash})
     * @param salt null or exactly 8 bytes
     */
    public static Created derive(byte[] passphrase, byte[] salt, CipherSpec spec, String digest, int rounds, boolean padding) {
        if (salt != null && salt.length != 8) {
            return new Created(null, "salt must be 8 characters or nil");
        }
        byte[] material = bytesToKey(digest, salt, passphrase, rounds, spec.keyLength() + spec.ivLength());
        byte[] key = Arrays.copyOfRange(material, 0, spec.keyLength());
        byte[] iv = Arrays.copyOfRange(material, spec.keyLength(), material.length);
        return create(spec, key, iv, padding);
    }

    /** {@code aes:new(key, nil, cipher, {iv = iv})}: the key (cipher-sized) and 16-byte IV given as is. */
    public static Created withKeyAndIv(byte[] key, byte[] iv, CipherSpec spec, boolean padding) {
        if (iv == null || iv.length != 16) {
            return new Created(null, "bad iv");
        }
        if (key.length != spec.keyLength()) {
            return new Created(null, "bad key length");
        }
        return create(spec, key, iv, padding);
    }

    private static Created create(CipherSpec spec, byte[] key, byte[] iv, boolean padding) {
        try {
            return new Created(new Aes(spec, key, iv, padding), null);
        } catch (GeneralSecurityException e) {
            return new Created(null, "EVP_EncryptInit_ex failed");
        }
    }

    /**
     * OpenSSL's {@code EVP_BytesToKey}: D_i = H^count(D_{i-1} || data || salt), concatenated until
     * {@code length} bytes are produced.
     */
    static byte[] bytesToKey(String digest, byte[] salt, byte[] data, int count, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance(StreamingDigest.algorithm(digest));
            byte[] out = new byte[length];
            byte[] prev = new byte[0];
            int filled = 0;
            while (filled < length) {
                md.update(prev);
                md.update(data);
                if (salt != null) {
                    md.update(salt);
                }
                prev = md.digest();
                for (int i = 1; i < count; i++) {
                    prev = md.digest(prev);
                }
                int n = Math.min(prev.length, length - filled);
                System.arraycopy(prev, 0, out, filled, n);
                filled += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(digest + " not available", e);
        }
    }

    /** {@code aes:encrypt(s)}: the ciphertext, or null when the input does not fit (no padding). */
    public byte[] encrypt(byte[] plain) {
        try {
            return encryptor.doFinal(plain);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    /** {@code aes:decrypt(s)}: the plaintext, or null on a bad length or padding (wrong key). */
    public byte[] decrypt(byte[] cipherText) {
        try {
            return decryptor.doFinal(cipherText);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }
}
