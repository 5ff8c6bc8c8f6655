/**
 * {@code ngx.re}: OpenResty's PCRE-based regular expressions on {@link java.util.regex}, engine-neutral.
 *
 * <ul>
 *   <li>{@link dev.resty4j.core.regex.NgxRegex}: the API semantics ({@code match}, {@code find},
 *       {@code gmatch}, {@code sub}, {@code gsub}, {@code split}, {@code opt}) with OpenResty's results
 *       and error strings; one instance per worker VM, holding the {@code o} cache.</li>
 *   <li>{@link dev.resty4j.core.regex.RegexFlags}: the option letters.</li>
 *   <li>{@code PcreTranslator}: PCRE2 syntax to Java syntax (named groups, back-references, extended
 *       mode, literal braces, PCRE escapes, character classes, POSIX classes), or PCRE2's compile
 *       error.</li>
 *   <li>{@link dev.resty4j.core.regex.CompiledRegex} and {@code Execution}: compiled pattern and
 *       matching from a byte offset, with the match budget, the deep-stack retry and DFA mode.</li>
 *   <li>{@code Utf8Text}: the {@code u}/{@code U} options (decoding, PCRE2's UTF-8 checks, offsets back
 *       to bytes); {@code ReplaceTemplate}: {@code $1} / {@code ${1}} templates.</li>
 * </ul>
 *
 * <p>Known differences from OpenResty, by design or for lack of a JVM equivalent: {@code j} changes
 * nothing; {@code d} is emulated (leftmost start, then the longest end) rather than run by a DFA;
 * {@code lua_regex_match_limit} counts subject reads (see {@link dev.resty4j.core.regex.NgxRegex}), so
 * the exact step at which the limit trips differs; {@code lua_regex_cache_max_entries} bounds an LRU for
 * every function (OpenResty's {@code sub}/{@code gsub} stop caching instead); recursion, conditionals,
 * branch reset, {@code \K}, {@code \C}, {@code (?U)} and backtracking verbs other than {@code (*FAIL)}
 * are compile errors naming the construct.
 */
package dev.resty4j.core.regex;
