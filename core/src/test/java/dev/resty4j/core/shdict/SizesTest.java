package dev.resty4j.core.shdict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {

    @ParameterizedTest
    @CsvSource({
        "8192, 8192",
        "0, 0",
        "512k, 524288",
        "512K, 524288",
        "1m, 1048576",
        "10M, 10485760",
        "1g, 1073741824",
        "2G, 2147483648",
    })
    void parsesNginxSizes(String text, long bytes) {
        assertThat(Sizes.parseSize(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "m", "k", "10mb", "1.5m", "-1", "+1", " 1m", "1m ", "1 m", "10t", "abc", "0x10"})
    void rejectsMalformedSizes(String text) {
        assertThatThrownBy(() -> Sizes.parseSize(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid size");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999", "9999999999999g"})
    void rejectsOverflow(String text) {
        assertThatThrownBy(() -> Sizes.parseSize(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too large");
    }

    @org.junit.jupiter.api.Test
    void rejectsNull() {
        assertThatThrownBy(() -> Sizes.parseSize(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
