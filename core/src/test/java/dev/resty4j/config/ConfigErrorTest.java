package dev.resty4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Syntax errors: nginx's wording and the exact file:line. */
class ConfigErrorTest {

    private static void assertError(String text, String reason, int line) {
        assertThatThrownBy(() -> ConfigParser.parse(text, "conf/x.conf"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo(reason + " in conf/x.conf:" + line);
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.file()).isEqualTo("conf/x.conf");
                    assertThat(e.line()).isEqualTo(line);
                });
    }

    @Test
    void unexpectedClosingBrace() {
        assertError("http {\n  server {\n  }\n}\n}\n", "unexpected \"}\"", 5);
        assertError("}", "unexpected \"}\"", 1);
        // a '}' while a directive is still open
        assertError("server {\n  listen 80\n}\n", "unexpected \"}\"", 3);
        // right after a quoted token
        assertError("a {\n b \"c\"}\n", "unexpected \"}\"", 2);
    }

    @Test
    void unexpectedEndOfFile() {
        assertError("events {\n}\nlisten 80", "unexpected end of file, expecting \";\" or \"}\"", 3);
        // like nginx, the line at end of file is the one after the last line feed
        assertError("events {\n}\nlisten 80\n", "unexpected end of file, expecting \";\" or \"}\"", 4);
        assertError("a # comment, not a terminator ;", "unexpected end of file, expecting \";\" or \"}\"", 1);
        assertError("a \\", "unexpected end of file, expecting \";\" or \"}\"", 1);
        assertError("a \"b\"", "unexpected end of file, expecting \";\" or \"}\"", 1);
        assertError("http {\n  server {\n  }\n", "unexpected end of file, expecting \"}\"", 4);
        assertError("http {", "unexpected end of file, expecting \"}\"", 1);
    }

    @Test
    void unterminatedQuotedStringIsReportedWhereItStarts() {
        assertError("a;\nset $a \"abc;\nfoo;\n", "unterminated quoted string", 2);
        assertError("a;\n\nset $a 'abc\\';\n", "unterminated quoted string", 3);
        assertError("set $a \"abc\\", "unterminated quoted string", 1);
    }

    @Test
    void garbageAfterClosingQuote() {
        assertError("set $a \"b\"c;", "unexpected \"c\"", 1);
        assertError("set $a\n'b'\"c\";", "unexpected \"\"\"", 2);
        assertError("set $a \"b\"#c\n;", "unexpected \"#\"", 1);
    }

    @Test
    void directiveWithoutName() {
        assertError("a;\n;", "unexpected \";\"", 2);
        assertError("a 1;\n\n  { b; }", "unexpected \"{\"", 3);
        assertError("http {\n {\n}\n}", "unexpected \"{\"", 2);
    }

    @Test
    void includeMisuse() {
        assertError("a;\ninclude;", "invalid number of arguments in \"include\" directive", 2);
        assertError("include a b;", "invalid number of arguments in \"include\" directive", 1);
        assertError("\ninclude x.conf { }", "directive \"include\" is not terminated by \";\"", 2);
    }

    @Test
    void missingIncludeRelativeToCurrentDirectory() {
        assertThatThrownBy(() -> ConfigParser.parse("a;\ninclude no-such-file-7f3a.conf;", "t.conf"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("open() \"no-such-file-7f3a.conf\" failed (No such file or directory) in t.conf:2");
    }
}
