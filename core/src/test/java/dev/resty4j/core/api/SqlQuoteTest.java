package dev.resty4j.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SqlQuoteTest {

    @Test
    void emptyString() {
        assertThat(SqlQuote.quoteSqlStr("")).isEqualTo("''");
        assertThat(SqlQuote.quoteSqlStr(new byte[0])).containsExactly('\'', '\'');
    }

    @Test
    void plainTextIsOnlyWrapped() {
        assertThat(SqlQuote.quoteSqlStr("hello world; DROP TABLE x -- %_`")).isEqualTo("'hello world; DROP TABLE x -- %_`'");
    }

    @Test
    void escapesEverySpecialChar() {
        assertThat(SqlQuote.quoteSqlStr("\u0000")).isEqualTo("'\\0'");
        assertThat(SqlQuote.quoteSqlStr("\b")).isEqualTo("'\\b'");
        assertThat(SqlQuote.quoteSqlStr("\n")).isEqualTo("'\\n'");
        assertThat(SqlQuote.quoteSqlStr("\r")).isEqualTo("'\\r'");
        assertThat(SqlQuote.quoteSqlStr("\t")).isEqualTo("'\\t'");
        assertThat(SqlQuote.quoteSqlStr("\u001a")).isEqualTo("'\\Z'");
        assertThat(SqlQuote.quoteSqlStr("\\")).isEqualTo("'\\\\'");
        assertThat(SqlQuote.quoteSqlStr("'")).isEqualTo("'\\''");
        assertThat(SqlQuote.quoteSqlStr("\"")).isEqualTo("'\\\"'");
        assertThat(SqlQuote.quoteSqlStr("a\u0000b\bc\nd\re\tf\u001ag\\h'i\"j"))
                .isEqualTo("'a\\0b\\bc\\nd\\re\\tf\\Zg\\\\h\\'i\\\"j'");
    }

    @Test
    void leavesEveryOtherByteAlone() {
        String special = "\u0000\b\n\r\t\u001a\\'\"";
        StringBuilder others = new StringBuilder();
        for (int b = 0; b < 256; b++) {
            if (special.indexOf(b) < 0) {
                others.append((char) b);
            }
        }
        assertThat(SqlQuote.quoteSqlStr(others.toString())).isEqualTo("'" + others + "'");
    }

    @Test
    void utf8BytesPassThrough() {
        byte[] in = "é'ü".getBytes(StandardCharsets.UTF_8);
        byte[] out = SqlQuote.quoteSqlStr(in);
        assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("'é\\'ü'");
    }
}
