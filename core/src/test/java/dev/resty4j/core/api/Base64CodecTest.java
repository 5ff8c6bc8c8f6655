package dev.resty4j.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Base64CodecTest {

    private static final byte[] ALL_BYTES = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            ALL_BYTES[i] = (byte) i;
        }
    }

    private static final String ALL_BYTES_STD =
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xN"
            + "Tk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeY"
            + "mZqbnJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj"
            + "5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P3+/w==";

    private static final String ALL_BYTES_URL =
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-P0BBQkNERUZHSElKS0xN"
            + "Tk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn-AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeY"
            + "mZqbnJ2en6ChoqOkpaanqKmqq6ytrq-wsbKztLW2t7i5uru8vb6_wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t_g4eLj"
            + "5OXm5-jp6uvs7e7v8PHy8_T19vf4-fr7_P3-_w";

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void encodesBinary() {
        assertThat(ascii(Base64Codec.encodeBase64(ALL_BYTES))).isEqualTo(ALL_BYTES_STD);
        assertThat(ascii(Base64Codec.encodeBase64(ALL_BYTES, true))).isEqualTo(ALL_BYTES_STD.replace("=", ""));
        assertThat(ascii(Base64Codec.encodeBase64Url(ALL_BYTES))).isEqualTo(ALL_BYTES_URL);
    }

    @Test
    void decodesBinary() {
        assertThat(Base64Codec.decodeBase64(bytes(ALL_BYTES_STD))).isEqualTo(ALL_BYTES);
        assertThat(Base64Codec.decodeBase64Url(bytes(ALL_BYTES_URL))).isEqualTo(ALL_BYTES);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|''|''",
        "f|Zg==|Zg",
        "fo|Zm8=|Zm8",
        "foo|Zm9v|Zm9v",
        "foob|Zm9vYg==|Zm9vYg",
        "fooba|Zm9vYmE=|Zm9vYmE",
        "foobar|Zm9vYmFy|Zm9vYmFy",
        "hello|aGVsbG8=|aGVsbG8",
    })
    void rfc4648Vectors(String plain, String padded, String unpadded) {
        assertThat(Base64Codec.encodeBase64(plain, false)).isEqualTo(padded);
        assertThat(Base64Codec.encodeBase64(plain, true)).isEqualTo(unpadded);
        assertThat(ascii(Base64Codec.encodeBase64(bytes(plain)))).isEqualTo(padded);
        assertThat(Base64Codec.encodeBase64Url(plain)).isEqualTo(unpadded);
        assertThat(Base64Codec.decodeBase64(padded)).isEqualTo(plain);
        assertThat(Base64Codec.decodeBase64(unpadded)).isEqualTo(plain);
        assertThat(Base64Codec.decodeBase64Url(unpadded)).isEqualTo(plain);
        assertThat(Base64Codec.decodeBase64Url(padded)).isEqualTo(plain);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "aGVsb", "aGVsbG8*", " aGVs", "aGVs\n", "aGVs bG8=", "-_-_", "Zm9v!"})
    void rejectsInvalidStandardInput(String s) {
        assertThat(Base64Codec.decodeBase64(s)).isNull();
        assertThat(Base64Codec.decodeBase64(bytes(s))).isNull();
    }

    @Test
    void paddingLengthIsNotChecked() {
        // only the number of alphabet bytes before the first '=' matters
        assertThat(Base64Codec.decodeBase64("YQ=")).isEqualTo("a");
        assertThat(Base64Codec.decodeBase64("YQ=====")).isEqualTo("a");
        assertThat(Base64Codec.decodeBase64("Zm9v=")).isEqualTo("foo");
    }

    @Test
    void ignoresEverythingFromTheFirstPaddingChar() {
        assertThat(Base64Codec.decodeBase64("YQ==garbage!!")).isEqualTo("a");
        assertThat(Base64Codec.decodeBase64("=abc")).isEmpty();
        assertThat(Base64Codec.decodeBase64("Zm9v=YmFy")).isEqualTo("foo");
    }

    @Test
    void doesNotCheckUnusedTrailingBits() {
        assertThat(Base64Codec.decodeBase64("YR==")).isEqualTo("a");
        assertThat(Base64Codec.decodeBase64("YWJ")).isEqualTo("ab");
        assertThat(Base64Codec.decodeBase64("YWL")).isEqualTo("ab");
    }

    @Test
    void alphabetsDoNotMix() {
        assertThat(Base64Codec.decodeBase64("-_8=")).isNull();
        assertThat(Base64Codec.decodeBase64Url("+/8=")).isNull();
        assertThat(Base64Codec.decodeBase64("+/8=")).isEqualTo("\u00fb\u00ff");
        assertThat(Base64Codec.decodeBase64Url("-_8")).isEqualTo("\u00fb\u00ff");
        assertThat(Base64Codec.decodeBase64Url("a")).isNull();
    }

    @Test
    void randomRoundTripsAgreeWithJdk() {
        Random rnd = new Random(7);
        for (int i = 0; i < 500; i++) {
            byte[] b = new byte[rnd.nextInt(70)];
            rnd.nextBytes(b);
            byte[] std = Base64Codec.encodeBase64(b);
            assertThat(ascii(std)).isEqualTo(Base64.getEncoder().encodeToString(b));
            assertThat(ascii(Base64Codec.encodeBase64(b, true)))
                    .isEqualTo(Base64.getEncoder().withoutPadding().encodeToString(b));
            byte[] url = Base64Codec.encodeBase64Url(b);
            assertThat(ascii(url)).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
            assertThat(Base64Codec.decodeBase64(std)).isEqualTo(b);
            assertThat(Base64Codec.decodeBase64Url(url)).isEqualTo(b);
        }
    }

    @Test
    void emptyInput() {
        assertThat(Base64Codec.encodeBase64(new byte[0])).isEmpty();
        assertThat(Base64Codec.decodeBase64(new byte[0])).isEmpty();
        assertThat(Base64Codec.decodeBase64Url(new byte[0])).isEmpty();
    }
}
