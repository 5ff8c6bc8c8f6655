package dev.resty4j.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UriCodecTest {

    private static final String ALL_BYTES = allBytes();

    /** Every byte 0..255 escaped as a URI component (independently computed reference). */
    private static final String ALL_BYTES_COMPONENT =
            "%00%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%12%13%14%15%16%17%18%19%1A%1B%1C%1D%1E%1F"
            + "%20!%22%23%24%25%26'()*%2B%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F"
            + "%40ABCDEFGHIJKLMNOPQRSTUVWXYZ%5B%5C%5D%5E_%60abcdefghijklmnopqrstuvwxyz%7B%7C%7D~%7F"
            + highBytesEscaped();

    /** Every byte 0..255 escaped as a full URI (type 0). */
    private static final String ALL_BYTES_URI =
            "%00%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%12%13%14%15%16%17%18%19%1A%1B%1C%1D%1E%1F"
            + "%20!\"%23$%25&'()*+,-./0123456789:;<=>%3F"
            + "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~%7F"
            + highBytesEscaped();

    private static String allBytes() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            sb.append((char) i);
        }
        return sb.toString();
    }

    private static String highBytesEscaped() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0x80; i < 256; i++) {
            sb.append('%').append(Integer.toHexString(i).toUpperCase());
        }
        return sb.toString();
    }

    private static String utf8AsBytes(String s) {
        return ByteStrings.fromBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void escapesEveryByteAsComponentByDefault() {
        assertThat(UriCodec.escapeUri(ALL_BYTES)).isEqualTo(ALL_BYTES_COMPONENT);
        assertThat(UriCodec.escapeUri(ALL_BYTES, UriCodec.ESCAPE_URI_COMPONENT)).isEqualTo(ALL_BYTES_COMPONENT);
    }

    @Test
    void escapesEveryByteAsFullUri() {
        assertThat(UriCodec.escapeUri(ALL_BYTES, UriCodec.ESCAPE_URI)).isEqualTo(ALL_BYTES_URI);
    }

    @Test
    void componentKeepsExactlyUnreservedAndJsSubDelims() {
        String kept = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!*'()";
        for (int b = 0; b < 256; b++) {
            assertThat(UriCodec.isEscaped(b, UriCodec.ESCAPE_URI_COMPONENT))
                    .as("byte 0x%02X", b)
                    .isEqualTo(kept.indexOf(b) < 0);
        }
    }

    @Test
    void otherTypesEscapeTheirDocumentedSets() {
        checkSet(UriCodec.ESCAPE_URI, " #%?", true);
        checkSet(UriCodec.ESCAPE_ARGS, " #%+?", true);
        checkSet(UriCodec.ESCAPE_HTML, " \"#%'", true);
        checkSet(UriCodec.ESCAPE_REFRESH, " \"'", true);
        checkSet(UriCodec.ESCAPE_MEMCACHED, " %", false);
        checkSet(UriCodec.ESCAPE_MAIL_AUTH, " %", false);
    }

    private static void checkSet(int type, String printable, boolean delAndHigh) {
        for (int b = 0; b < 256; b++) {
            boolean expected = b < 0x20 || (b >= 0x7F && delAndHigh) || (b < 0x7F && printable.indexOf(b) >= 0);
            assertThat(UriCodec.isEscaped(b, type)).as("type %d byte 0x%02X", type, b).isEqualTo(expected);
        }
    }

    @Test
    void openrestyEscapeVectors() {
        // t/006-escape.t
        assertThat(UriCodec.escapeUri(utf8AsBytes("a 你"))).isEqualTo("a%20%E4%BD%A0");
        assertThat(UriCodec.escapeUri("a+b")).isEqualTo("a%2Bb");
        assertThat(UriCodec.escapeUri("\"a/b={}:<>;&[]\\^")).isEqualTo("%22a%2Fb%3D%7B%7D%3A%3C%3E%3B%26%5B%5D%5C%5E");
        assertThat(UriCodec.escapeUri(" ")).isEqualTo("%20");
        assertThat(UriCodec.escapeUri("abc")).isEqualTo("abc");
        assertThat(UriCodec.escapeUri("")).isEmpty();
        assertThat(UriCodec.escapeUri("32")).isEqualTo("32");
        assertThat(UriCodec.escapeUri("-_.!~*'()")).isEqualTo("-_.!~*'()");
        assertThat(UriCodec.escapeUri(",$@|`")).isEqualTo("%2C%24%40%7C%60");
    }

    @Test
    void openrestyFullUriVectors() {
        int t = UriCodec.ESCAPE_URI;
        assertThat(UriCodec.escapeUri("https://www.google.com", t)).isEqualTo("https://www.google.com");
        assertThat(UriCodec.escapeUri("https://www.google.com/query?q=test", t))
                .isEqualTo("https://www.google.com/query%3Fq=test");
        assertThat(UriCodec.escapeUri("https://www.google.com/query?\r\nq=test", t))
                .isEqualTo("https://www.google.com/query%3F%0D%0Aq=test");
        assertThat(UriCodec.escapeUri("-_.~!*'();:@&=+$,/?#", t)).isEqualTo("-_.~!*'();:@&=+$,/%3F%23");
        assertThat(UriCodec.escapeUri("<>[]{}\\\" ", t)).isEqualTo("<>[]{}\\\"%20");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|https://www.google.com/%3Ft=abc@%20:",
        "1|https://www.google.com/%3Ft=abc@%20:",
        "2|https%3A%2F%2Fwww.google.com%2F%3Ft%3Dabc%40%20%3A",
        "3|https://www.google.com/?t=abc@%20:",
        "4|https://www.google.com/?t=abc@%20:",
        "5|https://www.google.com/?t=abc@%20:",
        "6|https://www.google.com/?t=abc@%20:",
    })
    void everyTypeOnOneUrl(int type, String expected) {
        assertThat(UriCodec.escapeUri("https://www.google.com/?t=abc@ :", type)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 7, 10, Integer.MIN_VALUE})
    void rejectsTypeOutOfRange(int type) {
        assertThatThrownBy(() -> UriCodec.escapeUri("x", type))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"type\" " + type + " out of range");
        assertThatThrownBy(() -> UriCodec.escapeUri(new byte[0], type)).isInstanceOf(IllegalArgumentException.class);
        assertThat(UriCodec.isValidType(type)).isFalse();
    }

    @Test
    void returnsInputWhenNothingToEscape() {
        byte[] in = "abc".getBytes(StandardCharsets.US_ASCII);
        assertThat(UriCodec.escapeUri(in)).isSameAs(in);
        byte[] out = UriCodec.escapeUri(new byte[] {(byte) 0xFF, 'a'});
        assertThat(ByteStrings.fromBytes(out)).isEqualTo("%FFa");
    }

    @Test
    void unescapeOpenrestyVectors() {
        assertThat(UriCodec.unescapeUri("a%20%e4%bd%a0")).isEqualTo(utf8AsBytes("a 你"));
        assertThat(UriCodec.unescapeUri("%ua%%20%au")).isEqualTo("%ua% %au");
        assertThat(UriCodec.unescapeUri("%a")).isEqualTo("%a");
        assertThat(UriCodec.unescapeUri("%u")).isEqualTo("%u");
        assertThat(UriCodec.unescapeUri("%")).isEqualTo("%");
        assertThat(UriCodec.unescapeUri("good%20job%")).isEqualTo("good job%");
        assertThat(UriCodec.unescapeUri("32")).isEqualTo("32");
        assertThat(UriCodec.unescapeUri("")).isEmpty();
    }

    @Test
    void unescapePlusAndHexCase() {
        assertThat(UriCodec.unescapeUri("a+b%2b%2Bc")).isEqualTo("a b++c");
        assertThat(UriCodec.unescapeUri("%41%4a%4A%fF%00")).isEqualTo("AJJ\u00ff\u0000");
        assertThat(UriCodec.unescapeUri("%%41")).isEqualTo("%A");
        assertThat(UriCodec.unescapeUri("%g1%1g%4")).isEqualTo("%g1%1g%4");
        assertThat(UriCodec.unescapeUri("%2")).isEqualTo("%2");
    }

    @Test
    void unescapeBytes() {
        byte[] out = UriCodec.unescapeUri("%FF%00+".getBytes(StandardCharsets.US_ASCII));
        assertThat(out).containsExactly(0xFF, 0x00, ' ');
        byte[] same = UriCodec.unescapeUri("abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(same).containsExactly('a', 'b', 'c');
    }

    @Test
    void roundTripsThroughComponentAndArgsEscaping() {
        assertThat(UriCodec.unescapeUri(UriCodec.escapeUri(ALL_BYTES))).isEqualTo(ALL_BYTES);
        assertThat(UriCodec.unescapeUri(UriCodec.escapeUri(ALL_BYTES, UriCodec.ESCAPE_ARGS))).isEqualTo(ALL_BYTES);
        Random rnd = new Random(42);
        for (int i = 0; i < 500; i++) {
            byte[] b = new byte[rnd.nextInt(40)];
            rnd.nextBytes(b);
            assertThat(UriCodec.unescapeUri(UriCodec.escapeUri(b))).isEqualTo(b);
        }
    }

    @Test
    void fullUriEscapingKeepsPlusSoUnescapeTurnsItIntoSpace() {
        assertThat(UriCodec.unescapeUri(UriCodec.escapeUri("a+b c", UriCodec.ESCAPE_URI))).isEqualTo("a b c");
    }

    @Test
    void stringOverloadsRejectNonByteStrings() {
        assertThatThrownBy(() -> UriCodec.escapeUri("\u0100")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UriCodec.unescapeUri("€")).isInstanceOf(IllegalArgumentException.class);
    }
}
