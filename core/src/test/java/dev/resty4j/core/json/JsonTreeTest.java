package dev.resty4j.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resty4j.core.api.NgxApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTreeTest {

    private final CjsonConfig config = new CjsonConfig();

    private Object decode(String latin1) {
        return JsonTree.decode(latin1.getBytes(StandardCharsets.ISO_8859_1), config);
    }

    private String encode(Object v) {
        return JsonTree.encode(v, config, true);
    }

    @Test
    void decodesObjectsArraysAndScalarsInDocumentOrder() {
        Object v = decode("{\"b\":[1,2.5,-3e2,true,false,null],\"a\":{\"x\":\"y\"}}");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("b", Arrays.asList(1.0, 2.5, -300.0, true, false, JsonTree.NULL));
        expected.put("a", Map.of("x", "y"));
        assertThat(v).isEqualTo(expected);
        assertThat(new ArrayList<Object>(((Map<?, ?>) v).keySet())).containsExactly("b", "a");
    }

    @Test
    void encodesNumbersAsPercent14gWithoutDecimalPointsForIntegers() {
        assertThat(encode(Arrays.asList(1.0, 2.5, 1 / 3.0, 1e20, -0.0, 123456789012345.0, 0.0001, 1e-5)))
                .isEqualTo("[1,2.5,0.33333333333333,1e+20,-0,1.2345678901234e+14,0.0001,1e-05]");
        config.encodeNumberPrecision = 16;
        assertThat(encode(Math.pow(2, 53))).isEqualTo("9007199254740992");
        config.encodeNumberPrecision = 3;
        assertThat(encode(3.14159)).isEqualTo("3.14");
    }

    @Test
    void escapesLikeCjson() {
        assertThat(encode("a/b\"c\\d\n\t\u0001\u007f\u00e9")).isEqualTo("\"a\\/b\\\"c\\\\d\\n\\t\\u0001\\u007f\u00e9\"");
        assertThat(JsonTree.encode("a/b", config, false)).isEqualTo("\"a/b\"");
    }

    @Test
    void invalidNumbersFollowTheSetting() {
        assertThatThrownBy(() -> encode(Double.NaN)).isInstanceOf(NgxApiException.class)
                .hasMessage("Cannot serialise number: must not be NaN or Infinity");
        config.encodeInvalidNumbers = CjsonConfig.InvalidNumbers.ON;
        assertThat(encode(Arrays.asList(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)))
                .isEqualTo("[NaN,Infinity,-Infinity]");
        config.encodeInvalidNumbers = CjsonConfig.InvalidNumbers.NULL;
        assertThat(encode(List.of(Double.NaN))).isEqualTo("[null]");
    }

    @Test
    void roundTripsNestedValuesAndNumberKeys() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put(1, "one");
        m.put("list", new ArrayList<>(List.of("x", 2.0)));
        m.put("null", JsonTree.NULL);
        String json = encode(m);
        assertThat(json).isEqualTo("{\"1\":\"one\",\"list\":[\"x\",2],\"null\":null}");
        assertThat(encode(decode(json))).isEqualTo(json);
    }

    @Test
    void unicodeEscapesBecomeUtf8AndRawBytesPassThrough() {
        String e9 = new String("\u00e9".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        String smile = new String("\ud83d\ude00".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertThat(decode("\"\\u00e9\"")).isEqualTo(e9);
        assertThat(decode("{\"k\\u00e9\":\"\\ud83d\\ude00\"}")).isEqualTo(Map.of("k" + e9, smile));
        assertThat(decode("[\"" + e9 + "\\u00e9\\n\u00ff\"]")).isEqualTo(List.of(e9 + e9 + "\n\u00ff"));
        assertThat(decode("\"a\u0001b\"")).isEqualTo("a\u0001b");
    }

    @Test
    void nulEndsTheTextAndUtf16IsRefused() {
        assertThat(decode("[1]\u0000garbage")).isEqualTo(List.of(1.0));
        assertThatThrownBy(() -> decode("\u0000[\u0000]")).hasMessage("JSON parser does not support UTF-16 or UTF-32");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``|Expected value but found T_END at character 1",
        "abc|Expected value but found invalid token at character 1",
        "`  <html>`|Expected value but found invalid token at character 3",
        "[1,]|Expected value but found T_ARR_END at character 4",
        "{a:1}|Expected object key string but found invalid token at character 2",
        "{\"a\" 1}|Expected colon but found T_INTEGER at character 6",
        "{\"a\":1|Expected comma or object end but found T_END at character 7",
        "{\"a\":1,}|Expected object key string but found T_OBJ_END at character 8",
        "[1 2.5]|Expected comma or array end but found T_NUMBER at character 4",
        "{} x|Expected the end but found invalid token at character 4",
        "1 2|Expected the end but found T_INTEGER at character 3",
        "[\"\\x\"]|Expected value but found invalid escape code at character 3",
        "\"\\ud800\"|Expected value but found invalid unicode escape code at character 2",
        "\"abc|Expected value but found unexpected end of string at character 5",
        "[truex]|Expected comma or array end but found invalid token at character 6",
        "-|Expected value but found invalid number at character 1",
    })
    void syntaxErrorsUseCjsonMessages(String json, String message) {
        assertThatThrownBy(() -> decode(json)).isInstanceOf(NgxApiException.class).hasMessage(message);
    }

    @Test
    void strictNumbersWhenInvalidNumbersAreOff() {
        assertThat(decode("[NaN, +1, 012, -Infinity]")).isEqualTo(Arrays.asList(Double.NaN, 1.0, 12.0, Double.NEGATIVE_INFINITY));
        config.decodeInvalidNumbers = false;
        assertThatThrownBy(() -> decode("[1, NaN]")).hasMessage("Expected value but found invalid token at character 5");
        assertThatThrownBy(() -> decode("012")).hasMessage("Expected value but found invalid number at character 1");
    }

    @Test
    void depthLimits() {
        config.decodeMaxDepth = 2;
        assertThat(decode("[[1]]")).isEqualTo(List.of(List.of(1.0)));
        assertThatThrownBy(() -> decode("[[[1]]]")).hasMessage("Found too many nested data structures (3) at character 3");
        config.encodeMaxDepth = 2;
        assertThatThrownBy(() -> encode(List.of(List.of(List.of())))).hasMessage("Cannot serialise, excessive nesting (3)");
    }

    @Test
    void deepNestingNeedsNoJavaRecursionToDecode() {
        config.decodeMaxDepth = 100_000;
        String json = "[".repeat(50_000) + "]".repeat(50_000);
        assertThat(decode(json)).isInstanceOf(List.class);
        assertThatThrownBy(() -> decode("[".repeat(50_000) + "}")).hasMessageStartingWith("Expected value but found T_OBJ_END");
    }
}
