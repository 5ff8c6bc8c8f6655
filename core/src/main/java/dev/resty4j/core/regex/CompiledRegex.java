package dev.resty4j.core.regex;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A PCRE pattern compiled for java.util.regex, with what {@code ngx.re} needs to report results the
 * way OpenResty does: the PCRE capture count, the name table and the option flags. Immutable and
 * safe to cache; matching state lives in {@link Execution}.
 */
public final class CompiledRegex {

    /** OpenResty formats compile errors into a 128-byte buffer. */
    private static final int MAX_ERR_MSG_LEN = 127;

    private final String source;
    private final RegexFlags flags;
    private final Pattern pattern;
    private final int captures;
    private final Map<String, int[]> names;

    private CompiledRegex(String source, RegexFlags flags, Pattern pattern, int captures, Map<String, int[]> names) {
        this.source = source;
        this.flags = flags;
        this.pattern = pattern;
        this.captures = captures;
        this.names = names;
    }

    /**
     * Compiles a pattern given as a byte string (one char per byte; UTF-8 under {@code u}/{@code U}).
     *
     * @throws RegexCompileException with OpenResty's message, e.g.
     *         {@code pcre2_compile() failed: missing closing parenthesis in "(abc"}
     */
    public static CompiledRegex compile(String regex, RegexFlags flags) throws RegexCompileException {
        String text = regex;
        Utf8Text utf = null;
        if (flags.utf8()) {
            long check = Utf8Text.check(regex);
            if ((int) check != 0) {
                throw new RegexCompileException(compileError(Utf8Text.message((int) check), regex, (int) (check >>> 32)));
            }
            utf = Utf8Text.decode(regex);
            text = utf.chars;
        }
        PcreTranslator.Result t;
        try {
            t = PcreTranslator.translate(text, flags);
        } catch (PcreSyntaxException e) {
            int off = Math.min(e.offset(), text.length());
            throw new RegexCompileException(compileError(e.getMessage(), regex, utf == null ? off : utf.byteOffset(off)));
        }
        int javaFlags = Pattern.UNIX_LINES; // PCRE's default newline is LF only
        if (flags.caseless()) {
            javaFlags |= Pattern.CASE_INSENSITIVE | (flags.utf8() ? Pattern.UNICODE_CASE : 0);
        }
        if (flags.multiline()) {
            javaFlags |= Pattern.MULTILINE;
        }
        if (flags.dotall()) {
            javaFlags |= Pattern.DOTALL;
        }
        try {
            Pattern p = Pattern.compile(t.javaRegex(), javaFlags);
            return new CompiledRegex(regex, flags, p, t.captures(), t.names());
        } catch (PatternSyntaxException e) {
            // something the translation let through that Java still rejects: report Java's reason
            throw new RegexCompileException(compileError(e.getDescription(), regex, regex.length()));
        }
    }

    /** OpenResty's compile error text, cut to its error buffer. */
    private static String compileError(String msg, String pattern, int offset) {
        String s = "pcre2_compile() failed: " + msg + " in \"" + pattern + "\"";
        if (offset < pattern.length()) {
            s += " at \"" + pattern.substring(offset) + "\"";
        }
        // a byte string: PCRE's text is ASCII and the pattern is already one char per byte
        return s.length() > MAX_ERR_MSG_LEN ? s.substring(0, MAX_ERR_MSG_LEN) : s;
    }

    /** The pattern as given. */
    public String source() {
        return source;
    }

    public RegexFlags flags() {
        return flags;
    }

    /**
     * The number of capture groups reported in results: PCRE's count, or 0 in DFA mode, which reports
     * only the whole match (OpenResty sizes its capture vector that way).
     */
    public int captureCount() {
        return flags.dfa() ? 0 : captures;
    }

    /** Group names to their group numbers (ascending), in PCRE's name-table order (by name). */
    Map<String, int[]> names() {
        return names;
    }

    Pattern pattern() {
        return pattern;
    }
}
