package dev.resty4j.core.resty;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The digest objects of lua-resty-string ({@code resty.md5}, {@code resty.sha1}, {@code resty.sha224},
 * {@code resty.sha256}, {@code resty.sha384}, {@code resty.sha512}): {@code new()}, {@code update(s)} any number
 * of times, {@code final()} for the binary digest, {@code reset()} to start over.
 */
public final class StreamingDigest {

    private final MessageDigest md;

    private StreamingDigest(MessageDigest md) {
        this.md = md;
    }

    /** A digest by lua-resty-string name: md5, sha1, sha224, sha256, sha384, sha512. */
    public static StreamingDigest of(String name) {
        String alg = algorithm(name);
        try {
            return new StreamingDigest(MessageDigest.getInstance(alg));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(alg + " not available", e);
        }
    }

    /** The JDK name of a lua-resty-string digest name (also the names of {@code resty.aes}'s {@code hash} table). */
    public static String algorithm(String name) {
        return switch (name) {
            case "md5" -> "MD5";
            case "sha1" -> "SHA-1";
            case "sha224" -> "SHA-224";
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unknown digest " + name);
        };
    }

    public void update(byte[] data) {
        md.update(data);
    }

    /** The digest of everything added since creation or the last reset/final. */
    public byte[] finish() {
        return md.digest();
    }

    public void reset() {
        md.reset();
    }
}
