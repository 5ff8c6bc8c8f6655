package dev.resty4j.core.api;

import java.nio.charset.StandardCharsets;

/**
 * Conversions between the two representations of a Lua byte string used in core: {@code byte[]} and a Java
 * {@link String} whose chars are all in 0..255 (one char per byte, ISO-8859-1).
 */
public final class ByteStrings {

    private ByteStrings() {
    }

    /**
     * The bytes of a byte string.
     *
     * @throws IllegalArgumentException if {@code s} holds a char above 0xFF (it is not a byte string)
     */
    public static byte[] toBytes(String s) {
        int n = s.length();
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c > 0xFF) {
                throw new IllegalArgumentException(
                        "not a byte string: char U+" + Integer.toHexString(c).toUpperCase() + " at index " + i);
            }
            out[i] = (byte) c;
        }
        return out;
    }

    /** The byte string (one char per byte) holding {@code b}. */
    public static String fromBytes(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** The byte string holding {@code len} bytes of {@code b} from {@code off}. */
    public static String fromBytes(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    /** Whether every char of {@code s} is in 0..255. */
    public static boolean isByteString(CharSequence s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }
}
