package dev.resty4j.core.resty;

import java.security.SecureRandom;

/**
 * {@code resty.random.bytes(len, strong)}. OpenSSL's pseudo-random bytes come from its CSPRNG too, so both
 * variants use {@link SecureRandom}; "strong" never fails here.
 */
public final class RandomBytes {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomBytes() {
    }

    public static byte[] bytes(int len) {
        byte[] b = new byte[Math.max(0, len)];
        RANDOM.nextBytes(b);
        return b;
    }
}
