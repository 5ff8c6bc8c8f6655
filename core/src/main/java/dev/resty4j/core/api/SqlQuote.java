package dev.resty4j.core.api;

/**
 * {@code ngx.quote_sql_str}: a MySQL string literal.
 *
 * <p>The input is wrapped in single quotes and these bytes are backslash-escaped: NUL as {@code \0},
 * backspace as {@code \b}, LF as {@code \n}, CR as {@code \r}, TAB as {@code \t}, 0x1A (Ctrl-Z) as
 * {@code \Z}, and {@code \}, {@code '}, {@code "} preceded by a backslash. Every other byte, including all
 * bytes 0x80..0xFF, is copied unchanged. The empty string gives {@code ''}.
 */
public final class SqlQuote {

    private SqlQuote() {
    }

    /** {@code ngx.quote_sql_str(s)}. */
    public static byte[] quoteSqlStr(byte[] s) {
        int extra = 0;
        for (byte b : s) {
            if (replacement(b) != 0) {
                extra++;
            }
        }
        byte[] out = new byte[s.length + extra + 2];
        int j = 0;
        out[j++] = '\'';
        for (byte b : s) {
            byte r = replacement(b);
            if (r != 0) {
                out[j++] = '\\';
                out[j++] = r;
            } else {
                out[j++] = b;
            }
        }
        out[j] = '\'';
        return out;
    }

    /** {@link #quoteSqlStr(byte[])} on a byte string. */
    public static String quoteSqlStr(String s) {
        return ByteStrings.fromBytes(quoteSqlStr(ByteStrings.toBytes(s)));
    }

    /** The char that follows the backslash for an escaped byte, or 0 when {@code b} is copied as is. */
    private static byte replacement(byte b) {
        return switch (b) {
            case 0 -> '0';
            case '\b' -> 'b';
            case '\n' -> 'n';
            case '\r' -> 'r';
            case '\t' -> 't';
            case 0x1A -> 'Z';
            case '\\' -> '\\';
            case '\'' -> '\'';
            case '"' -> '"';
            default -> 0;
        };
    }
}
