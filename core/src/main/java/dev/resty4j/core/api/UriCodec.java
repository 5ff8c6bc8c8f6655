package dev.resty4j.core.api;

/**
 * {@code ngx.escape_uri} and {@code ngx.unescape_uri}.
 *
 * <p>The escape types are those of lua-nginx-module's {@code ngx_http_lua_escape_uri} (the {@code type}
 * argument of {@code ngx.escape_uri}, accepted range 0..6). Escaped bytes become {@code %XX} with uppercase
 * hex digits. Which bytes each type escapes:
 * <ul>
 *   <li>{@link #ESCAPE_URI} (0, a full URI): space, {@code #}, {@code %}, {@code ?}, 0x00..0x1F, 0x7F..0xFF.</li>
 *   <li>{@link #ESCAPE_ARGS} (1): space, {@code #}, {@code %}, {@code +}, {@code ?}, 0x00..0x1F, 0x7F..0xFF.</li>
 *   <li>{@link #ESCAPE_URI_COMPONENT} (2, the default): every byte except ASCII letters, digits and
 *       {@code - . _ ~ ! * ' ( )} (the same set JavaScript's {@code encodeURIComponent} leaves alone; the
 *       README's wording that {@code ! * ' ( )} are escaped does not match the implementation, see
 *       lua-nginx-module issue #2468).</li>
 *   <li>{@link #ESCAPE_HTML} (3): space, {@code "}, {@code #}, {@code %}, {@code '}, 0x00..0x1F, 0x7F..0xFF.</li>
 *   <li>{@link #ESCAPE_REFRESH} (4): space, {@code "}, {@code '}, 0x00..0x1F, 0x7F..0xFF.</li>
 *   <li>{@link #ESCAPE_MEMCACHED} (5) and {@link #ESCAPE_MAIL_AUTH} (6): space, {@code %}, 0x00..0x1F
 *       (bytes 0x7F..0xFF pass unchanged).</li>
 * </ul>
 */
public final class UriCodec {

    public static final int ESCAPE_URI = 0;
    public static final int ESCAPE_ARGS = 1;
    public static final int ESCAPE_URI_COMPONENT = 2;
    public static final int ESCAPE_HTML = 3;
    public static final int ESCAPE_REFRESH = 4;
    public static final int ESCAPE_MEMCACHED = 5;
    public static final int ESCAPE_MAIL_AUTH = 6;

    private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** ESCAPE[type][b] is true when byte b is escaped under that type. */
    private static final boolean[][] ESCAPE = new boolean[7][];

    static {
        ESCAPE[ESCAPE_URI] = controlsAndHigh(true, " #%?");
        ESCAPE[ESCAPE_ARGS] = controlsAndHigh(true, " #%+?");
        ESCAPE[ESCAPE_URI_COMPONENT] = componentTable();
        ESCAPE[ESCAPE_HTML] = controlsAndHigh(true, " \"#%'");
        ESCAPE[ESCAPE_REFRESH] = controlsAndHigh(true, " \"'");
        ESCAPE[ESCAPE_MEMCACHED] = controlsAndHigh(false, " %");
        ESCAPE[ESCAPE_MAIL_AUTH] = ESCAPE[ESCAPE_MEMCACHED];
    }

    private static boolean[] controlsAndHigh(boolean delAndHigh, String extra) {
        boolean[] t = new boolean[256];
        for (int b = 0; b < 0x20; b++) {
            t[b] = true;
        }
        if (delAndHigh) {
            for (int b = 0x7F; b < 256; b++) {
                t[b] = true;
            }
        }
        for (int i = 0; i < extra.length(); i++) {
            t[extra.charAt(i)] = true;
        }
        return t;
    }

    private static boolean[] componentTable() {
        boolean[] t = new boolean[256];
        String keep = "-._~!*'()";
        for (int b = 0; b < 256; b++) {
            boolean alnum = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
            t[b] = !alnum && keep.indexOf(b) < 0;
        }
        return t;
    }

    private UriCodec() {
    }

