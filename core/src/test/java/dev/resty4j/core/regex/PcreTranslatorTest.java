package dev.resty4j.core.regex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** PCRE syntax that java.util.regex reads differently, judged by what the compiled pattern matches. */
class PcreTranslatorTest {

    /** The first match of {@code regex} in {@code subject}, or null. */
    private static String first(String subject, String regex, String opts) throws Exception {
        CompiledRegex re = CompiledRegex.compile(regex, RegexFlags.parse(opts));
        int[] ov = new Execution(re, subject, NgxRegex.DEFAULT_BUDGET).exec(0);
        return ov == null ? null : subject.substring(ov[0], ov[1]);
    }

    private static String compileError(String regex, String opts) {
        try {
            CompiledRegex.compile(regex, RegexFlags.parse(opts));
            return null;
        } catch (RegexCompileException e) {
            return e.getMessage();
        }
    }

    @ParameterizedTest(name = "{1} on {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // a brace that does not start a quantifier is literal in PCRE, an error in Java
        "x{a}y      | x{a}         | x{a}",
        "aaa        | a{2}         | aa",
        // classes: ] first, [ and && literal, hyphen at the ends, POSIX names
        "x]y        | []]          | ]",
        "a[b        | [a[]+        | a[",
        "a&&b       | [&]+         | &&",
        "-a         | [a-]+        | -a",
        "b-         | [-b]+        | b-",
        "ab1_       | [[:alpha:]]+ | ab",
        "ab1_       | [[:^alpha:]]+ | 1_",
        "ab1_ x     | [[:word:]]+  | ab1_",
        // escapes Java lacks or reads differently
        "ABC        | \\x41        | A",
        "ABC        | \\x{42}      | B",
        "ABC        | \\103        | C",
        "a.b*c      | \\Q.b*\\E    | .b*",
        "axb        | a\\Nb        | axb",
        "a b        | \\h          | ` `",
        // comments and extended mode (whitespace kept inside a class)
        "ab         | a(?#note)b   | ab",
        "a b        | a[ ]b        | a b",
        // back-references
        "abab       | (ab)\\1      | abab",
        "abab       | (ab)\\g{-1}  | abab",
        "abab       | (ab)\\g1     | abab",
        "xx         | (?<first_name>x)\\k<first_name> | xx",
        "yy         | (?P<n>y)(?P=n) | yy",
        "zz         | (?'n'z)\\k{n} | zz",
        "a0         | (a)\\10      | ",
        // \z \Z \A, lookbehind
        "foobar     | (?<=foo)bar  | bar",
    })
    void matchesLikePcre(String subject, String regex, String expected) throws Exception {
        assertThat(first(subject, regex, "")).isEqualTo(expected);
    }

    @Test
    void controlCharactersAndLineEnds() throws Exception {
        assertThat(first("a\tb", "\\11", "")).isEqualTo("\t");
        assertThat(first("a\u0001b", "\\cA", "")).isEqualTo("\u0001");
        assertThat(first("a\nb", "a\\Nb", "")).isNull();
        assertThat(first("ab\n", "b\\Z", "")).isEqualTo("b");
        assertThat(first("ab\n", "b$", "")).isEqualTo("b");
        assertThat(first("ab\n", "b\\z", "")).isNull();
        // . does not match \n (LF is PCRE's only newline) but does match \r
        assertThat(first("a\nb", "a.b", "")).isNull();
        assertThat(first("a\rb", "a.b", "")).isEqualTo("a\rb");
        assertThat(first("a\u0000b", "a\\0b", "")).isEqualTo("a\u0000b");
    }

    @Test
    void extendedModeIgnoresWhitespaceAndCommentsOutsideClasses() throws Exception {
        assertThat(first("hello", "h e l # comment\n l o", "x")).isEqualTo("hello");
        assertThat(first("a b", "a [ ] b", "x")).isEqualTo("a b");
        assertThat(first("ab", "(?x) a b", "")).isEqualTo("ab");
        // the option ends with its group
        assertThat(first("a b", "(?x: a ) b", "")).isEqualTo("a b");
        assertThat(first("a  b", "(?x: a ) \\ b", "")).isEqualTo("a  b");
    }

    @Test
    void inlineOptionsPassThrough() throws Exception {
        assertThat(first("HELLO", "(?i)hello", "")).isEqualTo("HELLO");
        assertThat(first("HELLO", "(?i:h)ELLO", "")).isEqualTo("HELLO");
        assertThat(first("a\nb", "(?s)a.b", "")).isEqualTo("a\nb");
        assertThat(first("a\nb", "(?m)^b", "")).isEqualTo("b");
    }

    @Test
    void unicodeModeDecodesThePatternAndKnowsProperties() throws Exception {
        String zhang = utf8("章");
        assertThat(first(zhang, "\\x{7AE0}", "u")).isEqualTo(zhang);
        assertThat(first(zhang, "\\p{Han}", "u")).isEqualTo(zhang);
        assertThat(first("x" + zhang, "[" + zhang + "]", "u")).isEqualTo(zhang);
        assertThat(first(zhang, "\\u7AE0", "uJ")).isEqualTo(zhang);
        // without u a code point above 255 cannot be in the pattern
        assertThat(compileError("\\x{7AE0}", "")).contains("character code point value in \\x{} or \\o{} is too large");
    }

    @Test
    void javascriptCompatibleEmptyClasses() throws Exception {
        assertThat(first("abc", "[^]", "J")).isEqualTo("a");
        assertThat(first("abc", "a[]", "J")).isNull();
    }

    @Test
    void compileErrorsUsePcre2Texts() {
        assertThat(compileError("(abc", "")).isEqualTo("pcre2_compile() failed: missing closing parenthesis in \"(abc\"");
        assertThat(compileError("abc)", "")).isEqualTo("pcre2_compile() failed: unmatched closing parenthesis in \"abc)\" at \")\"");
        assertThat(compileError("[abc", "")).isEqualTo("pcre2_compile() failed: missing terminating ] for character class in \"[abc\"");
        assertThat(compileError("*a", "")).isEqualTo("pcre2_compile() failed: quantifier does not follow a repeatable item in \"*a\" at \"*a\"");
        assertThat(compileError("a{3,1}", "")).startsWith("pcre2_compile() failed: numbers out of order in {} quantifier");
        assertThat(compileError("[z-a]", "")).startsWith("pcre2_compile() failed: range out of order in character class");
        assertThat(compileError("(a)\\2", "")).startsWith("pcre2_compile() failed: reference to non-existent subpattern");
        assertThat(compileError("\\k<nope>", "")).startsWith("pcre2_compile() failed: reference to non-existent subpattern");
        assertThat(compileError("(?<n>a)(?<n>b)", "")).startsWith(
                "pcre2_compile() failed: two named subpatterns have the same name (PCRE2_DUPNAMES not set)");
        assertThat(compileError("\\y", "")).startsWith("pcre2_compile() failed: unrecognized character follows \\");
        assertThat(compileError("a\\", "")).isEqualTo("pcre2_compile() failed: \\ at end of pattern in \"a\\\"");
        assertThat(compileError("[[:nope:]]", "")).startsWith("pcre2_compile() failed: unknown POSIX class name");
        assertThat(compileError("\\u0041", "")).startsWith("pcre2_compile() failed: PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u");
    }

    @Test
    void invalidUtf8PatternIsACompileError() {
        String cut = utf8("你好").substring(0, 4);
        assertThat(compileError(cut, "u")).startsWith("pcre2_compile() failed: UTF-8 error: 2 bytes missing at end");
    }

    @Test
    void longCompileErrorsAreCutToOpenRestysBuffer() {
        String msg = compileError("(" + "x".repeat(300), "");
        assertThat(msg).hasSize(127).startsWith("pcre2_compile() failed: missing closing parenthesis in \"(xxx");
    }

    @ParameterizedTest
    @ValueSource(strings = {"(?|(a)|(b))", "(?(1)a|b)", "(a)(?1)", "(?R)", "a\\Kb", "(*COMMIT)a", "(?U)a+"})
    void constructsJavaCannotExpressAreCompileErrors(String regex) {
        assertThat(compileError(regex, "")).startsWith("pcre2_compile() failed: ").contains("is not supported");
    }

    @Test
    void duplicateNamesNeedTheDOption() throws Exception {
        CompiledRegex re = CompiledRegex.compile("(?<n>a)|(?<n>b)", RegexFlags.parse("D"));
        assertThat(re.names().get("n")).containsExactly(1, 2);
        assertThat(first("b", "(?<n>a)|(?<n>b)\\k<n>", "D")).isNull();
        assertThat(first("bb", "(?:(?<n>a)|(?<n>b))\\k<n>", "D")).isEqualTo("bb");
        assertThat(first("b", "(?J)(?<n>a)|(?<n>b)", "")).isEqualTo("b");
    }

    static String utf8(String s) {
        return new String(s.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
