package dev.resty4j.core.regex;

/**
 * A byte string (Latin-1 Java string, one char per byte) decoded as UTF-8 for the {@code u}/{@code U}
 * options, with the map from decoded char positions back to byte offsets, because every offset
 * {@code ngx.re} reports ({@code ctx.pos}, {@code find}'s from/to, captures) is a byte offset.
 *
 * <p>Bytes that do not form valid UTF-8 (possible only with {@code U}, which skips the check as PCRE's
 * {@code PCRE2_NO_UTF_CHECK} does) decode one by one to the lone surrogates U+DC80..U+DCFF, so the map
 * stays exact and such bytes match {@code .} like any character.
 */
final class Utf8Text {

    /** The decoded text (UTF-16). */
    final String chars;
    /** Byte offset of each char position; {@code byteOffset[chars.length()]} is the byte length. */
    private final int[] byteOffset;
    /** Char position of each byte offset, -1 inside a multi-byte sequence; built on first use. */
    private int[] charIndex;

    private Utf8Text(String chars, int[] byteOffset) {
        this.chars = chars;
        this.byteOffset = byteOffset;
    }

    /** Decodes a byte string; invalid sequences become one lone surrogate per byte (see the class comment). */
    static Utf8Text decode(String bytes) {
        int n = bytes.length();
        StringBuilder sb = new StringBuilder(n);
        int[] offs = new int[n + 1];
        int i = 0;
        while (i < n) {
            int len = sequenceLength(bytes, i);
            if (len <= 0) {
                offs[sb.length()] = i;
                sb.append((char) (0xDC00 | bytes.charAt(i)));
                i++;
                continue;
            }
            int cp = codePoint(bytes, i, len);
            offs[sb.length()] = i;
            if (cp >= 0x10000) {
                sb.append(Character.highSurrogate(cp));
                offs[sb.length()] = i;
                sb.append(Character.lowSurrogate(cp));
            } else {
                sb.append((char) cp);
            }
            i += len;
        }
        offs[sb.length()] = n;
        int[] exact = new int[sb.length() + 1];
        System.arraycopy(offs, 0, exact, 0, exact.length);
        return new Utf8Text(sb.toString(), exact);
    }

    /** The byte offset of a char position of {@link #chars}. */
    int byteOffset(int charPos) {
        return byteOffset[charPos];
    }

    /**
     * The char position of a byte offset, or -1 when the offset falls inside a multi-byte character.
     * Offsets beyond the end answer -1 too.
     */
    int charIndex(int byteOff) {
        int bytes = byteOffset[chars.length()];
        if (byteOff < 0 || byteOff > bytes) {
            return -1;
        }
        if (charIndex == null) {
            int[] ci = new int[bytes + 1];
            java.util.Arrays.fill(ci, -1);
            for (int c = chars.length(); c >= 0; c--) {
                // a surrogate pair shares its byte offset: keep the first (high) half
                ci[byteOffset[c]] = c;
            }
            charIndex = ci;
        }
        return charIndex[byteOff];
    }

    /**
     * Checks a byte string as PCRE2 checks a UTF-8 subject or pattern: the low 32 bits of the result are
     * PCRE2's negative error code ({@code PCRE2_ERROR_UTF8_ERR1} = -3 ... {@code ERR21} = -23), 0 when
     * valid; the high 32 bits are the byte offset of the bad sequence.
     */
    static long check(String bytes) {
        int n = bytes.length();
        int i = 0;
        while (i < n) {
            int c = bytes.charAt(i);
            if (c < 0x80) {
                i++;
                continue;
            }
            int err = sequenceError(bytes, i);
            if (err != 0) {
                return ((long) i << 32) | (err & 0xFFFFFFFFL);
            }
            i += sequenceLength(bytes, i);
        }
        return 0;
    }

    /** PCRE2's message for a UTF-8 error code, as its compile and match error texts word it. */
    static String message(int code) {
        int k = -code - 2; // ERR1 .. ERR21
        if (k >= 1 && k <= 5) {
            return "UTF-8 error: " + k + " byte" + (k == 1 ? "" : "s") + " missing at end";
        }
        if (k >= 6 && k <= 10) {
            return "UTF-8 error: byte " + (k - 4) + " top bits are not 0x80";
        }
        return switch (k) {
            case 11 -> "UTF-8 error: 5-byte character is not allowed (RFC 3629)";
            case 12 -> "UTF-8 error: 6-byte character is not allowed (RFC 3629)";
            case 13 -> "UTF-8 error: code points greater than 0x10ffff are not defined";
            case 14 -> "UTF-8 error: code points 0xd800-0xdfff are not defined";
            case 15, 16, 17, 18, 19 -> "UTF-8 error: overlong " + (k - 13) + "-byte sequence";
            case 20 -> "UTF-8 error: isolated byte with 0x80 bit set";
            default -> "UTF-8 error: illegal byte (0xfe or 0xff)";
        };
    }

    /** Length of the valid UTF-8 sequence at {@code i}, or 0 when it is not valid. */
    private static int sequenceLength(String b, int i) {
        int c = b.charAt(i);
        if (c < 0x80) {
            return 1;
        }
        if (sequenceError(b, i) != 0) {
            return 0;
        }
        return c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    }

    private static int codePoint(String b, int i, int len) {
        int c = b.charAt(i);
        return switch (len) {
            case 1 -> c;
            case 2 -> ((c & 0x1F) << 6) | (b.charAt(i + 1) & 0x3F);
            case 3 -> ((c & 0x0F) << 12) | ((b.charAt(i + 1) & 0x3F) << 6) | (b.charAt(i + 2) & 0x3F);
            default -> ((c & 0x07) << 18) | ((b.charAt(i + 1) & 0x3F) << 12) | ((b.charAt(i + 2) & 0x3F) << 6)
                    | (b.charAt(i + 3) & 0x3F);
        };
    }

    /** PCRE2's error code for the sequence starting with a byte >= 0x80 at {@code i}, 0 when valid. */
    private static int sequenceError(String b, int i) {
        int c = b.charAt(i);
        if (c < 0xC0) {
            return -22; // isolated byte with 0x80 bit set
        }
        if (c >= 0xFE) {
            return -23;
        }
        int extra = c < 0xE0 ? 1 : c < 0xF0 ? 2 : c < 0xF8 ? 3 : c < 0xFC ? 4 : 5;
        int available = b.length() - i - 1;
        if (available < extra) {
            return -(2 + extra - available); // N bytes missing at end
        }
        for (int k = 1; k <= extra; k++) {
            if ((b.charAt(i + k) & 0xC0) != 0x80) {
                return -(k + 7); // byte k+1 top bits are not 0x80 (ERR6 = byte 2 = -8)
            }
        }
        int c1 = b.charAt(i + 1);
        switch (extra) {
            case 1 -> {
                if ((c & 0x3E) == 0) {
                    return -17; // overlong 2-byte
                }
            }
            case 2 -> {
                if (c == 0xE0 && (c1 & 0x20) == 0) {
                    return -18;
                }
                if (c == 0xED && c1 >= 0xA0) {
                    return -16; // surrogate
                }
            }
            case 3 -> {
                if (c == 0xF0 && (c1 & 0x30) == 0) {
                    return -19;
                }
                if (c > 0xF4 || (c == 0xF4 && c1 > 0x8F)) {
                    return -15; // beyond U+10FFFF
                }
            }
            case 4 -> {
                return -13;
            }
            default -> {
                return -14;
            }
        }
        return 0;
    }
}
