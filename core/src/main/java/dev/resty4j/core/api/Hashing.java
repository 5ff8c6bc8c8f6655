package dev.resty4j.core.api;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Digests and related helpers: {@code ngx.md5}, {@code ngx.md5_bin}, {@code ngx.sha1_bin},
 * {@code ngx.hmac_sha1}, {@code ngx.crc32_short}, {@code ngx.crc32_long}, and the lua-resty-string pieces
 * ({@code resty.sha256} etc. digests, {@code resty.string.to_hex}, {@code resty.string.atoi}).
 * All inputs and binary outputs are raw bytes.
 */
public final class Hashing {

    private static final char[] HEX_LOWER = "0123456789abcdef".toCharArray();

    private Hashing() {
    }

    /** {@code ngx.md5_bin(s)}: the 16-byte MD5 digest. */
    public static byte[] md5(byte[] s) {
        return digest("MD5", s);
    }

    /** {@code ngx.md5(s)}: the MD5 digest as 32 lowercase hex digits. */
    public static String md5Hex(byte[] s) {
        return toHex(md5(s));
    }

    /** {@link #md5Hex(byte[])} on a byte string. */
    public static String md5Hex(String s) {
        return md5Hex(ByteStrings.toBytes(s));
    }

    /** {@code ngx.sha1_bin(s)}: the 20-byte SHA-1 digest. */
    public static byte[] sha1(byte[] s) {
        return digest("SHA-1", s);
    }

    /** The 28-byte SHA-224 digest ({@code resty.sha224}). */
    public static byte[] sha224(byte[] s) {
        return digest("SHA-224", s);
    }

    /** The 32-byte SHA-256 digest ({@code resty.sha256}). */
    public static byte[] sha256(byte[] s) {
        return digest("SHA-256", s);
    }

    /** The 48-byte SHA-384 digest ({@code resty.sha384}). */
    public static byte[] sha384(byte[] s) {
        return digest("SHA-384", s);
    }

    /** The 64-byte SHA-512 digest ({@code resty.sha512}). */
    public static byte[] sha512(byte[] s) {
        return digest("SHA-512", s);
    }

    /** {@code ngx.hmac_sha1(key, msg)}: the 20-byte HMAC-SHA1. Any key length works, including empty. */
    public static byte[] hmacSha1(byte[] key, byte[] msg) {
        return hmac("HmacSHA1", key, msg);
    }

    /** The 32-byte HMAC-SHA256 of {@code msg} under {@code key} (any length, including empty). */
    public static byte[] hmacSha256(byte[] key, byte[] msg) {
        return hmac("HmacSHA256", key, msg);
    }

    /** The 64-byte HMAC-SHA512 of {@code msg} under {@code key} (any length, including empty). */
    public static byte[] hmacSha512(byte[] key, byte[] msg) {
        return hmac("HmacSHA512", key, msg);
    }

    /**
     * {@code ngx.crc32_short(s)}: CRC-32 (IEEE 802.3, the zlib one) as an unsigned value in 0..2^32-1.
     * nginx's short and long variants only differ in speed, so this equals {@link #crc32Long(byte[])}.
     */
    public static long crc32Short(byte[] s) {
        return crc32(s);
    }

    /** {@code ngx.crc32_long(s)}: CRC-32 (IEEE) as an unsigned value in 0..2^32-1. */
    public static long crc32Long(byte[] s) {
        return crc32(s);
    }

    private static long crc32(byte[] s) {
        CRC32 crc = new CRC32();
        crc.update(s, 0, s.length);
        return crc.getValue();
    }

    /** {@code resty.string.to_hex(s)}: two lowercase hex digits per byte. */
    public static String toHex(byte[] s) {
        char[] out = new char[s.length * 2];
        for (int i = 0; i < s.length; i++) {
            int v = s[i] & 0xFF;
            out[2 * i] = HEX_LOWER[v >>> 4];
            out[2 * i + 1] = HEX_LOWER[v & 0xF];
        }
        return new String(out);
    }

    /**
     * {@code resty.string.atoi(s)} (nginx's {@code ngx_atoi}): the value of a non-empty string of ASCII digits
     * only (no sign, no spaces), or {@code -1} when {@code s} is empty, holds any other byte, or exceeds
     * {@link Long#MAX_VALUE}.
     */
    public static long atoi(byte[] s) {
        if (s.length == 0) {
            return -1;
        }
        long cutoff = Long.MAX_VALUE / 10;
        long cutlim = Long.MAX_VALUE % 10;
        long value = 0;
        for (byte b : s) {
            if (b < '0' || b > '9') {
                return -1;
            }
            int digit = b - '0';
            if (value >= cutoff && (value > cutoff || digit > cutlim)) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** {@link #atoi(byte[])} on a byte string ({@code -1} also for chars above 0xFF). */
    public static long atoi(String s) {
        if (!ByteStrings.isByteString(s)) {
            return -1;
        }
        return atoi(ByteStrings.toBytes(s));
    }

    private static byte[] digest(String algorithm, byte[] s) {
        try {
            return MessageDigest.getInstance(algorithm).digest(s);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " not available", e);
        }
    }

    private static byte[] hmac(String algorithm, byte[] key, byte[] msg) {
        // HMAC pads the key with zero bytes to the block size, so an empty key is the same as a single zero
        // byte; SecretKeySpec refuses empty keys, hence the substitution.
        byte[] k = key.length == 0 ? new byte[1] : key;
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(k, algorithm));
            return mac.doFinal(msg);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " not available", e);
        }
    }
}
