package dev.resty4j.server.conformance;

/**
 * Quoting of nginx configuration arguments.
 *
 * <p>nginx's tokenizer ({@code ngx_conf_read_token}) turns {@code \"}, {@code \'}, {@code \\},
 * {@code \t}, {@code \r} and {@code \n} back into the characters they stand for; every other
 * byte is taken literally. {@link #quote} applies exactly the inverse, so any string survives a
 * round trip through nginx's parser. {@code $} is not escaped: nginx has no escape for it, and the
 * values handed to us use {@code $var} on purpose.
 */
public final class NginxQuoting {

    private NginxQuoting() {
    }

    /** Always returns a double-quoted nginx string. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /**
     * Returns {@code s} as one nginx argument: bare when nginx would read it back unchanged,
     * double-quoted otherwise (empty, whitespace, quotes, {@code ; { } #}, backslash, control
     * characters).
     */
    public static String arg(String s) {
        return needsQuoting(s) ? quote(s) : s;
    }

    /** Whether {@code s} must be quoted to be read back by nginx as one unchanged token. */
    public static boolean needsQuoting(String s) {
        if (s.isEmpty()) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7f || c == '"' || c == '\'' || c == ';' || c == '{' || c == '}'
                    || c == '#' || c == '\\') {
                return true;
            }
        }
        return false;
    }
}
