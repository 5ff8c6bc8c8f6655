package dev.resty4j.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.resty4j.core.api.ArgsCodec.DecodedArgs;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArgsCodecTest {

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String manyArgs(int n) {
        StringJoiner j = new StringJoiner("&");
        for (int i = 1; i <= n; i++) {
            j.add("k" + i + "=" + i);
        }
        return j.toString();
    }

    @Nested
    class Decode {

        @Test
        void readmeExamples() {
            DecodedArgs d = ArgsCodec.decodeArgs("foo=bar&bar=baz&bar=blah");
            assertThat(d.truncated()).isFalse();
            assertThat(d.args()).containsExactly(entry("foo", "bar"), entry("bar", List.of("baz", "blah")));

            assertThat(ArgsCodec.decodeArgs("a%20b=1%61+2").args()).containsExactly(entry("a b", "1a 2"));
            assertThat(ArgsCodec.decodeArgs("foo&bar").args())
                    .containsExactly(entry("foo", Boolean.TRUE), entry("bar", Boolean.TRUE));
            assertThat(ArgsCodec.decodeArgs("foo=&bar=").args()).containsExactly(entry("foo", ""), entry("bar", ""));
            assertThat(ArgsCodec.decodeArgs("=hello&=world").args()).isEmpty();
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "''", "&", "&&&", "=", "==", "=&=", "&=x&",
        })
        void emptyKeyInputsDecodeToNothing(String q) {
            DecodedArgs d = ArgsCodec.decodeArgs(q);
            assertThat(d.args()).isEmpty();
            assertThat(d.truncated()).isFalse();
            assertThat(ArgsCodec.decodeUriArgs(q, -1).args()).isEmpty();
        }

        @Test
        void skipsEmptySegments() {
            assertThat(ArgsCodec.decodeArgs("a=1&&b").args())
                    .containsExactly(entry("a", "1"), entry("b", Boolean.TRUE));
            assertThat(ArgsCodec.decodeArgs("&a=1&").args()).containsExactly(entry("a", "1"));
        }

        @Test
        void valueMayContainEquals() {
            assertThat(ArgsCodec.decodeArgs("a=b=c&d==").args()).containsExactly(entry("a", "b=c"), entry("d", "="));
        }

        @Test
        void repeatedKeysMixBooleansAndStringsInOrder() {
            Map<String, Object> args = ArgsCodec.decodeArgs("a&b=2&a=1&a").args();
            assertThat(args).containsExactly(entry("a", List.of(true, "1", true)), entry("b", "2"));
        }

        @Test
        void keysAndValuesAreUnescapedWithPlusAsSpace() {
            assertThat(ArgsCodec.decodeArgs("%3D+x=%26%zz%2").args()).containsExactly(entry("= x", "&%zz%2"));
            // an escaped '&' or '=' does not split
            assertThat(ArgsCodec.decodeArgs("k%3Dv=a%26b=c").args()).containsExactly(entry("k=v", "a&b=c"));
        }

        @Test
        void keepsFirstAppearanceOrder() {
            assertThat(ArgsCodec.decodeArgs("z=1&y=2&z=3&x").args().keySet()).containsExactly("z", "y", "x");
        }

        @Test
        void binaryBytesSurviveAsByteStrings() {
            byte[] q = {'k', '=', (byte) 0xE4, '%', 'F', 'F', '&', (byte) 0x80};
            Map<String, Object> args = ArgsCodec.decodeArgs(q, 0).args();
            assertThat(args).containsExactly(entry("k", "\u00e4\u00ff"), entry("\u0080", Boolean.TRUE));
        }

        @Test
        void resultIsImmutable() {
            Map<String, Object> args = ArgsCodec.decodeArgs("a=1&a=2").args();
            assertThatThrownBy(() -> args.put("b", "x")).isInstanceOf(UnsupportedOperationException.class);
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) args.get("a");
            assertThatThrownBy(() -> list.add("x")).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    class DecodeArgsLimit {

        @Test
        void defaultCapIs100() {
            DecodedArgs exact = ArgsCodec.decodeArgs(manyArgs(100));
            assertThat(exact.truncated()).isFalse();
            assertThat(exact.args()).hasSize(100);

            DecodedArgs over = ArgsCodec.decodeArgs(manyArgs(101));
            assertThat(over.truncated()).isTrue();
            assertThat(over.args()).hasSize(100).containsKey("k100").doesNotContainKey("k101");
        }

        @Test
        void zeroOrNegativeMeansUnlimited() {
            assertThat(ArgsCodec.decodeArgs(manyArgs(300), 0).args()).hasSize(300);
            assertThat(ArgsCodec.decodeArgs(manyArgs(300), 0).truncated()).isFalse();
            assertThat(ArgsCodec.decodeArgs(manyArgs(300), -5).args()).hasSize(300);
        }

        @Test
        void everySeparatorCountsIncludingEmptySegments() {
            assertThat(ArgsCodec.decodeArgs("a=1&b=2", 2)).isEqualTo(new DecodedArgs(map("a", "1", "b", "2"), false));
            assertThat(ArgsCodec.decodeArgs("a=1&b=2&", 2)).isEqualTo(new DecodedArgs(map("a", "1", "b", "2"), true));
            assertThat(ArgsCodec.decodeArgs("a=1&b=2&c=3", 2))
                    .isEqualTo(new DecodedArgs(map("a", "1", "b", "2"), true));
            assertThat(ArgsCodec.decodeArgs("a=1&&b=2", 2)).isEqualTo(new DecodedArgs(map("a", "1"), true));
            assertThat(ArgsCodec.decodeArgs("a=1&", 1)).isEqualTo(new DecodedArgs(map("a", "1"), true));
            assertThat(ArgsCodec.decodeArgs("a=1", 1)).isEqualTo(new DecodedArgs(map("a", "1"), false));
            assertThat(ArgsCodec.decodeArgs("&&&a", 1)).isEqualTo(new DecodedArgs(map(), true));
        }

        @Test
        void repeatedKeysCountPerOccurrence() {
            DecodedArgs d = ArgsCodec.decodeArgs("a=1&a=2&a=3&a=4", 3);
            assertThat(d.truncated()).isTrue();
            assertThat(d.args()).containsExactly(entry("a", List.of("1", "2", "3")));
        }
    }

    @Nested
    class DecodeUriArgsLimit {

        @Test
        void negativeMeansDefaultAndZeroUnlimited() {
            DecodedArgs dflt = ArgsCodec.decodeUriArgs(manyArgs(101), -1);
            assertThat(dflt.truncated()).isTrue();
            assertThat(dflt.args()).hasSize(100);
            assertThat(ArgsCodec.decodeUriArgs(manyArgs(100), -1).truncated()).isFalse();
            DecodedArgs all = ArgsCodec.decodeUriArgs(manyArgs(300), 0);
            assertThat(all.truncated()).isFalse();
            assertThat(all.args()).hasSize(300);
        }

        @Test
        void sizesBySeparatorsButKeepsNonEmptyArguments() {
            assertThat(ArgsCodec.decodeUriArgs("a=1&b=2", 2))
                    .isEqualTo(new DecodedArgs(map("a", "1", "b", "2"), false));
            assertThat(ArgsCodec.decodeUriArgs("a=1&b=2&", 2))
                    .isEqualTo(new DecodedArgs(map("a", "1", "b", "2"), true));
            assertThat(ArgsCodec.decodeUriArgs("a=1&b=2&c=3", 2))
                    .isEqualTo(new DecodedArgs(map("a", "1", "b", "2"), true));
            assertThat(ArgsCodec.decodeUriArgs("a=1&&b=2", 2))
                    .isEqualTo(new DecodedArgs(map("a", "1", "b", "2"), true));
            assertThat(ArgsCodec.decodeUriArgs("&&&a", 1)).isEqualTo(new DecodedArgs(map("a", true), true));
            assertThat(ArgsCodec.decodeUriArgs("abc", 1)).isEqualTo(new DecodedArgs(map("abc", true), false));
            assertThat(ArgsCodec.decodeUriArgs("", 1)).isEqualTo(new DecodedArgs(map(), false));
        }

        @Test
        void sameShapeAsDecodeArgsWithoutLimit() {
            String q = "foo=bar&bar=baz&bar=blah&x&=y&&a%20b=1%61+2";
            assertThat(ArgsCodec.decodeUriArgs(q, 0)).isEqualTo(ArgsCodec.decodeArgs(q, 0));
        }
    }

    @Nested
    class Encode {

        @Test
        void readmeExamples() {
            assertThat(ArgsCodec.encodeArgs(map("foo", 3, "b r", "hello world"))).isEqualTo("foo=3&b%20r=hello%20world");
            assertThat(ArgsCodec.encodeArgs(map("baz", List.of(32, "hello")))).isEqualTo("baz=32&baz=hello");
            assertThat(ArgsCodec.encodeArgs(map("a", true, "b", 1))).isEqualTo("a&b=1");
        }

        @Test
        void falseAndEmptyListsAreLeftOut() {
            assertThat(ArgsCodec.encodeArgs(map("a", false, "b", List.of(), "c", "x"))).isEqualTo("c=x");
            assertThat(ArgsCodec.encodeArgs(map("a", false))).isEmpty();
            assertThat(ArgsCodec.encodeArgs(map())).isEmpty();
        }

        @Test
        void listElementsMayBeBooleans() {
            assertThat(ArgsCodec.encodeArgs(map("k", Arrays.asList(true, false, "x", 2.5, true))))
                    .isEqualTo("k&k=x&k=2.5&k");
        }

        @Test
        void numbersPrintLikeLua() {
            assertThat(ArgsCodec.encodeArgs(map("i", 3, "d", 3.0, "f", 0.1, "big", 1e20, "neg", -2.5)))
                    .isEqualTo("i=3&d=3&f=0.1&big=1e%2B20&neg=-2.5");
            assertThat(ArgsCodec.encodeArgs(map("l", 123456789012345678L, "bi", new BigInteger("98765432109876543210"))))
                    .isEqualTo("l=123456789012345678&bi=98765432109876543210");
            assertThat(ArgsCodec.encodeArgs(map("n", Double.NaN, "inf", Double.NEGATIVE_INFINITY, "fl", 0.5f)))
                    .isEqualTo("n=nan&inf=-inf&fl=0.5");
        }

        @Test
        void escapesKeysAndValuesAsUriComponents() {
            assertThat(ArgsCodec.encodeArgs(map("a=b&c", "x?y#z&w=+", "~ok_", "-.!*'()")))
                    .isEqualTo("a%3Db%26c=x%3Fy%23z%26w%3D%2B&~ok_=-.!*'()");
            assertThat(ArgsCodec.encodeArgs(map("k", "\u00e4\u0000"))).isEqualTo("k=%E4%00");
            assertThat(ArgsCodec.encodeArgs(map("", "v", "e", ""))).isEqualTo("=v&e=");
        }

        @Test
        void acceptsBytesArraysAndMapValues() {
            Map<String, Object> inner = new LinkedHashMap<>();
            inner.put("x", "1");
            inner.put("y", true);
            assertThat(ArgsCodec.encodeArgs(map("b", new byte[] {'h', (byte) 0xFF}, "arr", new Object[] {1, "z"},
                    "m", inner))).isEqualTo("b=h%FF&arr=1&arr=z&m=1&m");
        }

        @Test
        void preservesIterationOrderOfTheMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String k : List.of("z", "a", "m", "b")) {
                m.put(k, k);
            }
            assertThat(ArgsCodec.encodeArgs(m)).isEqualTo("z=z&a=a&m=m&b=b");
        }

        @Test
        void rejectsUnsupportedValues() {
            assertThatThrownBy(() -> ArgsCodec.encodeArgs(map("a", null)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("attempt to use nil as query arg value");
            assertThatThrownBy(() -> ArgsCodec.encodeArgs(map("a", new Object())))
                    .hasMessage("attempt to use userdata as query arg value");
            assertThatThrownBy(() -> ArgsCodec.encodeArgs(map("a", List.of(List.of("x")))))
                    .hasMessage("attempt to use table as query arg value");
            assertThatThrownBy(() -> ArgsCodec.encodeArgs(map("a", Arrays.asList("x", null))))
                    .hasMessage("attempt to use nil as query arg value");
        }

        @Test
        void rejectsNonStringKeys() {
            Map<Object, Object> m = new LinkedHashMap<>();
            m.put(1, "x");
            assertThatThrownBy(() -> ArgsCodec.encodeArgs(m))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("attempt to use a non-string key in the \"args\" option table");
        }

        @Test
        void rejectsNonByteStrings() {
            assertThatThrownBy(() -> ArgsCodec.encodeArgs(map("k", "€"))).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void decodeInvertsEncode() {
            Map<String, Object> m = map("plain", "v", "sp ace", "a b+c", "flag", true, "multi", List.of("1", "&", "="),
                    "bin", "\u0000\u00ff%", "empty", "");
            String encoded = ArgsCodec.encodeArgs(m);
            assertThat(ArgsCodec.decodeArgs(encoded, 0).args()).isEqualTo(m);
            List<String> keys = new ArrayList<>(ArgsCodec.decodeArgs(encoded, 0).args().keySet());
            assertThat(keys).containsExactlyElementsOf(m.keySet());
        }
    }

    @Nested
    class FormatNumber {

        /** Expected strings are what LuaJIT 2.1's tostring printed for the same doubles. */
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "1|1",
            "-1|-1",
            "100|100",
            "0.1|0.1",
            "-0.1|-0.1",
            "1e20|1e+20",
            "1e14|1e+14",
            "1e15|1e+15",
            "99999999999999|99999999999999",
            "123456789012345|1.2345678901235e+14",
            "123456789012355|1.2345678901236e+14",
            "12345678901234.5|12345678901235",
            "1.5e-7|1.5e-07",
            "0.0001|0.0001",
            "0.00001|1e-05",
            "2.5e-5|2.5e-05",
            "9007199254740992|9.007199254741e+15",
            "9223372036854775807|9.2233720368548e+18",
            "3.14159265358979|3.1415926535898",
            "0.30000000000000004|0.3",
            "4.9e-324|4.9406564584125e-324",
            "1.7976931348623157e308|1.7976931348623e+308",
            "123456789|123456789",
            "-2.5|-2.5",
            "1e100|1e+100",
            "1.0e-100|1e-100",
        })
        void matchesLuaJit(double d, String expected) {
            assertThat(ArgsCodec.formatNumber(d)).isEqualTo(expected);
        }

        @Test
        void specialValues() {
            assertThat(ArgsCodec.formatNumber(Double.NaN)).isEqualTo("nan");
            assertThat(ArgsCodec.formatNumber(Double.longBitsToDouble(0xFFF8000000000000L))).isEqualTo("nan");
            assertThat(ArgsCodec.formatNumber(Double.POSITIVE_INFINITY)).isEqualTo("inf");
            assertThat(ArgsCodec.formatNumber(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
            assertThat(ArgsCodec.formatNumber(0.0)).isEqualTo("0");
            assertThat(ArgsCodec.formatNumber(-0.0)).isEqualTo("-0");
            assertThat(ArgsCodec.formatNumber(1.0 / 3)).isEqualTo("0.33333333333333");
            assertThat(ArgsCodec.formatNumber(-1.0 / 3)).isEqualTo("-0.33333333333333");
        }

        @Test
        void boxedNumbers() {
            assertThat(ArgsCodec.formatNumber((Number) 42)).isEqualTo("42");
            assertThat(ArgsCodec.formatNumber((Number) Long.MAX_VALUE)).isEqualTo("9223372036854775807");
            assertThat(ArgsCodec.formatNumber((Number) 42.0)).isEqualTo("42");
            assertThat(ArgsCodec.formatNumber((Number) 0.1f)).isEqualTo("0.10000000149012");
            assertThat(ArgsCodec.formatNumber(new java.math.BigDecimal("0.25"))).isEqualTo("0.25");
        }
    }
}
