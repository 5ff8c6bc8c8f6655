package dev.resty4j.config;

/**
 * The nginx configuration tokenizer ({@code ngx_conf_read_token} semantics), plus readers for the raw bodies
 * of {@code *_by_lua_block} / {@code *_by_js_block} directives.
 *
 * <p>Rules, as nginx applies them:
 * <ul>
 *   <li>Whitespace is only space, tab, CR and LF. Line numbers count LF characters.</li>
 *   <li>At the start of a token: {@code ;} <code>&#123;</code> <code>&#125;</code> are punctuation, {@code #} starts a comment to
 *       the end of the line, {@code "} and {@code '} start a quoted token. Anywhere else these characters are
 *       ordinary ({@code a#b}, <code>a&#125;b</code>, {@code a"b"} are single plain tokens).</li>
 *   <li>An unquoted token ends at whitespace, {@code ;} or <code>&#123;</code>, except that a <code>&#123;</code> right after
 *       {@code $} belongs to the token (so {@code ${var}} works). A backslash makes the next character part of
 *       the token whatever it is ({@code a\ b} is one token).</li>
 *   <li>A quoted token may span lines and may be empty; a backslash protects the next character from ending
 *       it. After the closing quote only whitespace, {@code ;}, <code>&#123;</code> or {@code )} may follow (the last
 *       one for {@code if ($a = "b")}; it then starts a new token).</li>
 *   <li>Every token, quoted or not, is then unescaped: {@code \"} {@code \'} {@code \\} become the character,
 *       {@code \n} {@code \t} {@code \r} become LF, tab, CR; any other backslash is kept as is.</li>
 * </ul>
 */
final class Lexer {

    enum Kind { WORD, SEMICOLON, OPEN, CLOSE, EOF }

    /** A token; {@code text} is the unescaped value for {@link Kind#WORD}, otherwise {@code null}. */
    record Token(Kind kind, String text, int line) {}

    private final String src;
    private final String file;
    private int pos;
    private int line = 1;

    Lexer(String src, String file) {
        // nginx does not know about byte order marks; skipping one is harmless and spares users a puzzle.
        this.src = src.startsWith("\uFEFF") ? src.substring(1) : src;
        this.file = file;
    }

    String file() {
        return file;
    }

    ConfigException error(String reason, int atLine) {
        return new ConfigException(reason, file, atLine);
    }

    /** Reads the next token. At the end of input returns {@link Kind#EOF} carrying the current (last) line. */
    Token next() throws ConfigException {
        skipBlanksAndComments();
        if (pos >= src.length()) {
            return new Token(Kind.EOF, null, line);
        }
        int startLine = line;
        char c = src.charAt(pos);
        switch (c) {
            case ';':
                advanceTo(pos + 1);
                return new Token(Kind.SEMICOLON, null, startLine);
            case '{':
                advanceTo(pos + 1);
                return new Token(Kind.OPEN, null, startLine);
            case '}':
                advanceTo(pos + 1);
                return new Token(Kind.CLOSE, null, startLine);
            case '"':
            case '\'':
                return quoted(c, startLine);
            default:
                return bare(startLine);
        }
    }

    private void skipBlanksAndComments() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '#') {
                int eol = src.indexOf('\n', pos);
                pos = eol < 0 ? src.length() : eol; // the LF itself is counted on the next round
            } else {
                return;
            }
        }
    }

    private Token quoted(char quote, int startLine) throws ConfigException {
        int i = pos + 1;
        while (true) {
            if (i >= src.length()) {
                // nginx itself only says "unexpected end of file"; pointing at the opening quote is more useful.
                throw error("unterminated quoted string", startLine);
            }
            char c = src.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                break;
            } else {
                i++;
            }
        }
        String raw = src.substring(pos + 1, i);
        advanceTo(i + 1);
        if (pos < src.length()) {
            char n = src.charAt(pos);
            if (!(isSpace(n) || n == ';' || n == '{' || n == ')')) {
                throw error("unexpected \"" + Character.toString(src.codePointAt(pos)) + "\"", line);
            }
        }
        return new Token(Kind.WORD, unescape(raw), startLine);
    }

    private Token bare(int startLine) {
        int i = pos;
        boolean variable = false; // previous character was an unescaped '$'
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == '{' && variable) { // "${" keeps going; nginx leaves the flag set here
                i++;
                continue;
            }
            variable = false;
            if (c == '\\') {
                i += 2;
            } else if (c == '$') {
                variable = true;
                i++;
            } else if (isSpace(c) || c == ';' || c == '{') {
                break;
            } else {
                i++;
            }
        }
        i = Math.min(i, src.length()); // a trailing backslash at end of input
        String raw = src.substring(pos, i);
        advanceTo(i);
        return new Token(Kind.WORD, unescape(raw), startLine);
    }

    /**
     * Reads the raw body of a Lua/JS block whose opening brace was just returned by {@link #next()}: everything
     * up to (not including) the matching closing brace, which is consumed.
     *
     * @param directive     directive name, for messages
     * @param directiveLine line reported when the body is not terminated
     */
    String readRawBlock(String directive, int directiveLine, boolean lua) throws ConfigException {
        int end;
        try {
            end = lua ? LuaBlockScanner.findClose(src, pos) : JsBlockScanner.findClose(src, pos);
        } catch (RawBlockException e) {
            String what = lua ? "Lua" : "JavaScript";
            String reason = e.reason() != null
                    ? what + " code block of \"" + directive + "\" " + e.reason()
                            + " (opened on line " + lineAt(e.position()) + ")"
                    : "unexpected end of file, expecting terminating characters for " + what
                            + " code block of \"" + directive + "\"";
            throw error(reason, directiveLine);
        }
        String body = src.substring(pos, end);
        advanceTo(end + 1);
        return body;
    }

    /** The line number of {@code position} (which must not be before the current position). */
    private int lineAt(int position) {
        int l = line;
        for (int k = pos; k < position && k < src.length(); k++) {
            if (src.charAt(k) == '\n') {
                l++;
            }
        }
        return l;
    }

    private void advanceTo(int newPos) {
        int end = Math.min(newPos, src.length());
        for (int k = pos; k < end; k++) {
            if (src.charAt(k) == '\n') {
                line++;
            }
        }
        pos = end;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** nginx's token unescaping (see the class comment). */
    static String unescape(String raw) {
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        StringBuilder sb = new StringBuilder(raw.length());
        int n = raw.length();
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < n) {
                char d = raw.charAt(i + 1);
                switch (d) {
                    case '"', '\'', '\\' -> { sb.append(d); i++; continue; }
                    case 'n' -> { sb.append('\n'); i++; continue; }
                    case 't' -> { sb.append('\t'); i++; continue; }
                    case 'r' -> { sb.append('\r'); i++; continue; }
                    default -> { } // keep the backslash; the next char is handled normally
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