    /** Whether {@code type} is a valid escape type (0..6). */
    public static boolean isValidType(int type) {
        return type >= ESCAPE_URI && type <= ESCAPE_MAIL_AUTH;
    }

    /** Whether byte {@code b} (0..255) is escaped under {@code type}. */
    public static boolean isEscaped(int b, int type) {
        checkType(type);
        return ESCAPE[type][b & 0xFF];
    }

    /** {@code ngx.escape_uri(s)}: escape as a URI component (type 2). */
    public static byte[] escapeUri(byte[] s) {
        return escapeUri(s, ESCAPE_URI_COMPONENT);
    }

    /**
     * {@code ngx.escape_uri(s, type)}.
     *
     * @return the escaped bytes; {@code s} itself when nothing needs escaping
     * @throws IllegalArgumentException with message {@code "type" N out of range} unless 0 &lt;= type &lt;= 6
     */
    public static byte[] escapeUri(byte[] s, int type) {
        checkType(type);
        boolean[] esc = ESCAPE[type];
        int count = 0;
        for (byte b : s) {
            if (esc[b & 0xFF]) {
                count++;
            }
        }
        if (count == 0) {
            return s;
        }
        byte[] out = new byte[s.length + 2 * count];
        int j = 0;
        for (byte b : s) {
            int v = b & 0xFF;
            if (esc[v]) {
                out[j++] = '%';
                out[j++] = HEX_UPPER[v >>> 4];
                out[j++] = HEX_UPPER[v & 0xF];
            } else {
                out[j++] = b;
            }
        }
        return out;
    }

    /** {@link #escapeUri(byte[])} on a byte string. */
    public static String escapeUri(String s) {
        return escapeUri(s, ESCAPE_URI_COMPONENT);
    }

    /** {@link #escapeUri(byte[], int)} on a byte string. */
    public static String escapeUri(String s, int type) {
        byte[] in = ByteStrings.toBytes(s);
        byte[] out = escapeUri(in, type);
        return out == in ? s : ByteStrings.fromBytes(out);
    }

    /**
     * {@code ngx.unescape_uri(s)}: {@code %XX} (either hex case) becomes the byte, {@code +} becomes a space,
     * and a {@code %} not followed by two hex digits is kept verbatim (the following bytes are then decoded
     * normally, so {@code "%%20"} gives {@code "% "}).
     */
    public static byte[] unescapeUri(byte[] s) {
        byte[] out = new byte[s.length];
        int n = unescapeInto(s, 0, s.length, out, 0);
        if (n == out.length) {
            return out;
        }
        byte[] r = new byte[n];
        System.arraycopy(out, 0, r, 0, n);
        return r;
    }

    /** {@link #unescapeUri(byte[])} on a byte string. */
    public static String unescapeUri(String s) {
        byte[] in = ByteStrings.toBytes(s);
        byte[] out = new byte[in.length];
        int n = unescapeInto(in, 0, in.length, out, 0);
        return ByteStrings.fromBytes(out, 0, n);
    }

    /**
     * Unescape {@code src[from, to)} into {@code dst} starting at {@code dstOff}; returns the number of bytes
     * written (never more than {@code to - from}). {@code dst} may be {@code src} with
     * {@code dstOff <= from} (in-place decoding).
     */
    static int unescapeInto(byte[] src, int from, int to, byte[] dst, int dstOff) {
        int d = dstOff;
        int i = from;
        while (i < to) {
            byte c = src[i++];
            if (c == '%') {
                if (to - i >= 2) {
                    int hi = hexValue(src[i]);
                    int lo = hexValue(src[i + 1]);
                    if (hi >= 0 && lo >= 0) {
                        dst[d++] = (byte) (hi << 4 | lo);
                        i += 2;
                        continue;
                    }
                }
                dst[d++] = '%';
            } else if (c == '+') {
                dst[d++] = ' ';
            } else {
                dst[d++] = c;
            }
        }
        return d - dstOff;
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    private static void checkType(int type) {
        if (!isValidType(type)) {
            throw new IllegalArgumentException("\"type\" " + type + " out of range");
        }
    }
}
