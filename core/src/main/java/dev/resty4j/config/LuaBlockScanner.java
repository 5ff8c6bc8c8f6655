package dev.resty4j.config;

/**
 * Finds the end of a {@code *_by_lua_block} body: the <code>&#125;</code> matching the block's opening brace, counting
 * <code>&#123;</code>/<code>&#125;</code> only outside Lua strings and comments.
 *
 * <p>Recognised Lua lexical elements:
 * <ul>
 *   <li>short strings {@code '...'} and {@code "..."}, where a backslash escapes the next character
 *       (including a newline). An unescaped newline cannot occur in a valid Lua short string; if it does,
 *       the quote is taken as an ordinary character and scanning resumes right after it (so one stray quote
 *       cannot swallow the rest of the file);</li>
 *   <li>long strings {@code [[...]]}, {@code [==[...]==]} (any level);</li>
 *   <li>comments {@code -- ...} to the end of the line and long comments {@code --[[ ... ]]},
 *       {@code --[==[ ... ]==]}.</li>
 * </ul>
 */
final class LuaBlockScanner {

    private LuaBlockScanner() {}

    /**
     * @param s    source text
     * @param from offset just after the block's opening brace
     * @return offset of the matching closing brace
     * @throws RawBlockException if the block or a long string/comment inside it is not closed
     */
    static int findClose(String s, int from) throws RawBlockException {
        int depth = 0;
        int i = from;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            switch (c) {
                case '-' -> {
                    if (i + 1 < n && s.charAt(i + 1) == '-') {
                        int level = longBracketLevel(s, i + 2);
                        i = level >= 0 ? skipLongBracket(s, i + 2, level) : endOfLine(s, i + 2);
                    } else {
                        i++;
                    }
                }
                case '[' -> {
                    int level = longBracketLevel(s, i);
                    i = level >= 0 ? skipLongBracket(s, i, level) : i + 1;
                }
                case '\'', '"' -> i = skipShortString(s, i);
                case '{' -> {
                    depth++;
                    i++;
                }
                case '}' -> {
                    if (depth == 0) {
                        return i;
                    }
                    depth--;
                    i++;
                }
                default -> i++;
            }
        }
        throw new RawBlockException(null, from);
    }

    /** If {@code s[i..]} starts with {@code [}, zero or more {@code =}, {@code [}, the number of {@code =}; else -1. */
    private static int longBracketLevel(String s, int i) {
        if (i >= s.length() || s.charAt(i) != '[') {
            return -1;
        }
        int j = i + 1;
        while (j < s.length() && s.charAt(j) == '=') {
            j++;
        }
        return j < s.length() && s.charAt(j) == '[' ? j - i - 1 : -1;
    }

    /** Skips a long string/comment body whose opening bracket starts at {@code open}; returns the offset after it. */
    private static int skipLongBracket(String s, int open, int level) throws RawBlockException {
        String closer = "]" + "=".repeat(level) + "]";
        int end = s.indexOf(closer, open + level + 2);
        if (end < 0) {
            throw new RawBlockException("missing the closing long bracket \"" + closer + "\"", open);
        }
        return end + closer.length();
    }

    private static int endOfLine(String s, int i) {
        int eol = s.indexOf('\n', i);
        return eol < 0 ? s.length() : eol;
    }

    /** Skips a quoted string starting at {@code open}; see the class comment for the newline rule. */
    private static int skipShortString(String s, int open) {
        char quote = s.charAt(open);
        int i = open + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else if (c == '\n') {
                break;
            } else {
                i++;
            }
        }
        return open + 1; // not a valid string: treat the quote as an ordinary character
    }
}
