package dev.resty4j.core.json;

/**
 * Explains why a JSON text was rejected, in lua-cjson's words: "Expected EXPECTATION but found TOKEN at
 * character N". Jackson does the parsing ({@link JsonReader}); only when it fails does this class re-read the
 * text with lua-cjson's tokenizer rules and grammar to find the first token cjson would have complained about
 * and how cjson names it ({@code T_END}, {@code T_OBJ_END}, {@code T_INTEGER}, "invalid token",
 * "invalid escape code", ...). It builds no values.
 *
 * <p>Numbers follow what {@link JsonReader} accepts: with {@code decode_invalid_numbers} on, a leading '+',
 * leading zeros, {@code NaN} and {@code Infinity}; hexadecimal numbers and other spellings of inf/nan, which
 * cjson's C library would read, are reported as "invalid number".
 */
final class CjsonSyntax {

    private static final int OBJ_BEGIN = 0;
    private static final int OBJ_END = 1;
    private static final int ARR_BEGIN = 2;
    private static final int ARR_END = 3;
    private static final int STRING = 4;
    private static final int NUMBER = 5;
    private static final int INTEGER = 6;
    private static final int BOOLEAN = 7;
    private static final int NULL = 8;
    private static final int COLON = 9;
    private static final int COMMA = 10;
    private static final int END = 11;
    private static final int ERROR = 12;
    private static final String[] NAMES = {
        "T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END", "T_STRING", "T_NUMBER", "T_INTEGER",
        "T_BOOLEAN", "T_NULL", "T_COLON", "T_COMMA", "T_END", "T_ERROR",
    };

    private final char[] s;
    private final int n;
    private final boolean invalidNumbers;
    private int pos;
    private int type;
    private int index;
    private String error;

    private CjsonSyntax(char[] s, int n, boolean invalidNumbers) {
        this.s = s;
        this.n = n;
        this.invalidNumbers = invalidNumbers;
    }

    /**
     * cjson's message for the first error in {@code s[0..n)}, or null when cjson's grammar accepts the text
     * (then the failure was one this class does not model and the caller words it).
     */
    static String explain(char[] s, int n, boolean invalidNumbers) {
        return new CjsonSyntax(s, n, invalidNumbers).run();
    }

    /** cjson's parse loop (value, object and array contexts), iterative so nesting cannot overflow the stack. */
    private String run() {
        boolean[] inObject = new boolean[16];
        int depth = 0;
        next();
        while (true) {
            // A value is expected; the current token starts it.
            if (type == OBJ_BEGIN || type == ARR_BEGIN) {
                if (depth == inObject.length) {
                    inObject = java.util.Arrays.copyOf(inObject, depth * 2);
                }
                boolean object = type == OBJ_BEGIN;
                inObject[depth++] = object;
                next();
                if (type == (object ? OBJ_END : ARR_END)) {
                    depth--;
                } else if (object) {
                    String err = keyAndColon();
                    if (err != null) {
                        return err;
                    }
                    continue;
                } else {
                    continue;
                }
            } else if (type != STRING && type != NUMBER && type != INTEGER && type != BOOLEAN && type != NULL) {
                return expected("value");
            }
            // The value is complete: close containers until one continues with a comma.
            while (true) {
                next();
                if (depth == 0) {
                    return type == END ? null : expected("the end");
                }
                boolean object = inObject[depth - 1];
                if (type == (object ? OBJ_END : ARR_END)) {
                    depth--;
                    continue;
                }
                if (type != COMMA) {
                    return expected(object ? "comma or object end" : "comma or array end");
                }
                next();
                if (object) {
                    String err = keyAndColon();
                    if (err != null) {
                        return err;
                    }
                }
                break;
            }
        }
    }

    /** With the current token as an object key: checks it, the colon, and reads the value's first token. */
    private String keyAndColon() {
        if (type != STRING) {
            return expected("object key string");
        }
        next();
        if (type != COLON) {
            return expected("colon");
        }
        next();
        return null;
    }

    private String expected(String what) {
        String found = type == ERROR ? error : NAMES[type];
        return "Expected " + what + " but found " + found + " at character " + (index + 1);
    }

    private char at(int i) {
        return i < n ? s[i] : 0;
    }

