package dev.resty4j.core.api;

import java.util.Arrays;

/**
 * {@code ngx.encode_base64} / {@code ngx.decode_base64} (standard alphabet) and the {@code ngx.base64}
 * module's {@code encode_base64url} / {@code decode_base64url} (URL-safe alphabet, no padding).
 *
 * <p>Decoding follows nginx's {@code ngx_decode_base64}: input is read up to the first {@code =} (padding is
 * optional, and anything from the first {@code =} on is ignored); every byte before it must belong to the
 * alphabet (no whitespace or line breaks); the number of alphabet bytes must not be 1 more than a multiple
 * of 4; unused low bits of the last group are not checked. Invalid input gives {@code null}.
 */
public final class Base64Codec {

    private static final byte[] STD = alphabet('+', '/');
    private static final byte[] URL = alphabet('-', '_');
    private static final byte[] STD_REVERSE = reverse(STD);
    private static final byte[] URL_REVERSE = reverse(URL);

    private static byte[] alphabet(char c62, char c63) {
        String s = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + c62 + c63;
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[] reverse(byte[] alphabet) {
        byte[] r = new byte[256];
        Arrays.fill(r, (byte) -1);
        for (int i = 0; i < alphabet.length; i++) {
            r[alphabet[i]] = (byte) i;
        }
        return r;
    }

    private Base64Codec() {
    }

    /** {@code ngx.encode_base64(s)}: standard alphabet, with {@code =} padding. */
    public static byte[] encodeBase64(byte[] s) {
        return encode(s, STD, true);
    }

    /** {@code ngx.encode_base64(s, noPadding)}. */
    public static byte[] encodeBase64(byte[] s, boolean noPadding) {
        return encode(s, STD, !noPadding);
    }

    /** {@link #encodeBase64(byte[], boolean)} on a byte string. */
    public static String encodeBase64(String s, boolean noPadding) {
        return ByteStrings.fromBytes(encodeBase64(ByteStrings.toBytes(s), noPadding));
    }

    /** {@code ngx.decode_base64(s)}: the decoded bytes, or {@code null} when {@code s} is not valid. */
    public static byte[] decodeBase64(byte[] s) {
        return decode(s, STD_REVERSE);
    }

    /** {@link #decodeBase64(byte[])} on a byte string; {@code null} when invalid. */
    public static String decodeBase64(String s) {
        byte[] r = decodeBase64(ByteStrings.toBytes(s));
        return r == null ? null : ByteStrings.fromBytes(r);
    }

    /** {@code require("ngx.base64").encode_base64url(s)}: URL-safe alphabet ({@code -}, {@code _}), no padding. */
    public static byte[] encodeBase64Url(byte[] s) {
        return encode(s, URL, false);
    }

    /** {@link #encodeBase64Url(byte[])} on a byte string. */
    public static String encodeBase64Url(String s) {
        return ByteStrings.fromBytes(encodeBase64Url(ByteStrings.toBytes(s)));
    }

    /**
     * {@code require("ngx.base64").decode_base64url(s)}: URL-safe alphabet ({@code +} and {@code /} are
     * invalid), padding optional; {@code null} when invalid (Lua returns {@code nil, "invalid input"}).
     */
    public static byte[] decodeBase64Url(byte[] s) {
        return decode(s, URL_REVERSE);
    }

    /** {@link #decodeBase64Url(byte[])} on a byte string; {@code null} when invalid. */
    public static String decodeBase64Url(String s) {
        byte[] r = decodeBase64Url(ByteStrings.toBytes(s));
        return r == null ? null : ByteStrings.fromBytes(r);
    }

    private static byte[] encode(byte[] s, byte[] basis, boolean padding) {
        int full = s.length / 3;
        int rest = s.length % 3;
        int outLen = full * 4 + (rest == 0 ? 0 : (padding ? 4 : rest + 1));
        byte[] out = new byte[outLen];
        int i = 0;
        int j = 0;
        for (int g = 0; g < full; g++) {
            int v = (s[i] & 0xFF) << 16 | (s[i + 1] & 0xFF) << 8 | (s[i + 2] & 0xFF);
            i += 3;
            out[j++] = basis[v >>> 18];
            out[j++] = basis[(v >>> 12) & 0x3F];
            out[j++] = basis[(v >>> 6) & 0x3F];
            out[j++] = basis[v & 0x3F];
        }
        if (rest > 0) {
            int b0 = s[i] & 0xFF;
            int b1 = rest == 2 ? s[i + 1] & 0xFF : 0;
            out[j++] = basis[b0 >>> 2];
            out[j++] = basis[(b0 & 0x3) << 4 | b1 >>> 4];
            if (rest == 2) {
                out[j++] = basis[(b1 & 0xF) << 2];
            }
            if (padding) {
                while (j < outLen) {
                    out[j++] = '=';
                }
            }
        }
        return out;
    }

    private static byte[] decode(byte[] s, byte[] reverse) {
        int len = 0;
        while (len < s.length && s[len] != '=') {
            if (reverse[s[len] & 0xFF] < 0) {
                return null;
            }
            len++;
        }
        if (len % 4 == 1) {
            return null;
        }
        int full = len / 4;
        int rest = len % 4;
        byte[] out = new byte[full * 3 + (rest == 0 ? 0 : rest - 1)];
        int i = 0;
        int j = 0;
        for (int g = 0; g < full; g++) {
            int v = reverse[s[i] & 0xFF] << 18 | reverse[s[i + 1] & 0xFF] << 12
                    | reverse[s[i + 2] & 0xFF] << 6 | reverse[s[i + 3] & 0xFF];
            i += 4;
            out[j++] = (byte) (v >>> 16);
            out[j++] = (byte) (v >>> 8);
            out[j++] = (byte) v;
        }
        if (rest >= 2) {
            int c0 = reverse[s[i] & 0xFF];
            int c1 = reverse[s[i + 1] & 0xFF];
            out[j++] = (byte) (c0 << 2 | c1 >>> 4);
            if (rest == 3) {
                int c2 = reverse[s[i + 2] & 0xFF];
                out[j++] = (byte) (c1 << 4 | c2 >>> 2);
            }
        }
        return out;
    }
}
