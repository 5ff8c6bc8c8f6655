package dev.resty4j.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class NginxQuotingTest {

    /** nginx's token unescaping (ngx_conf_read_token) for one double-quoted token. */
    private static String nginxUnquote(String token) {
        assertThat(token).startsWith("\"").endsWith("\"");
        String s = token.substring(1, token.length() - 1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                switch (n) {
                    case '"', '\'', '\\' -> {
                        b.append(n);
                        i++;
                        continue;
                    }
                    case 't' -> {
                        b.append('\t');
                        i++;
                        continue;
                    }
                    case 'r' -> {
                        b.append('\r');
                        i++;
                        continue;
                    }
                    case 'n' -> {
                        b.append('\n');
                        i++;
                        continue;
                    }
                    default -> {
                        // other escapes stay as written
                    }
                }
            }
            assertThat(c == '"' && (i == 0 || s.charAt(i - 1) != '\\')).as("unescaped quote in %s", token).isFalse();
            b.append(c);
        }
        return b.toString();
    }

    @Test
    void quoteRoundTripsThroughNginxUnescaping() {
        for (String s : List.of("", "plain", "a b", "say \"hi\"", "back\\slash", "^/proxy/(\\d+)", "hello\n\r'\"\\",
                "tab\there", "\\n literally", "{ ; # }", "$var and $TEST")) {
            assertThat(nginxUnquote(NginxQuoting.quote(s))).isEqualTo(s);
        }
    }

    @Test
    void argQuotesOnlyWhenNeeded() {
        assertThat(NginxQuoting.arg("text/plain")).isEqualTo("text/plain");
        assertThat(NginxQuoting.arg("$arg_a")).isEqualTo("$arg_a");
        assertThat(NginxQuoting.arg("^/lua/(.*)")).isEqualTo("^/lua/(.*)");
        assertThat(NginxQuoting.arg("")).isEqualTo("\"\"");
        assertThat(NginxQuoting.arg("hello world")).isEqualTo("\"hello world\"");
        assertThat(NginxQuoting.arg("a;b")).isEqualTo("\"a;b\"");
        assertThat(NginxQuoting.arg("{")).isEqualTo("\"{\"");
        assertThat(NginxQuoting.arg("it's")).isEqualTo("\"it's\"");
        assertThat(NginxQuoting.arg("\\d")).isEqualTo("\"\\\\d\"");
    }
}
