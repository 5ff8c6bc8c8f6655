package dev.resty4j.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link ArgsCodec#formatNumber(double, MathContext)}: C's {@code %.Ng} for any N and rounding mode. */
class NumberFormatTest {

    @Test
    void matchesCsPercentG() {
        MathContext g14 = new MathContext(14, RoundingMode.HALF_EVEN);
        assertThat(ArgsCodec.formatNumber(98.6, g14)).isEqualTo("98.6");
        assertThat(ArgsCodec.formatNumber(0.00123, g14)).isEqualTo("0.00123");
        assertThat(ArgsCodec.formatNumber(0.0001, g14)).isEqualTo("0.0001");
        assertThat(ArgsCodec.formatNumber(0.00001, g14)).isEqualTo("1e-05");
        assertThat(ArgsCodec.formatNumber(-1.5e300, g14)).isEqualTo("-1.5e+300");
        assertThat(ArgsCodec.formatNumber(12345678.5, g14)).isEqualTo("12345678.5");
        assertThat(ArgsCodec.formatNumber(1e14, g14)).isEqualTo("1e+14");
        assertThat(ArgsCodec.formatNumber(123456789012345.0, g14)).isEqualTo("1.2345678901234e+14");
        assertThat(ArgsCodec.formatNumber(123456789012345.0, new MathContext(14, RoundingMode.HALF_UP)))
                .isEqualTo("1.2345678901235e+14");
        assertThat(ArgsCodec.formatNumber(0.1, new MathContext(17, RoundingMode.HALF_EVEN))).isEqualTo("0.10000000000000001");
        assertThat(ArgsCodec.formatNumber(2.5, new MathContext(1, RoundingMode.HALF_EVEN))).isEqualTo("2");
        assertThat(ArgsCodec.formatNumber(1234.5, new MathContext(3, RoundingMode.HALF_EVEN))).isEqualTo("1.23e+03");
        assertThat(ArgsCodec.formatNumber(Double.MIN_VALUE, g14)).isEqualTo("4.9406564584125e-324");
    }

    @Test
    void valueIsTheExactRoundingOfTheDoubleAndTheShapeIsPercentG() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 60_000; i++) {
            double d = i % 2 == 0 ? Double.longBitsToDouble(rnd.nextLong())
                    : rnd.nextInt(1_000_000) / Math.pow(10, rnd.nextInt(12)) * (rnd.nextBoolean() ? 1 : -1);
            if (Double.isNaN(d) || Double.isInfinite(d) || d == 0) {
                continue;
            }
            int n = 1 + rnd.nextInt(17);
            MathContext mc = new MathContext(n, i % 3 == 0 ? RoundingMode.HALF_UP : RoundingMode.HALF_EVEN);
            String text = ArgsCodec.formatNumber(d, mc);
            BigDecimal expected = new BigDecimal(d).round(mc);
            assertThat(new BigDecimal(text).compareTo(expected)).as("%s at %d digits: %s", d, n, text).isZero();
            int exponent = expected.precision() - expected.scale() - 1;
            assertThat(text.contains("e")).as("%s at %d digits: %s", d, n, text).isEqualTo(exponent < -4 || exponent >= n);
            assertThat(text).doesNotMatch(".*\\.\\d*0(e.*)?$").doesNotEndWith(".");
        }
    }
}
