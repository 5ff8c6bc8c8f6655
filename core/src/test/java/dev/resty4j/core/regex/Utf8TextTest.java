package dev.resty4j.core.regex;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class Utf8TextTest {

    /** A byte string from hex pairs. */
    private static String bytes(String hex) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            sb.append((char) Integer.parseInt(hex.substring(i, i + 2), 16));
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "41E4BDA0,     0",     // "A你"
        "F09F9880,     0",     // U+1F600
        "E4BD,        -3",     // 1 byte missing at end
        "E4,          -4",     // 2 bytes missing
        "E441A0,      -8",     // byte 2 top bits not 0x80
        "E4BD41,      -9",     // byte 3
        "F8888080 80, -13",    // 5-byte character
        "F4908080,    -15",    // above U+10FFFF
        "EDA080,      -16",    // surrogate
        "C0AF,        -17",    // overlong 2-byte
        "E080AF,      -18",    // overlong 3-byte
        "F08080AF,    -19",    // overlong 4-byte
        "80,          -22",    // isolated continuation byte
        "FF,          -23",    // 0xff
    })
    void validatesAsPcre2(String hex, int code) {
        assertThat((int) Utf8Text.check(bytes(hex.replace(" ", "")))).isEqualTo(code);
    }

    @Test
    void reportsWhereTheBadSequenceStarts() {
        long r = Utf8Text.check(bytes("414243E4"));
        assertThat((int) r).isEqualTo(-4);
        assertThat((int) (r >>> 32)).isEqualTo(3);
        assertThat(Utf8Text.message(-4)).isEqualTo("UTF-8 error: 2 bytes missing at end");
        assertThat(Utf8Text.message(-8)).isEqualTo("UTF-8 error: byte 2 top bits are not 0x80");
    }

    @Test
    void mapsCharPositionsBackToBytes() {
        Utf8Text t = Utf8Text.decode(bytes("41E4BDA0F09F988042"));   // A 你 😀 B
        assertThat(t.chars).isEqualTo("A你😀B");
        assertThat(t.byteOffset(0)).isZero();
        assertThat(t.byteOffset(1)).isEqualTo(1);
        assertThat(t.byteOffset(2)).isEqualTo(4);
        assertThat(t.byteOffset(4)).isEqualTo(8);
        assertThat(t.byteOffset(5)).isEqualTo(9);
        assertThat(t.charIndex(4)).isEqualTo(2);
        assertThat(t.charIndex(2)).isEqualTo(-1);
        assertThat(t.charIndex(9)).isEqualTo(5);
    }

    @Test
    void invalidBytesDecodeOneByOne() {
        Utf8Text t = Utf8Text.decode(bytes("41FFE4BD42"));
        assertThat(t.chars).isEqualTo("A\uDCFF\uDCE4\uDCBDB");
        assertThat(t.byteOffset(4)).isEqualTo(4);
    }
}
