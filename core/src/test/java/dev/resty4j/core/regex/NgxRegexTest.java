package dev.resty4j.core.regex;

import static dev.resty4j.core.regex.PcreTranslatorTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resty4j.core.api.NgxApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NgxRegexTest {

    private final List<String> log = new ArrayList<>();
    private final NgxRegex re = new NgxRegex(0, NgxRegex.DEFAULT_CACHE_ENTRIES, log::add);

    private Captures match(String subject, String regex, String opts) {
        NgxRegex.MatchResult r = re.match(subject, regex, opts, 0);
        assertThat(r.error()).isNull();
        return r.captures();
    }

    @Test
    void capturesAreByteStringsAndUnsetGroupsAreNull() {
        Captures c = match("hello, 1234", "([a-z]+).*?([0-9]{2})[0-9]+", "");
        assertThat(c.group(0)).isEqualTo("hello, 1234");
        assertThat(c.group(1)).isEqualTo("hello");
        assertThat(c.group(2)).isEqualTo("12");
        c = match("hello", "(hello)(.+)?", "");
        assertThat(c.groupCount()).isEqualTo(2);
        assertThat(c.group(2)).isNull();
        assertThat(re.match("hello", "foo", "", 0)).isEqualTo(new NgxRegex.MatchResult(null, null));
    }

    @Test
    void namedCaptures() {
        Captures c = match("1234, abcd", "(?<first>[0-9]+)|(?<second>[a-z]+)", "");
        assertThat(c.named()).isEqualTo(Map.of("first", "1234", "second", false));
        c = match("hello, 1234", "(?<first>[a-z]+), (?<first>[0-9]+)", "D");
        assertThat(c.named()).isEqualTo(Map.of("first", List.of("hello", "1234")));
        c = match("test", "^(?:(?<g1>foo)|(?<g2>bar)|(?<g3>test))$", "D");
        assertThat(c.named()).isEqualTo(Map.of("g3", List.of("test")));
    }

    @Test
    void optionLetters() {
        assertThat(match("hello, 1234", "HELLO", "i").group(0)).isEqualTo("hello");
        assertThat(match("hello\nworld", "^world", "m").group(0)).isEqualTo("world");
        assertThat(match("hello\nworld", ".*", "s").group(0)).isEqualTo("hello\nworld");
        assertThat(match("hello\nworld", ".*", "").group(0)).isEqualTo("hello");
        assertThat(match("hello\nworld", "\\w     \\w", "x").group(0)).isEqualTo("he");
        assertThat(match("hello, 1234", "[0-9]+", "a")).isNull();
        assertThat(match("1234, hello", "[0-9]+", "ajo").group(0)).isEqualTo("1234");
        assertThatThrownBy(() -> re.match("x", ".", "Hm", 0)).isInstanceOf(NgxApiException.class)
                .hasMessage("unknown flag \"H\" (flags \"Hm\")");
    }

    @Test
    void startOffsetSeesTheTextBefore() {
        assertThat(re.match("1234, hello", "[0-9]+", "", 2).captures().group(0)).isEqualTo("34");
        assertThat(re.match("1234, hello", "\\G[0-9]+", "", 2).captures().group(0)).isEqualTo("34");
        assertThat(re.match("1234", "^[0-9]+", "", 2).captures()).isNull();
        assertThat(re.match("foobar", "(?<=foo)bar", "", 3).captures().group(0)).isEqualTo("bar");
        assertThat(re.match("ab", "b", "", 3).error()).isEqualTo("pcre_exec() failed: -33");
        assertThat(NgxRegex.startOffset(0)).isZero();
        assertThat(NgxRegex.startOffset(-5)).isZero();
        assertThat(NgxRegex.startOffset(3)).isEqualTo(2);
        assertThat(re.match("hello, 1234", "([0-9]+)", "", 0).nextCtxPos()).isEqualTo(12);
    }

    @Test
    void utf8OffsetsAreBytes() {
        String s = utf8("hello章亦春");
        NgxRegex.FindResult f = re.find(s, "HELLO.{2}", "iu", 0, 0);
        assertThat(f.from()).isEqualTo(1);
        assertThat(f.to()).isEqualTo(11);
        assertThat(match(utf8("你好"), ".", "u").group(0)).isEqualTo(utf8("你"));
        assertThat(match(utf8("你好"), ".", "").group(0)).hasSize(1);
        // a start offset inside a character
        assertThat(re.match(utf8("你好"), ".", "u", 1).error()).isEqualTo("pcre_exec() failed: -36");
    }

    @Test
    void badUtf8SubjectIsAnExecErrorUnlessUnchecked() {
        String cut = utf8("你好").substring(0, 4);
        assertThat(re.match(cut, utf8("你好"), "u", 0).error()).isEqualTo("pcre_exec() failed: -4");
        assertThat(re.match("\u00ff", ".", "u", 0).error()).isEqualTo("pcre_exec() failed: -23");
        assertThat(re.match("\u0080", ".", "u", 0).error()).isEqualTo("pcre_exec() failed: -22");
        // U skips the check; the stray byte still matches . on its own
        Captures c = match(cut, "..", "U");
        assertThat(c.group(0)).isEqualTo(cut);
        assertThat(c.end(0)).isEqualTo(4);
    }

    @Test
    void findReportsInclusiveBytePositionsAndTheNthGroup() {
        assertThat(re.find("hello, 1234", "([0-9]+)", "jo", 0, 0)).isEqualTo(new NgxRegex.FindResult(8, 11, 12, null));
        assertThat(re.find("hello, 1234", "([0-9])([0-9]+)", "", 0, 2)).isEqualTo(new NgxRegex.FindResult(9, 11, 12, null));
        assertThat(re.find("hello, 1234", "([0-9])([0-9]+)", "", 0, 3).error()).isEqualTo("nth out of bound");
        assertThat(re.find("hello", "(h)(x)?", "", 0, 2)).isEqualTo(new NgxRegex.FindResult(0, 0, 2, null));
        assertThat(re.find("hello", "z", "", 0, 0)).isEqualTo(new NgxRegex.FindResult(0, 0, 0, null));
    }

    @Test
    void gmatchStepsPastEmptyMatches() throws Exception {
        NgxRegex.Gmatch it = re.gmatch("hello", "a|", "");
        int n = 0;
        while (it.next().captures() != null) {
            n++;
        }
        assertThat(n).isEqualTo(6);
        it = re.gmatch("hello, world", "[a-z]+", "");
        assertThat(it.next().captures().group(0)).isEqualTo("hello");
        assertThat(it.next().captures().group(0)).isEqualTo("world");
        assertThat(it.next().captures()).isNull();
        assertThat(it.next().captures()).isNull();
        assertThatThrownBy(() -> re.gmatch("x", "(abc", "")).isInstanceOf(RegexCompileException.class)
                .hasMessage("pcre2_compile() failed: missing closing parenthesis in \"(abc\"");
    }

    @Test
    void substitutionTemplates() {
        assertThat(re.sub("a b c d", "(b) (c)", "[$0] [$1] [${2}] [$3] [$134]", "", false))
                .isEqualTo(new NgxRegex.SubResult("a [b c] [b] [c] [] [] d", 1, null));
        assertThat(re.sub("hello, world", "[a-z]+", "ho$$wdy", "", false).result()).isEqualTo("ho$wdy, world");
        assertThat(re.sub("hello, world", "[a-z]+", "howdy", "", true)).isEqualTo(new NgxRegex.SubResult("howdy, howdy", 2, null));
        assertThat(re.sub("hello", "a|", "b", "", true)).isEqualTo(new NgxRegex.SubResult("bhbeblblbob", 6, null));
        assertThat(re.sub("", "a|", "b", "", true)).isEqualTo(new NgxRegex.SubResult("b", 1, null));
        assertThat(re.sub("TestCase", "^ *", "", "o", false).result()).isEqualTo("TestCase");
        assertThat(re.sub("hello", "z", "x", "", true)).isEqualTo(new NgxRegex.SubResult("hello", 0, null));
        // the text after an empty match just before the end is kept
        assertThat(re.sub("ab", "(?=b)", "-", "", true).result()).isEqualTo("a-b");
    }

    @Test
    void badTemplatesAreLogged() {
        assertThat(re.sub("a b", "(b)", "[$hello]", "", false))
                .isEqualTo(new NgxRegex.SubResult(null, 0, "failed to compile the replacement template"));
        assertThat(re.sub("a b", "(b)", "[${134", "", false).error()).isEqualTo("failed to compile the replacement template");
        assertThat(re.sub("a b", "(b)", "[${", "", false).error()).isEqualTo("failed to compile the replacement template");
        assertThat(re.sub("a b", "(b)", "[${x}]", "", false).error()).isEqualTo("failed to compile the replacement template");
        assertThat(log).containsExactly(
                "attempt to use named capturing variable \"hello\" (named captures not supported yet)",
                "the closing bracket in \"134\" variable is missing",
                "lua script: invalid capturing variable name found in \"[${\"",
                "attempt to use named capturing variable \"x\" (named captures not supported yet)");
    }

    @Test
    void substitutionFunctions() {
        assertThat(re.sub("hello, world", "([a-z])[a-z]+", c -> "[" + c.group(0) + "," + c.group(1) + "]", "", true))
                .isEqualTo(new NgxRegex.SubResult("[hello,h], [world,w]", 2, null));
        // a replacement function may use ngx.re itself
        assertThat(re.sub("OUTER {FIRST}", "(OUTER)(.+)",
                c -> c.group(1) + re.sub(c.group(2), "{([A-Z]+)}", x -> "REPLACED", "", true).result(), "", true).result())
                .isEqualTo("OUTER REPLACED");
    }

    @Test
    void dfaModeReturnsTheLongestMatchWithoutSubCaptures() {
        Captures c = match("hello", "(he|hell)", "d");
        assertThat(c.group(0)).isEqualTo("hell");
        assertThat(c.groupCount()).isZero();
        assertThat(re.sub("hello, 1234 5678", "[0-9]|[0-9][0-9]", "world", "do", true).result())
                .isEqualTo("hello, worldworld worldworld");
        assertThat(re.find("This is <something> <something else> <something further> no more", "<.*>", "d", 0, 0))
                .isEqualTo(new NgxRegex.FindResult(9, 56, 57, null));
        assertThat(re.find("hello", "(h)", "d", 0, 1).error()).isEqualTo("nth out of bound");
    }

    @Test
    void splitFollowsLuaRestyCore() {
        assertThat(re.split("a,b,c,d", ",", null, 0, 0).parts()).containsExactly("a", "b", "c", "d");
        assertThat(re.split("a,b,c,d", "(,)", null, 0, 0).parts()).containsExactly("a", ",", "b", ",", "c", ",", "d");
        assertThat(re.split("a,b,c,d", ",", null, 5, 0).parts()).containsExactly("c", "d");
        assertThat(re.split("a,b,c,d", ",", null, 0, 3).parts()).containsExactly("a", "b", "c,d");
        assertThat(re.split("a,b,,,", ",", null, 0, 0).parts()).containsExactly("a", "b");
        assertThat(re.split("abc", "", null, 0, 0).parts()).containsExactly("a", "b", "c");
        assertThat(re.split(",a,,b", ",", null, 0, 0).parts()).containsExactly("", "a", "", "b");
        assertThat(re.split("a,b", ",", null, 9, 0).parts()).isEmpty();
        assertThat(re.split("a,b", "(", null, 0, 0).error()).startsWith("pcre2_compile() failed");
    }

    @Test
    void compileOnceCachesInABoundedLru() {
        NgxRegex small = new NgxRegex(0, 2, log::add);
        small.match("a", "a", "o", 0);
        small.match("b", "b", "o", 0);
        small.match("c", "c", "o", 0);
        small.match("c", "d", "", 0);
        assertThat(small.cachedPatterns()).isEqualTo(2);
        assertThatThrownBy(() -> small.opt("jit_stack_size")).isInstanceOf(NgxApiException.class)
                .hasMessageContaining("not allowed when some regexs have already been compiled and cached");
        NgxRegex none = new NgxRegex(0, 0, log::add);
        assertThat(none.match("hello", "l+", "o", 0).captures().group(0)).isEqualTo("ll");
        assertThat(none.cachedPatterns()).isZero();
        none.opt("jit_stack_size");
        assertThatThrownBy(() -> none.opt("foo")).hasMessage("unrecognized option name");
    }

    @Test
    void catastrophicBacktrackingHitsTheMatchLimit() {
        // \1 keeps java.util.regex from memoising the nested loop, so this is exponential
        String subject = "a".repeat(10_000) + "b";
        NgxRegex.MatchResult r = re.match(subject, "^(a+)+\\1$", "", 0);
        assertThat(r.error()).isEqualTo("pcre_exec() failed: -47");
        NgxRegex limited = new NgxRegex(1000, 10, log::add);
        assertThat(limited.match("a".repeat(30) + "b", "^(a+)+\\1$", "", 0).error()).isEqualTo("pcre_exec() failed: -47");
        // DFA mode ignores lua_regex_match_limit, as PCRE does
        NgxRegex tiny = new NgxRegex(1, 10, log::add);
        String far = "x".repeat(1000) + "<a> <b>";
        assertThat(tiny.find(far, "<.*>", "d", 0, 0).from()).isEqualTo(1001);
        assertThat(tiny.find(far, "<.*>", "", 0, 0).error()).isEqualTo("pcre_exec() failed: -47");
    }

    @Test
    void deepRecursionMovesToALargeStack() throws Exception {
        // java.util.regex recurses per iteration of the group; a virtual thread's stack would overflow
        String subject = "ab".repeat(20_000);
        List<NgxRegex.MatchResult> results = new ArrayList<>();
        Thread t = Thread.ofVirtual().start(() -> {
            results.add(re.match(subject + "c", "^(?:a|b)*c", "", 0));
            results.add(re.match(subject, "^(?:a|b)*c", "", 0));
        });
        t.join();
        assertThat(results.get(0).captures().end(0)).isEqualTo(40_001);
        assertThat(results.get(1)).isEqualTo(new NgxRegex.MatchResult(null, null));
    }
}
