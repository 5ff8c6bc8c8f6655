package dev.resty4j.core.regex;

import dev.resty4j.core.api.NgxApiException;

/**
 * The option letters of {@code ngx.re.*} ({@code "jo"}, {@code "iu"}, ...), parsed as lua-resty-core
 * does: each letter sets one flag, letters may repeat, any other letter is a Lua error
 * {@code unknown flag "H" (flags "Hm")}.
 *
 * <table>
 *   <caption>Letters</caption>
 *   <tr><td>{@code i}</td><td>caseless</td></tr>
 *   <tr><td>{@code m}</td><td>multi-line ({@code ^}/{@code $} at line boundaries)</td></tr>
 *   <tr><td>{@code s}</td><td>single-line ({@code .} matches newline)</td></tr>
 *   <tr><td>{@code x}</td><td>extended (whitespace and {@code #} comments ignored)</td></tr>
 *   <tr><td>{@code a}</td><td>anchored at the start position</td></tr>
 *   <tr><td>{@code u}</td><td>UTF-8 pattern and subject, subject validity checked</td></tr>
 *   <tr><td>{@code U}</td><td>UTF-8 without the subject check</td></tr>
 *   <tr><td>{@code D}</td><td>duplicate group names allowed; named captures become arrays</td></tr>
 *   <tr><td>{@code J}</td><td>JavaScript compatibility ({@code \\uHHHH}, {@code []}, {@code [^]})</td></tr>
 *   <tr><td>{@code o}</td><td>compile once: cache the compiled pattern in the worker</td></tr>
 *   <tr><td>{@code j}</td><td>PCRE JIT; accepted, nothing to do on the JVM (the JDK's own JIT compiles
 *       the matcher)</td></tr>
 *   <tr><td>{@code d}</td><td>DFA mode: the longest match at the leftmost position, no sub-captures</td></tr>
 * </table>
 *
 * @param text the option string as given (part of the compile cache key)
 */
public record RegexFlags(String text, boolean caseless, boolean multiline, boolean dotall, boolean extended,
                         boolean anchored, boolean utf8, boolean noUtf8Check, boolean dupNames, boolean jsCompat,
                         boolean compileOnce, boolean jit, boolean dfa) {

    /** No options. */
    public static final RegexFlags NONE = parse("");

    /**
     * Parses an option string ({@code null} means none).
     *
     * @throws NgxApiException for a letter OpenResty does not know
     */
    public static RegexFlags parse(String opts) {
        if (opts == null) {
            opts = "";
        }
        boolean i = false, m = false, s = false, x = false, a = false, u = false, noCheck = false, d = false,
                js = false, o = false, j = false, dfa = false;
        for (int k = 0; k < opts.length(); k++) {
            switch (opts.charAt(k)) {
                case 'i' -> i = true;
                case 'm' -> m = true;
                case 's' -> s = true;
                case 'x' -> x = true;
                case 'a' -> a = true;
                case 'u' -> u = true;
                case 'U' -> {
                    u = true;
                    noCheck = true;
                }
                case 'D' -> d = true;
                case 'J' -> js = true;
                case 'o' -> o = true;
                case 'j' -> j = true;
                case 'd' -> dfa = true;
                default -> throw new NgxApiException("unknown flag \"" + opts.charAt(k) + "\" (flags \"" + opts + "\")");
            }
        }
        return new RegexFlags(opts, i, m, s, x, a, u, noCheck, d, js, o, j, dfa);
    }
}
