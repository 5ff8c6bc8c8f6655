package dev.resty4j.core.shdict;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SlabModelTest {

    @ParameterizedTest
    @CsvSource({
        "1, 8", "8, 8", "9, 16", "16, 16", "17, 32", "70, 128", "128, 128", "129, 256",
        "2048, 2048", "2049, 4096", "4096, 4096", "4097, 8192", "10000, 12288",
    })
    void roundsLikeTheSlabAllocator(long request, long chunk) {
        assertThat(SlabModel.chunk(request)).isEqualTo(chunk);
    }

    @Test
    void entryCostsIncludeNodeHeaderKeyAndValue() {
        // 68 + 1 + 1 = 70 -> 128
        assertThat(SlabModel.entryCost(1, 1)).isEqualTo(128);
        // 68 + 60 + 0 = 128 -> 128; one byte more -> 256
        assertThat(SlabModel.entryCost(60, 0)).isEqualTo(128);
        assertThat(SlabModel.entryCost(60, 1)).isEqualTo(256);
        // list head: 68 + key + 16
        assertThat(SlabModel.listHeadCost(10)).isEqualTo(128);
        // list element: 21 + 8 (a number) -> 32
        assertThat(SlabModel.listElementCost(8)).isEqualTo(32);
        assertThat(SlabModel.listElementCost(11)).isEqualTo(32);
        assertThat(SlabModel.listElementCost(12)).isEqualTo(64);
    }

    @Test
    void usableAndFreePages() {
        assertThat(SlabModel.usable(1 << 20)).isEqualTo((1 << 20) - 4096);
        assertThat(SlabModel.freePagesBytes(4095)).isZero();
        assertThat(SlabModel.freePagesBytes(8191)).isEqualTo(4096);
        assertThat(SlabModel.freePagesBytes(-5)).isZero();
    }
}
