package dev.resty4j.config;

import java.util.Set;

/**
 * Finds the end of a {@code *_by_js_block} body: the <code>&#125;</code> matching the block's opening brace, counting
 * braces only in JavaScript code (not in strings, template literal text, comments or regex literals).
 *
 * <p>Recognised lexical elements: strings {@code '...'} / {@code "..."} with backslash escapes (a string
 * cut by an unescaped line break is invalid JavaScript; its quote is then taken as an ordinary character);
 * template literals {@code `...${ expr }...`} whose substitutions are scanned as code again (so they nest);
 * comments {@code // ...} and {@code /* ... *}{@code /}; and regex literals.
 *
 * <p><b>Regex heuristic.</b> A {@code /} that does not start a comment begins a regex literal when the
 * previous significant token (whitespace and comments are skipped) leaves the parser expecting an
 * expression:
 * <ul>
 *   <li>nothing yet (start of the block), or any punctuator such as {@code ( , = : [ ! & | ? { } ; + - * %
 *       < > ~ ^} (including the {@code >} of {@code =>});</li>
 *   <li>one of the keywords {@code return typeof instanceof in of new delete void throw case do else yield
 *       await}.</li>
 * </ul>
 * After an identifier, number, string, template, regex, {@code )} or {@code ]}, and after {@code ++} /
 * {@code --} (assumed postfix), a {@code /} is division. A <code>&#125;</code> is assumed to end a statement block
 * (so {@code /} after it starts a regex), which is wrong only for odd code such as {@code ({}) / 2}.
 * A candidate regex must close on the same line (a {@code /} outside any {@code [...]} class, honouring
 * backslash escapes); if it does not, the {@code /} is taken as division after all. Line starts are
 * deliberately not treated as regex positions: {@code a\n/b/g} is a division in JavaScript.
 */
final class JsBlockScanner {

    private static final Set<String> REGEX_KEYWORDS = Set.of("return", "typeof", "instanceof", "in", "of",
            "new", "delete", "void", "throw", "case", "do", "else", "yield", "await");

    private final String s;
    private final int n;

    private JsBlockScanner(String s) {
        this.s = s;
        this.n = s.length();
    }

    /**
     * @param s    source text
     * @param from offset just after the block's opening brace
     * @return offset of the matching closing brace
     * @throws RawBlockException if the block, a comment or a template literal inside it is not closed
     */
    static int findClose(String s, int from) throws RawBlockException {
        return new JsBlockScanner(s).code(from);
    }

    /** Scans code from {@code i} up to the <code>&#125;</code> that closes the enclosing construct; returns its offset. */
    private int code(int i) throws RawBlockException {
        int depth = 0;
        boolean regexAllowed = true;
        while (i < n) {
            char c = s.charAt(i);
            if (isSpace(c)) {
                i++;
                continue;
            }
            char next = i + 1 < n ? s.charAt(i + 1) : '\0';
            if (c == '/' && next == '/') {
                i = endOfLine(i + 2);
                continue;
            }
            if (c == '/' && next == '*') {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new RawBlockException("missing the end of a /* comment", i);
                }
                i = end + 2;
                continue;
            }
            if (c == '/') {
                int end = regexAllowed ? regexEnd(i) : -1;
                regexAllowed = end < 0; // after a regex: division; after a division operator: regex
                i = end < 0 ? i + 1 : end;
                continue;
            }
            switch (c) {
                case '\'', '"' -> {
                    i = skipString(i);
                    regexAllowed = false;
                }
                case '`' -> {
                    i = skipTemplate(i);
                    regexAllowed = false;
                }
                case '{' -> {
                    depth++;
                    i++;
                    regexAllowed = true;
                }
                case '}' -> {
                    if (depth == 0) {
                        return i;
                    }
                    depth--;
                    i++;
                    regexAllowed = true;
                }
                case ')', ']' -> {
                    i++;
                    regexAllowed = false;
                }
                case '+', '-' -> {
                    boolean incDec = next == c; // ++ / --, taken as postfix
                    i += incDec ? 2 : 1;
                    regexAllowed = !incDec;
                }
                default -> {
                    if (isDigit(c) || (c == '.' && isDigit(next))) {
                        i = skipWord(i + 1);
                        regexAllowed = false;
                    } else if (Character.isJavaIdentifierStart(c) || c == '\\') {
                        int end = skipWord(i + 1);
                        regexAllowed = REGEX_KEYWORDS.contains(s.substring(i, end));
                        i = end;
                    } else {
                        i++; // any other punctuator
                        regexAllowed = true;
                    }
                }
            }
        }
        throw new RawBlockException(null, i);
    }

    /** Skips identifier / number characters (letters, digits, {@code _ $ .} and escapes). */
    private int skipWord(int i) {
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (Character.isJavaIdentifierPart(c) && !Character.isIdentifierIgnorable(c) || c == '.') {
                i++;
            } else {
                break;
            }
        }
        return Math.min(i, n);
    }

    /**
     * If a regex literal starts at {@code open} (a {@code /}) and closes on the same line, the offset after
     * it (and its flags); otherwise -1.
     */
    private int regexEnd(int open) {
        boolean inClass = false;
        int i = open + 1;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                return -1;
            }
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '[') {
                inClass = true;
            } else if (c == ']') {
                inClass = false;
            } else if (c == '/' && !inClass) {
                i++;
                while (i < n && Character.isJavaIdentifierPart(s.charAt(i))) { // flags
                    i++;
                }
                return i;
            }
            i++;
        }
        return -1;
    }

    /** Skips a '...' or "..." string starting at {@code open}. */
    private int skipString(int open) {
        char quote = s.charAt(open);
        int i = open + 1;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else if (c == '\n' || c == '\r') {
                break;
            } else {
                i++;
            }
        }
        return open + 1; // not a valid string: treat the quote as an ordinary character
    }

    /** Skips a template literal starting at {@code open} (a backquote), including nested substitutions. */
    private int skipTemplate(int open) throws RawBlockException {
        int i = open + 1;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '`') {
                return i + 1;
            } else if (c == '$' && i + 1 < n && s.charAt(i + 1) == '{') {
                try {
                    i = code(i + 2) + 1;
                } catch (RawBlockException e) {
                    throw e.reason() != null ? e : unterminatedTemplate(open);
                }
            } else {
                i++;
            }
        }
        throw unterminatedTemplate(open);
    }

    private static RawBlockException unterminatedTemplate(int open) {
        return new RawBlockException("missing the closing ` of a template literal", open);
    }

    private int endOfLine(int i) {
        while (i < n && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
            i++;
        }
        return i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000B' || c == '\f'
                || c == '\u00A0' || c == '\uFEFF' || c == '\u2028' || c == '\u2029' || Character.isSpaceChar(c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
