package dev.resty4j.config;

import java.util.List;

/**
 * Produces configuration text that {@link ConfigParser} reads back exactly: quoting of single values and
 * serialisation of whole {@link Directive} trees (e.g. for test generators).
 */
public final class ConfigWriter {

    private static final String INDENT = "    ";

    private ConfigWriter() {}

    /**
     * Quotes {@code value} as a double-quoted nginx token that {@link ConfigParser} reads back as exactly
     * {@code value}, whatever it contains (newlines, quotes, backslashes, {@code $}, {@code #}, braces, or
     * nothing at all).
     *
     * <p>{@code "} is escaped; LF, TAB and CR are written as {@code \n}, {@code \t}, {@code \r}; a backslash
     * is doubled only where nginx would otherwise unescape it (before {@code " ' \ n t r}, before one of the
     * escapes just mentioned, or at the end), so regexes such as {@code ^/a\d+$} stay readable.
     */
    public static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\\' -> {
                    boolean ambiguous = i + 1 == n || "\"'\\ntr\n\t\r".indexOf(value.charAt(i + 1)) >= 0;
                    sb.append(ambiguous ? "\\\\" : "\\");
                }
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /**
     * {@code value} as a token: bare when nginx reads it back unchanged as a single unquoted token and it has
     * no whitespace or control characters (e.g. {@code listen}, {@code ${host}$uri}, {@code \.php$}); quoted
     * with {@link #quote} otherwise (e.g. the empty string, {@code a b}, {@code a;b}, {@code #x}).
     */
    public static String token(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return quote(value);
            }
        }
        return readsBackBare(value) ? value : quote(value);
    }

    /** Whether the lexer reads {@code value} followed by " ;" as exactly the one word {@code value}. */
    private static boolean readsBackBare(String value) {
        if (value.isEmpty()) {
            return false;
        }
        try {
            Lexer lx = new Lexer(value + " ;", "");
            Lexer.Token word = lx.next();
            return word.kind() == Lexer.Kind.WORD && word.text().equals(value)
                    && lx.next().kind() == Lexer.Kind.SEMICOLON && lx.next().kind() == Lexer.Kind.EOF;
        } catch (ConfigException e) {
            return false;
        }
    }

    /**
     * Serialises directives as nginx configuration text (4-space indentation), so that
     * {@code ConfigParser.parse(write(ds), ...)} yields the same names, arguments and blocks.
     *
     * <p>Raw Lua/JS block directives ({@link Directive#isRawBlock()}, no {@code block}) are written as
     * {@code name args... {BODY}} with their last argument as the body, verbatim; the body must therefore be
     * balanced code as the parser's Lua/JS scanner sees it (true for any body the parser produced).
     *
     * @throws IllegalArgumentException for a raw block directive with no arguments
     */
    public static String write(List<Directive> directives) {
        StringBuilder sb = new StringBuilder();
        write(sb, directives, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, List<Directive> directives, int depth) {
        for (Directive d : directives) {
            sb.append(INDENT.repeat(depth)).append(token(d.name()));
            boolean raw = d.isRawBlock() && !d.hasBlock();
            if (raw && d.args().isEmpty()) {
                throw new IllegalArgumentException("raw block \"" + d.name() + "\" without body at " + d.location());
            }
            int plainArgs = raw ? d.argCount() - 1 : d.argCount();
            for (int i = 0; i < plainArgs; i++) {
                sb.append(' ').append(token(d.arg(i)));
            }
            if (raw) {
                sb.append(" {").append(d.rawBody()).append("}\n");
            } else if (d.hasBlock()) {
                sb.append(" {\n");
                write(sb, d.block(), depth + 1);
                sb.append(INDENT.repeat(depth)).append("}\n");
            } else {
                sb.append(";\n");
            }
        }
    }
}