    /** cjson's {@code json_next_token}. */
    private void next() {
        while (pos < n && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r')) {
            pos++;
        }
        index = pos;
        if (pos >= n) {
            type = END;
            return;
        }
        char c = s[pos];
        switch (c) {
            case '{' -> single(OBJ_BEGIN);
            case '}' -> single(OBJ_END);
            case '[' -> single(ARR_BEGIN);
            case ']' -> single(ARR_END);
            case ',' -> single(COMMA);
            case ':' -> single(COLON);
            case '"' -> string();
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    if (!invalidNumbers && isInvalidNumber()) {
                        error(pos, "invalid number");
                    } else {
                        number();
                    }
                } else if (startsWith("true") || startsWith("false")) {
                    type = BOOLEAN;
                    pos += c == 't' ? 4 : 5;
                } else if (startsWith("null")) {
                    type = NULL;
                    pos += 4;
                } else if (invalidNumbers && (c == '+' || c == 'i' || c == 'I' || c == 'n' || c == 'N')
                        && isInvalidNumber()) {
                    number();
                } else {
                    error(pos, "invalid token");
                }
            }
        }
    }

    private void single(int t) {
        type = t;
        pos++;
    }

    private void error(int at, String message) {
        type = ERROR;
        index = at;
        error = message;
    }

    private boolean startsWith(String word) {
        if (pos + word.length() > n) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (s[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** cjson's {@code json_is_invalid_number}: forms strict JSON forbids (leading '+' or zeros, hex, inf, nan). */
    private boolean isInvalidNumber() {
        int p = pos;
        if (at(p) == '+') {
            return true;
        }
        if (at(p) == '-') {
            p++;
        }
        char c = at(p);
        if (c == '0') {
            char c2 = at(p + 1);
            return (c2 | 0x20) == 'x' || (c2 >= '0' && c2 <= '9');
        }
        if (c <= '9') {
            return false;
        }
        String three = n - p >= 3 ? new String(s, p, 3) : "";
        return three.equalsIgnoreCase("inf") || three.equalsIgnoreCase("nan");
    }

    /** A number token in the forms {@link JsonReader} reads; T_INTEGER without fraction or exponent. */
    private void number() {
        int start = pos;
        int p = pos;
        if (at(p) == '+' || at(p) == '-') {
            p++;
        }
        if (invalidNumbers && (matches(p, "NaN") || matches(p, "Infinity"))) {
            type = NUMBER;
            pos = p + (at(p) == 'N' ? 3 : 8);
            return;
        }
        int digits = p;
        while (at(p) >= '0' && at(p) <= '9') {
            p++;
        }
        if (p == digits || (at(p - 1) == '0' && (at(p) | 0x20) == 'x')) {
            error(start, "invalid number");
            return;
        }
        type = INTEGER;
        if (at(p) == '.') {
            type = NUMBER;
            p++;
            while (at(p) >= '0' && at(p) <= '9') {
                p++;
            }
        }
        if ((at(p) | 0x20) == 'e') {
            int q = p + 1;
            if (at(q) == '+' || at(q) == '-') {
                q++;
            }
            if (at(q) >= '0' && at(q) <= '9') {
                while (at(q) >= '0' && at(q) <= '9') {
                    q++;
                }
                p = q;
            }
            type = NUMBER;
        }
        pos = p;
    }

    private boolean matches(int p, String word) {
        return n - p >= word.length() && new String(s, p, word.length()).equals(word);
    }

    /** cjson's {@code json_next_string_token}: escapes are checked, control characters allowed. */
    private void string() {
        int p = pos + 1;
        while (true) {
            if (p >= n) {
                error(p, "unexpected end of string");
                return;
            }
            char c = s[p];
            if (c == '"') {
                break;
            }
            if (c != '\\') {
                p++;
                continue;
            }
            char e = at(p + 1);
            if (e == 'u') {
                int len = unicodeEscapeLength(p);
                if (len < 0) {
                    error(p, "invalid unicode escape code");
                    return;
                }
                p += len;
            } else if ("\"\\/bfnrt".indexOf(e) >= 0) {
                p += 2;
            } else {
                error(p, "invalid escape code");
                return;
            }
        }
        type = STRING;
        pos = p + 1;
    }

    /** Length of the {@code \\uXXXX} escape (12 for a surrogate pair) at {@code p}, or -1 where cjson refuses it. */
    private int unicodeEscapeLength(int p) {
        int cp = hex4(p + 2);
        if (cp < 0) {
            return -1;
        }
        if ((cp & 0xF800) != 0xD800) {
            return 6;
        }
        if ((cp & 0x400) != 0 || at(p + 6) != '\\' || at(p + 7) != 'u') {
            return -1;
        }
        int low = hex4(p + 8);
        return low >= 0 && (low & 0xFC00) == 0xDC00 ? 12 : -1;
    }

    private int hex4(int p) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(at(p + i), 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }
}
