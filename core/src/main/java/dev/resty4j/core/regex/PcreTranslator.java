package dev.resty4j.core.regex;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rewrites a PCRE2 pattern into an equivalent {@link java.util.regex.Pattern} pattern.
 *
 * <p>Most syntax is shared and copied through; what differs is rewritten so that the Java pattern
 * means what PCRE2 means:
 * <ul>
 *   <li><b>Groups.</b> Named groups ({@code (?<n>..)}, {@code (?'n'..)}, {@code (?P<n>..)}) become plain
 *       capturing groups and the names are kept here, because PCRE names allow {@code _}, may repeat
 *       (option {@code D} or {@code (?J)}) and Java's may not. Group numbers therefore stay PCRE's.
 *       Back-references ({@code \1}, {@code \g{-1}}, {@code \k<n>}, {@code (?P=n)}) become numbered
 *       references; a duplicated name refers to any of its groups. {@code (?#...)} comments are
 *       dropped.</li>
 *   <li><b>Extended mode</b> ({@code x} / {@code (?x)}) is applied here rather than by Java's
 *       {@code COMMENTS} flag, because Java also ignores whitespace inside character classes and PCRE
 *       does not.</li>
 *   <li><b>Literals.</b> A {@code {} that does not start a valid quantifier is literal in PCRE and an
 *       error in Java; PCRE escapes Java lacks ({@code \x} with 0-2 digits, {@code \o{}}, {@code \0},
 *       octal, {@code \N}, {@code \cX}) become {@code \x{...}} code points.</li>
 *   <li><b>Character classes</b> are rebuilt item by item: Java gives {@code [}, {@code &&} and a
 *       hyphen after a class escape special meanings PCRE does not; POSIX classes
 *       ({@code [:alpha:]}) become {@code \p{Alpha}}.</li>
 *   <li><b>Options</b> {@code (?i)}, {@code (?m)}, {@code (?s)} pass through; {@code (?x)} and
 *       {@code (?J)} are handled here.</li>
 * </ul>
 *
 * Constructs java.util.regex has no equivalent for (recursion, conditionals, branch reset,
 * {@code \K}, {@code \C}, backtracking verbs other than {@code (*FAIL)}, {@code (?U)}) are reported as
 * compile errors naming the construct, so a script gets {@code nil, err} instead of a wrong match.
 * Errors PCRE2 itself reports carry PCRE2's message text (its {@code compile_error_texts}).
 */
final class PcreTranslator {

    /** The Java pattern, PCRE's capture count and name table (name to group numbers, ascending). */
    record Result(String javaRegex, int captures, Map<String, int[]> names) {
    }

    private static final String UNSUPPORTED = " is not supported (resty4j runs patterns on java.util.regex)";

    private final String p;
    private final int n;
    private final boolean utf;
    private final boolean js;
    private boolean dupNames;
    private boolean extended;
    private final StringBuilder out = new StringBuilder();
    private int i;
    private int groups;
    /** Whether a quantifier may follow what was emitted last. */
    private boolean canRepeat;
    private final Deque<Boolean> savedExtended = new ArrayDeque<>();
    private final Map<String, List<Integer>> names = new TreeMap<>();
    private final List<int[]> numberedRefs = new ArrayList<>();     // {group, pattern offset}
    private final List<NamedRef> namedRefs = new ArrayList<>();

    private record NamedRef(int outPos, String name, int offset) {
    }

    private PcreTranslator(String pattern, RegexFlags flags) {
        this.p = pattern;
        this.n = pattern.length();
        this.utf = flags.utf8();
        this.js = flags.jsCompat();
        this.dupNames = flags.dupNames();
        this.extended = flags.extended();
    }

    /**
     * Translates {@code pattern} (bytes as Latin-1 chars, or decoded UTF-16 under {@code u}).
     *
     * @throws PcreSyntaxException with PCRE2's message and the pattern offset
     */
    static Result translate(String pattern, RegexFlags flags) throws PcreSyntaxException {
        return new PcreTranslator(pattern, flags).run();
    }

    private Result run() throws PcreSyntaxException {
        while (i < n) {
            char c = p.charAt(i);
            if (extended && skipExtendedSpace()) {
                continue;
            }
            switch (c) {
                case '\\' -> escape();
                case '[' -> charClass();
                case '(' -> openGroup();
                case ')' -> closeGroup();
                case '|' -> {
                    out.append('|');
                    i++;
                    canRepeat = false;
                }
                case '^', '$' -> {
                    out.append(c);
                    i++;
                    canRepeat = false;
                }
                case '.' -> {
                    out.append('.');
                    i++;
                    canRepeat = true;
                }
                case '*', '+', '?' -> quantifier();
                case '{' -> {
                    if (quantifierEnd(i) > 0) {
                        quantifier();
                    } else {
                        literal('{');
                        i++;
                    }
                }
                default -> {
                    literal(c);
                    i++;
                }
            }
        }
        if (!savedExtended.isEmpty()) {
            throw new PcreSyntaxException("missing closing parenthesis", n);
        }
        for (int[] ref : numberedRefs) {
            if (ref[0] > groups) {
                throw new PcreSyntaxException("reference to non-existent subpattern", ref[1]);
            }
        }
        // named references may point forward, so they are filled in last (from the end, to keep positions)
        for (int k = namedRefs.size() - 1; k >= 0; k--) {
            NamedRef r = namedRefs.get(k);
            List<Integer> nums = names.get(r.name());
            if (nums == null) {
                throw new PcreSyntaxException("reference to non-existent subpattern", r.offset());
            }
            StringBuilder alt = new StringBuilder("(?:");
            for (int j = 0; j < nums.size(); j++) {
                alt.append(j == 0 ? "" : "|").append('\\').append(nums.get(j));
            }
            out.insert(r.outPos(), alt.append(')'));
        }
        Map<String, int[]> table = new TreeMap<>();
        names.forEach((k, v) -> table.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        return new Result(out.toString(), groups, table);
    }

    /** In extended mode, skips one run of whitespace or a {@code #} comment; true if anything was skipped. */
    private boolean skipExtendedSpace() {
        char c = p.charAt(i);
        if (c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r'
                || (utf && (c == 0x85 || c == 0x200E || c == 0x200F || c == 0x2028 || c == 0x2029))) {
            i++;
            return true;
        }
        if (c == '#') {
            while (i < n && p.charAt(i) != '\n') {
                i++;
            }
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------
    // atoms
    // ---------------------------------------------------------------------------------------------

    /** Emits one literal character so Java reads it as that character whatever it is. */
    private void literal(char c) {
        if (isAsciiAlnum(c) || c >= 0x80) {
            out.append(c);
        } else if (c < 0x20 || c == 0x7F) {
            out.append("\\x{").append(Integer.toHexString(c)).append('}');
        } else {
            out.append('\\').append(c);
        }
        canRepeat = true;
    }

    private void codePoint(int cp, int offset) throws PcreSyntaxException {
        checkCodePoint(cp, offset);
        out.append("\\x{").append(Integer.toHexString(cp)).append('}');
        canRepeat = true;
    }

    private void checkCodePoint(int cp, int offset) throws PcreSyntaxException {
        if (cp > (utf ? 0x10FFFF : 0xFF)) {
            throw new PcreSyntaxException("character code point value in \\x{} or \\o{} is too large", offset);
        }
        if (utf && cp >= 0xD800 && cp <= 0xDFFF) {
            throw new PcreSyntaxException("disallowed Unicode code point (>= 0xd800 && <= 0xdfff)", offset);
        }
    }

    private void quantifier() throws PcreSyntaxException {
        int start = i;
        if (!canRepeat) {
            throw new PcreSyntaxException("quantifier does not follow a repeatable item", start);
        }
        char c = p.charAt(i);
        if (c == '{') {
            int end = quantifierEnd(i);
            String body = p.substring(i + 1, end - 1);
            int comma = body.indexOf(',');
            long min = parseBound(comma < 0 ? body : body.substring(0, comma), start);
            if (comma >= 0 && comma < body.length() - 1) {
                long max = parseBound(body.substring(comma + 1), start);
                if (max < min) {
                    throw new PcreSyntaxException("numbers out of order in {} quantifier", end - 1);
                }
            }
            out.append(p, i, end);
            i = end;
        } else {
            out.append(c);
            i++;
        }
        if (i < n && (p.charAt(i) == '?' || p.charAt(i) == '+')) {
            out.append(p.charAt(i));
            i++;
        }
        canRepeat = false;
    }

    private static long parseBound(String digits, int offset) throws PcreSyntaxException {
        long v = digits.length() > 6 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (v > 65535) {
            throw new PcreSyntaxException("number too big in {} quantifier", offset);
        }
        return v;
    }

    /** End (exclusive) of a {@code {n}}, {@code {n,}} or {@code {n,m}} quantifier at {@code at}, or -1. */
    private int quantifierEnd(int at) {
        int k = at + 1;
        int d0 = k;
        while (k < n && isDigit(p.charAt(k))) {
            k++;
        }
        if (k == d0 || k >= n) {
            return -1;
        }
        if (p.charAt(k) == '}') {
            return k + 1;
        }
        if (p.charAt(k) != ',') {
            return -1;
        }
        k++;
        while (k < n && isDigit(p.charAt(k))) {
            k++;
        }
        return k < n && p.charAt(k) == '}' ? k + 1 : -1;
    }

    // ---------------------------------------------------------------------------------------------
    // escapes outside classes
    // ---------------------------------------------------------------------------------------------

    private void escape() throws PcreSyntaxException {
        int start = i;
        if (i + 1 >= n) {
            throw new PcreSyntaxException("\\ at end of pattern", n);
        }
        char c = p.charAt(i + 1);
        i += 2;
        switch (c) {
            case 'd', 'D', 'w', 'W', 's', 'S', 'h', 'H', 'v', 'V', 'R', 'X', 'n', 'r', 't', 'f', 'e', 'a' -> {
                out.append('\\').append(c);
                canRepeat = true;
            }
            case 'b', 'B', 'A', 'z', 'Z', 'G' -> {
                out.append('\\').append(c);
                canRepeat = false;
            }
            case 'E' -> { } // \E without \Q is ignored
            case 'Q' -> quoted();
            case 'N' -> {
                if (i < n && p.charAt(i) == '{') {
                    codePoint(namedCodePoint(start), start);
                } else {
                    out.append("[^\\n]");
                    canRepeat = true;
                }
            }
            case 'p', 'P' -> {
                out.append(property(c == 'P', start));
                canRepeat = true;
            }
            case 'g' -> groupReference(start);
            case 'k' -> namedReference(start);
            case 'K', 'C' -> throw new PcreSyntaxException("\\" + c + UNSUPPORTED, i);
            default -> {
                if (isDigit(c)) {
                    i--;
                    digitEscape(start);
                } else {
                    codePoint(characterEscape(c, start, false), start);
                }
            }
        }
    }

    /**
     * The code point of a character escape whose letter {@code c} was just consumed ({@code i} is after
     * it): {@code \x}, {@code \o}, {@code \c}, {@code \\u} (under {@code J}), or an escaped
     * non-alphanumeric literal.
     */
    private int characterEscape(char c, int start, boolean inClass) throws PcreSyntaxException {
        switch (c) {
            case 'x' -> {
                return hexEscape(start);
            }
            case 'o' -> {
                if (i >= n || p.charAt(i) != '{') {
                    throw new PcreSyntaxException("missing opening brace after \\o", i);
                }
                int close = p.indexOf('}', i);
                if (close < 0 || close == i + 1 || !p.substring(i + 1, close).chars().allMatch(ch -> ch >= '0' && ch <= '7')) {
                    throw new PcreSyntaxException("non-octal character in \\o{} (closing brace missing?)", i);
                }
                int cp = parseCode(p.substring(i + 1, close), 8, start);
                i = close + 1;
                return cp;
            }
            case 'c' -> {
                if (i >= n) {
                    throw new PcreSyntaxException("\\c at end of pattern", n);
                }
                char x = p.charAt(i++);
                if (x < 0x20 || x > 0x7E) {
                    throw new PcreSyntaxException("\\c must be followed by a printable ASCII character", i);
                }
                return Character.toUpperCase(x) ^ 0x40;
            }
            case 'u', 'U', 'L', 'l', 'F' -> {
                if (js && c == 'u') {
                    if (i + 4 <= n && isHex(p, i, 4)) {
                        int cp = Integer.parseInt(p.substring(i, i + 4), 16);
                        i += 4;
                        return cp;
                    }
                    return 'u';
                }
                if (js && c == 'U') {
                    return 'U';
                }
                throw new PcreSyntaxException("PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u", i);
            }
            case 'n' -> {
                return '\n';
            }
            case 'r' -> {
                return '\r';
            }
            case 't' -> {
                return '\t';
            }
            case 'f' -> {
                return '\f';
            }
            case 'e' -> {
                return 0x1B;
            }
            case 'a' -> {
                return 0x07;
            }
            default -> {
                if (c < 0x80 && Character.isLetterOrDigit(c)) {
                    throw new PcreSyntaxException(inClass && (c == 'B' || c == 'R' || c == 'X')
                            ? "escape sequence is invalid in character class" : "unrecognized character follows \\", i);
                }
                if (Character.isHighSurrogate(c) && i < n && Character.isLowSurrogate(p.charAt(i))) {
                    return Character.toCodePoint(c, p.charAt(i++));
                }
                return c;
            }
        }
    }

    /** {@code \x}: {@code \xhh} (0-2 digits) or {@code \x{h..}}; under {@code J}, exactly {@code \xhh}. */
    private int hexEscape(int start) throws PcreSyntaxException {
        if (js) {
            if (i + 2 <= n && isHex(p, i, 2)) {
                int cp = Integer.parseInt(p.substring(i, i + 2), 16);
                i += 2;
                return cp;
            }
            return 'x';
        }
        if (i < n && p.charAt(i) == '{') {
            int close = p.indexOf('}', i);
            if (close < 0 || close == i + 1 || !isHex(p, i + 1, close - i - 1)) {
                throw new PcreSyntaxException("non-hex character in \\x{} (closing brace missing?)", i);
            }
            int cp = parseCode(p.substring(i + 1, close), 16, start);
            i = close + 1;
            return cp;
        }
        int k = i;
        while (k < n && k < i + 2 && isHex(p, k, 1)) {
            k++;
        }
        int cp = k == i ? 0 : Integer.parseInt(p.substring(i, k), 16);
        i = k;
        return cp;
    }

    private int parseCode(String digits, int radix, int offset) throws PcreSyntaxException {
        String d = digits.replaceFirst("^0+(?=.)", "");
        if (d.length() > 8) {
            throw new PcreSyntaxException("character code point value in \\x{} or \\o{} is too large", offset);
        }
        long v = Long.parseLong(d, radix);
        if (v > Integer.MAX_VALUE) {
            throw new PcreSyntaxException("character code point value in \\x{} or \\o{} is too large", offset);
        }
        return (int) v;
    }

    /** {@code \N{U+hhhh}} (UTF mode only, as in PCRE2). */
    private int namedCodePoint(int start) throws PcreSyntaxException {
        int close = p.indexOf('}', i);
        if (utf && close > 0 && p.startsWith("{U+", i) && close > i + 3 && isHex(p, i + 3, close - i - 3)) {
            int cp = parseCode(p.substring(i + 3, close), 16, start);
            i = close + 1;
            return cp;
        }
        throw new PcreSyntaxException("PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u", i);
    }

    /** {@code \Q...\E}: everything up to {@code \E} (or the end) is literal, whitespace included. */
    private void quoted() {
        while (i < n) {
            if (p.charAt(i) == '\\' && i + 1 < n && p.charAt(i + 1) == 'E') {
                i += 2;
                return;
            }
            literal(p.charAt(i++));
        }
    }

    /**
     * {@code \1}..{@code \9}..: a back-reference when below 10 or when that many groups are open so far,
     * else an octal escape (up to three digits), as PCRE2 reads it. {@code \0} is always octal.
     */
    private void digitEscape(int start) throws PcreSyntaxException {
        char first = p.charAt(i);
        if (first != '0') {
            int k = i;
            while (k < n && isDigit(p.charAt(k))) {
                k++;
            }
            String digits = p.substring(i, k);
            long num = digits.length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits);
            if (num < 10 || first == '8' || first == '9' || num <= groups) {
                if (num > 65535) {
                    throw new PcreSyntaxException("subpattern number is too big", k);
                }
                i = k;
                backReference((int) num, start);
                return;
            }
        }
        int k = i;
        int cp = 0;
        while (k < n && k < i + 3 && p.charAt(k) >= '0' && p.charAt(k) <= '7') {
            cp = cp * 8 + (p.charAt(k) - '0');
            k++;
        }
        i = k;
        codePoint(cp, start);
    }

    private void backReference(int num, int offset) {
        numberedRefs.add(new int[] {num, offset});
        // parenthesised so that a following literal digit cannot extend the group number
        out.append("(?:\\").append(num).append(')');
        canRepeat = true;
    }

    /** {@code \g{n}}, {@code \g{-n}}, {@code \gn}, {@code \g-n}, {@code \g{name}}. */
    private void groupReference(int start) throws PcreSyntaxException {
        if (i < n && (p.charAt(i) == '<' || p.charAt(i) == '\'')) {
            throw new PcreSyntaxException("subroutine call \\g" + p.charAt(i) + UNSUPPORTED, i);
        }
        String ref;
        if (i < n && p.charAt(i) == '{') {
            int close = p.indexOf('}', i);
            if (close < 0) {
                throw new PcreSyntaxException("\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number", i);
            }
            ref = p.substring(i + 1, close);
            i = close + 1;
        } else {
            int k = i;
            if (k < n && (p.charAt(k) == '-' || p.charAt(k) == '+')) {
                k++;
            }
            while (k < n && isDigit(p.charAt(k))) {
                k++;
            }
            ref = p.substring(i, k);
            i = k;
        }
        if (ref.matches("[-+]?\\d{1,6}")) {
            int v = Integer.parseInt(ref.startsWith("+") ? ref.substring(1) : ref);
            if (ref.startsWith("+")) {
                throw new PcreSyntaxException("\\g+" + UNSUPPORTED, start);
            }
            if (v == 0) {
                throw new PcreSyntaxException("a relative value of zero is not allowed", i);
            }
            int num = v < 0 ? groups + v + 1 : v;
            if (num <= 0) {
                throw new PcreSyntaxException("reference to non-existent subpattern", i);
            }
            backReference(num, start);
            return;
        }
        if (!isName(ref)) {
            throw new PcreSyntaxException("\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number", i);
        }
        namedBackReference(ref, start);
    }

    /** {@code \k<name>}, {@code \k'name'}, {@code \k{name}}. */
    private void namedReference(int start) throws PcreSyntaxException {
        if (i >= n || "<'{".indexOf(p.charAt(i)) < 0) {
            throw new PcreSyntaxException("\\k is not followed by a braced, angle-bracketed, or quoted name", i);
        }
        char close = switch (p.charAt(i)) {
            case '<' -> '>';
            case '\'' -> '\'';
            default -> '}';
        };
        i++;
        namedBackReference(groupName(close), start);
    }

    private void namedBackReference(String name, int offset) {
        namedRefs.add(new NamedRef(out.length(), name, offset));
        canRepeat = true;
    }

    /** {@code \p{..}} / {@code \P{..}} / {@code \pL}, with {@code i} after the letter. */
    private String property(boolean negated, int start) throws PcreSyntaxException {
        String name;
        if (i < n && p.charAt(i) == '{') {
            int close = p.indexOf('}', i);
            if (close < 0) {
                throw new PcreSyntaxException("malformed \\P or \\p sequence", i);
            }
            name = p.substring(i + 1, close);
            i = close + 1;
        } else if (i < n) {
            name = String.valueOf(p.charAt(i++));
        } else {
            throw new PcreSyntaxException("malformed \\P or \\p sequence", i);
        }
        if (name.startsWith("^")) {
            negated = !negated;
            name = name.substring(1);
        }
        String body = switch (name) {
            case "Any" -> "\\x{0}-\\x{10ffff}";
            case "L&" -> "\\p{LC}";
            case "Xan" -> "\\p{L}\\p{N}";
            case "Xwd" -> "\\p{L}\\p{N}_";
            case "Xsp", "Xps" -> "\\p{Z}\\t\\n\\x{b}\\f\\r";
            default -> null;
        };
        if (body != null) {
            return (negated ? "[^" : "[") + body + "]";
        }
        String javaName;
        if (name.matches("[A-Z][a-z&]?")) {
            javaName = name;
        } else if (name.matches("[A-Za-z_ ]+")) {
            javaName = "Is" + name.replace(" ", "_");
        } else {
            throw new PcreSyntaxException("unknown property name after \\P or \\p", i);
        }
        String expr = (negated ? "\\P{" : "\\p{") + javaName + "}";
        try {
            java.util.regex.Pattern.compile(expr);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new PcreSyntaxException("unknown property name after \\P or \\p", i);
        }
        return expr;
    }

    // ---------------------------------------------------------------------------------------------
    // groups
    // ---------------------------------------------------------------------------------------------

    private void openGroup() throws PcreSyntaxException {
        int start = i;
        if (i + 1 < n && p.charAt(i + 1) == '*') {
            verb(start);
            return;
        }
        if (i + 1 >= n || p.charAt(i + 1) != '?') {
            i++;
            capturingGroup(null, start);
            return;
        }
        if (i + 2 >= n) {
            throw new PcreSyntaxException("unrecognized character after (? or (?-", n);
        }
        char c = p.charAt(i + 2);
        switch (c) {
            case '#' -> {
                int close = p.indexOf(')', i);
                if (close < 0) {
                    throw new PcreSyntaxException("missing ) after (?# comment", n);
                }
                i = close + 1;
            }
            case ':', '>', '=', '!' -> group("(?" + c, 3);
            case '<' -> {
                if (i + 3 < n && (p.charAt(i + 3) == '=' || p.charAt(i + 3) == '!')) {
                    group("(?<" + p.charAt(i + 3), 4);
                } else {
                    i += 3;
                    capturingGroup(groupName('>'), start);
                }
            }
            case '\'' -> {
                i += 3;
                capturingGroup(groupName('\''), start);
            }
            case 'P' -> {
                char d = i + 3 < n ? p.charAt(i + 3) : 0;
                if (d == '<') {
                    i += 4;
                    capturingGroup(groupName('>'), start);
                } else if (d == '=') {
                    i += 4;
                    namedBackReference(groupName(')'), start);
                } else if (d == '>') {
                    throw new PcreSyntaxException("recursion (?P>name)" + UNSUPPORTED, i + 3);
                } else {
                    throw new PcreSyntaxException("unrecognized character after (?P", i + 3);
                }
            }
            case '|' -> throw new PcreSyntaxException("branch reset (?|...)" + UNSUPPORTED, i + 2);
            case '(' -> throw new PcreSyntaxException("conditional group (?(...)...)" + UNSUPPORTED, i + 2);
            case 'R', '&' -> throw new PcreSyntaxException("recursion (?" + c + ")" + UNSUPPORTED, i + 2);
            case 'C' -> throw new PcreSyntaxException("callout (?C)" + UNSUPPORTED, i + 2);
            default -> {
                if (isDigit(c) || ((c == '+' || c == '-') && i + 3 < n && isDigit(p.charAt(i + 3)))) {
                    throw new PcreSyntaxException("subroutine call (?n)" + UNSUPPORTED, i + 2);
                }
                optionSetting(start);
            }
        }
    }

    /** {@code (?imsxJ-imsxJ)} or {@code (?imsx-imsx:...)}. */
    private void optionSetting(int start) throws PcreSyntaxException {
        int k = i + 2;
        StringBuilder on = new StringBuilder();
        StringBuilder off = new StringBuilder();
        boolean negate = false;
        boolean x = extended;
        boolean dup = dupNames;
        while (k < n && p.charAt(k) != ')' && p.charAt(k) != ':') {
            char f = p.charAt(k);
            switch (f) {
                case '-' -> {
                    if (negate) {
                        throw new PcreSyntaxException("unrecognized character after (? or (?-", k);
                    }
                    negate = true;
                }
                case 'i', 'm', 's' -> (negate ? off : on).append(f);
                case 'x' -> x = !negate;
                case 'J' -> dup = !negate;
                case 'U' -> throw new PcreSyntaxException("ungreedy option (?U)" + UNSUPPORTED, k);
                case 'n' -> throw new PcreSyntaxException("no-auto-capture option (?n)" + UNSUPPORTED, k);
                default -> throw new PcreSyntaxException("unrecognized character after (? or (?-", k);
            }
            k++;
        }
        if (k >= n) {
            throw new PcreSyntaxException("missing closing parenthesis", n);
        }
        String javaFlags = on + (off.isEmpty() ? "" : "-" + off);
        dupNames = dup;
        if (p.charAt(k) == ')') {
            // applies to the rest of the enclosing group, which restores extended mode when it closes
            extended = x;
            if (!javaFlags.isEmpty()) {
                out.append("(?").append(javaFlags).append(')');
            }
            i = k + 1;
            canRepeat = false;
        } else {
            savedExtended.push(extended);
            extended = x;
            out.append("(?").append(javaFlags).append(':');
            i = k + 1;
            canRepeat = false;
        }
    }

    private void group(String javaOpen, int consumed) {
        savedExtended.push(extended);
        out.append(javaOpen);
        i += consumed;
        canRepeat = false;
    }

    private void capturingGroup(String name, int offset) throws PcreSyntaxException {
        groups++;
        if (name != null) {
            List<Integer> nums = names.computeIfAbsent(name, k -> new ArrayList<>());
            if (!nums.isEmpty() && !dupNames) {
                throw new PcreSyntaxException("two named subpatterns have the same name (PCRE2_DUPNAMES not set)", i - 1);
            }
            nums.add(groups);
        }
        savedExtended.push(extended);
        out.append('(');
        canRepeat = false;
    }

    /** Reads a group name up to {@code close} (consumed), checking PCRE2's name rules. */
    private String groupName(char close) throws PcreSyntaxException {
        int k = i;
        while (k < n && (isAsciiAlnum(p.charAt(k)) || p.charAt(k) == '_')) {
            k++;
        }
        if (k == i) {
            throw new PcreSyntaxException("subpattern name expected", k);
        }
        if (isDigit(p.charAt(i))) {
            throw new PcreSyntaxException("subpattern name must start with a non-digit", i);
        }
        if (k - i > 32) {
            throw new PcreSyntaxException("subpattern name is too long (maximum 32 code units)", k);
        }
        if (k >= n || p.charAt(k) != close) {
            throw new PcreSyntaxException("syntax error in subpattern name (missing terminator?)", k);
        }
        String name = p.substring(i, k);
        i = k + 1;
        return name;
    }

    private void closeGroup() throws PcreSyntaxException {
        if (savedExtended.isEmpty()) {
            throw new PcreSyntaxException("unmatched closing parenthesis", i);
        }
        extended = savedExtended.pop();
        out.append(')');
        i++;
        canRepeat = true;
    }

    /** {@code (*VERB)}: {@code (*FAIL)} and optimisation hints are understood, the rest is not. */
    private void verb(int start) throws PcreSyntaxException {
        int close = p.indexOf(')', i);
        if (close < 0) {
            throw new PcreSyntaxException("missing closing parenthesis", n);
        }
        String verb = p.substring(i + 2, close);
        switch (verb) {
            case "FAIL", "F" -> {
                out.append("(?!)");
                canRepeat = false;
            }
            case "NO_JIT", "NO_START_OPT", "NO_AUTO_POSSESS", "NO_DOTSTAR_ANCHOR", "LF" -> { }
            default -> throw new PcreSyntaxException("(*" + verb + ")" + UNSUPPORTED, start);
        }
        i = close + 1;
    }

    // ---------------------------------------------------------------------------------------------
    // character classes
    // ---------------------------------------------------------------------------------------------

    /** One parsed class item: a single code point, or a set expression ({@code \d}, a POSIX class). */
    private record ClassItem(int cp, String set) {
        boolean single() {
            return set == null;
        }
    }

    private void charClass() throws PcreSyntaxException {
        i++;
        boolean negate = false;
        if (i < n && p.charAt(i) == '^') {
            negate = true;
            i++;
        }
        if (js && i < n && p.charAt(i) == ']') {
            // PCRE2_ALLOW_EMPTY_CLASS: [] never matches, [^] matches any character
            i++;
            out.append(negate ? "[\\x{0}-\\x{10ffff}]" : "(?!)");
            canRepeat = true;
            return;
        }
        StringBuilder cls = new StringBuilder(negate ? "[^" : "[");
        boolean first = true;
        while (true) {
            if (i >= n) {
                throw new PcreSyntaxException("missing terminating ] for character class", n);
            }
            if (p.charAt(i) == ']' && !first) {
                i++;
                break;
            }
            first = false;
            ClassItem item = classItem();
            if (item == null) {
                continue; // \E, or an empty \Q\E
            }
            if (i + 1 < n && p.charAt(i) == '-' && p.charAt(i + 1) != ']') {
                int dash = i;
                i++;
                ClassItem end = classItem();
                if (end == null) {
                    throw new PcreSyntaxException("invalid range in character class", dash + 1);
                }
                if (!item.single() || !end.single()) {
                    throw new PcreSyntaxException("invalid range in character class", i);
                }
                if (end.cp() < item.cp()) {
                    throw new PcreSyntaxException("range out of order in character class", i - 1);
                }
                appendClassChar(cls, item.cp());
                cls.append('-');
                appendClassChar(cls, end.cp());
                continue;
            }
            if (item.single()) {
                appendClassChar(cls, item.cp());
            } else {
                cls.append(item.set());
            }
        }
        out.append(cls).append(']');
        canRepeat = true;
    }

    private static void appendClassChar(StringBuilder cls, int cp) {
        if (cp < 0x80 && isAsciiAlnum((char) cp)) {
            cls.append((char) cp);
        } else {
            cls.append("\\x{").append(Integer.toHexString(cp)).append('}');
        }
    }

    /** Parses one class item at {@code i}; null for something that adds nothing ({@code \E}). */
    private ClassItem classItem() throws PcreSyntaxException {
        char c = p.charAt(i);
        if (c == '[' && i + 1 < n && ":.=".indexOf(p.charAt(i + 1)) >= 0) {
            ClassItem posix = posixClass();
            if (posix != null) {
                return posix;
            }
        }
        if (c == '\\') {
            return classEscape();
        }
        i++;
        if (Character.isHighSurrogate(c) && i < n && Character.isLowSurrogate(p.charAt(i))) {
            return new ClassItem(Character.toCodePoint(c, p.charAt(i++)), null);
        }
        return new ClassItem(c, null);
    }

    private ClassItem classEscape() throws PcreSyntaxException {
        int start = i;
        if (i + 1 >= n) {
            throw new PcreSyntaxException("\\ at end of pattern", n);
        }
        char c = p.charAt(i + 1);
        i += 2;
        switch (c) {
            case 'd', 'D', 'w', 'W', 's', 'S', 'h', 'H', 'v', 'V' -> {
                return new ClassItem(0, "\\" + c);
            }
            case 'p', 'P' -> {
                return new ClassItem(0, property(c == 'P', start));
            }
            case 'b' -> {
                return new ClassItem(0x08, null);
            }
            case 'E' -> {
                return null;
            }
            case 'Q' -> {
                // literal up to \E; as PCRE, the quoted characters are plain class members
                StringBuilder set = new StringBuilder();
                while (i < n && !(p.charAt(i) == '\\' && i + 1 < n && p.charAt(i + 1) == 'E')) {
                    appendClassChar(set, p.charAt(i++));
                }
                if (i < n) {
                    i += 2;
                }
                return set.isEmpty() ? null : new ClassItem(0, set.toString());
            }
            case 'N' -> throw new PcreSyntaxException("\\N is not supported in a class", i);
            default -> {
                if (c >= '0' && c <= '7') {
                    // inside a class \digits is always octal
                    int k = i - 1;
                    int cp = 0;
                    while (k < n && k < i + 2 && p.charAt(k) >= '0' && p.charAt(k) <= '7') {
                        cp = cp * 8 + (p.charAt(k) - '0');
                        k++;
                    }
                    i = k;
                    checkCodePoint(cp, start);
                    return new ClassItem(cp, null);
                }
                if (c == '8' || c == '9') {
                    return new ClassItem(c, null);
                }
                int cp = characterEscape(c, start, true);
                checkCodePoint(cp, start);
                return new ClassItem(cp, null);
            }
        }
    }

    /** {@code [:name:]} / {@code [:^name:]} inside a class; null when this is not a POSIX class. */
    private ClassItem posixClass() throws PcreSyntaxException {
        char kind = p.charAt(i + 1);
        int close = p.indexOf(kind + "]", i + 2);
        if (close < 0) {
            return null;
        }
        String name = p.substring(i + 2, close);
        if (!name.matches("\\^?[A-Za-z]*")) {
            return null;
        }
        if (kind != ':') {
            throw new PcreSyntaxException("POSIX collating elements are not supported", i);
        }
        boolean negated = name.startsWith("^");
        String bare = negated ? name.substring(1) : name;
        String java = switch (bare) {
            case "alnum" -> "Alnum";
            case "alpha" -> "Alpha";
            case "ascii" -> "ASCII";
            case "blank" -> "Blank";
            case "cntrl" -> "Cntrl";
            case "digit" -> "Digit";
            case "graph" -> "Graph";
            case "lower" -> "Lower";
            case "print" -> "Print";
            case "punct" -> "Punct";
            case "space" -> "Space";
            case "upper" -> "Upper";
            case "word" -> "word";
            case "xdigit" -> "XDigit";
            default -> throw new PcreSyntaxException("unknown POSIX class name", i);
        };
        i = close + 2;
        if (java.equals("word")) {
            return new ClassItem(0, negated ? "\\W" : "\\w");
        }
        return new ClassItem(0, (negated ? "\\P{" : "\\p{") + java + "}");
    }

    // ---------------------------------------------------------------------------------------------

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiAlnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isHex(String s, int from, int len) {
        if (len <= 0 || from + len > s.length()) {
            return false;
        }
        for (int k = from; k < from + len; k++) {
            if (Character.digit(s.charAt(k), 16) < 0 || s.charAt(k) > 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static boolean isName(String s) {
        return s.matches("[A-Za-z_][A-Za-z0-9_]{0,31}");
    }
}
