package dev.resty4j.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import dev.resty4j.core.api.NgxApiException;
import java.io.IOException;
import java.util.Arrays;

/**
 * lua-cjson's {@code decode} on Jackson's streaming parser: a JSON text (bytes) becomes values made by a
 * {@link Builder}, so each engine builds its own tables/objects directly (see {@link JsonTree} for plain Java
 * values). What cjson does and this reproduces:
 * <ul>
 *   <li>strings are bytes: raw bytes pass through unvalidated, {@code \\uXXXX} escapes (and surrogate pairs)
 *       become UTF-8, a lone surrogate escape is an error; raw control characters are accepted;</li>
 *   <li>every number is a double; with {@code decode_invalid_numbers} (default on) also {@code NaN},
 *       {@code Infinity}, a leading '+' and leading zeros (read as decimal);</li>
 *   <li>nesting deeper than {@code decode_max_depth}: "Found too many nested data structures (D) at character N";</li>
 *   <li>a NUL byte ends the text (cjson reads a C string); a NUL among the first two bytes is
 *       "JSON parser does not support UTF-16 or UTF-32";</li>
 *   <li>syntax errors carry cjson's message ({@link CjsonSyntax}).</li>
 * </ul>
 * Errors are thrown as {@link NgxApiException} with cjson's message.
 */
public final class JsonReader {

    /** Makes an engine's values; containers are filled in document order. */
    public interface Builder {
        Object newObject();

        /** Sets {@code key} (a byte string) in an object from {@link #newObject()}; a later duplicate wins. */
        void put(Object object, String key, Object value);

        Object newArray();

        /** Sets element {@code index} (1-based, consecutive) of an array from {@link #newArray()}. */
        void add(Object array, int index, Object value);

        /** A string value (a byte string). */
        Object string(String byteString);

        Object number(double value);

        Object bool(boolean value);

        /** JSON {@code null} ({@code cjson.null} in Lua). */
        Object nullValue();
    }

    private static final JsonFactory STRICT = factory(false);
    private static final JsonFactory LENIENT_NUMBERS = factory(true);

    private JsonReader() {
    }

    private static JsonFactory factory(boolean invalidNumbers) {
        JsonFactoryBuilder b = new JsonFactoryBuilder()
                .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                // cjson limits nesting itself (decode_max_depth) and nothing else.
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(Integer.MAX_VALUE)
                        .maxNumberLength(Integer.MAX_VALUE)
                        .maxStringLength(Integer.MAX_VALUE)
                        .maxNameLength(Integer.MAX_VALUE)
                        .build())
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
                .enable(JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS);
        if (invalidNumbers) {
            b.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .enable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
                    .enable(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS);
        }
        return b.build();
    }

    /** Decodes {@code json[off..off+len)} with {@code config}'s decode settings. */
    public static Object decode(byte[] json, int off, int len, CjsonConfig config, Builder builder) {
        if (len >= 2 && (json[off] == 0 || json[off + 1] == 0)) {
            throw new NgxApiException("JSON parser does not support UTF-16 or UTF-32");
        }
        // One char per byte: Jackson then neither decodes nor validates UTF-8, and char offsets are byte offsets.
        char[] chars = new char[len];
        int n = 0;
        while (n < len && json[off + n] != 0) {
            chars[n] = (char) (json[off + n] & 0xFF);
            n++;
        }
        return new Run(chars, n, config, builder).decode();
    }

    /** One decode: the parser plus an explicit stack of open containers. */
    private static final class Run {
        private final char[] src;
        private final int n;
        private final CjsonConfig config;
        private final Builder b;
        private Object[] containers = new Object[8];
        private int[] counts = new int[8];
        private String[] keys = new String[8];
        private int depth;

        Run(char[] src, int n, CjsonConfig config, Builder b) {
            this.src = src;
            this.n = n;
            this.config = config;
            this.b = b;
        }

        Object decode() {
            JsonFactory f = config.decodeInvalidNumbers ? LENIENT_NUMBERS : STRICT;
            try (JsonParser p = f.createParser(src, 0, n)) {
                while (true) {
                    JsonToken t = p.nextToken();
                    if (t == null) {
                        throw syntaxError(-1);
                    }
                    Object value;
                    switch (t) {
                        case START_OBJECT, START_ARRAY -> {
                            open(t == JsonToken.START_OBJECT ? b.newObject() : b.newArray(), p);
                            continue;
                        }
                        case FIELD_NAME -> {
                            keys[depth - 1] = text(p);
                            continue;
                        }
                        case END_OBJECT, END_ARRAY -> value = containers[--depth];
                        case VALUE_STRING -> value = b.string(text(p));
                        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> value = b.number(p.getDoubleValue());
                        case VALUE_TRUE -> value = b.bool(true);
                        case VALUE_FALSE -> value = b.bool(false);
                        case VALUE_NULL -> value = b.nullValue();
                        default -> throw syntaxError(-1);
                    }
                    if (depth == 0) {
                        // Jackson would read further root values; cjson wants the end of the text.
                        if (p.nextToken() != null) {
                            throw syntaxError(-1);
                        }
                        return value;
                    }
                    attach(value);
                }
            } catch (JsonProcessingException e) {
                throw syntaxError(e.getLocation() == null ? -1 : e.getLocation().getCharOffset());
            } catch (IOException e) {
                throw new IllegalStateException("in-memory JSON read failed", e);
            }
        }

        private void open(Object container, JsonParser p) {
            if (depth + 1 > config.decodeMaxDepth) {
                // cjson reports the offset just past the bracket, i.e. the bracket's 1-based position.
                throw new NgxApiException("Found too many nested data structures (" + (depth + 1)
                        + ") at character " + (p.currentTokenLocation().getCharOffset() + 1));
            }
            if (depth == containers.length) {
                containers = Arrays.copyOf(containers, depth * 2);
                counts = Arrays.copyOf(counts, depth * 2);
                keys = Arrays.copyOf(keys, depth * 2);
            }
            containers[depth] = container;
            counts[depth] = 0;
            keys[depth] = null;
            depth++;
        }

        private void attach(Object value) {
            int top = depth - 1;
            String key = keys[top];
            if (key != null) {
                b.put(containers[top], key, value);
                keys[top] = null;
            } else {
                b.add(containers[top], ++counts[top], value);
            }
        }

        /**
         * The string token's value as a byte string. Jackson decodes escapes to UTF-16, while raw bytes arrive
         * as chars 0-255; when any char is non-ASCII the two must be told apart, by walking the raw token.
         */
        private String text(JsonParser p) throws IOException {
            String s = p.getText();
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) >= 0x80) {
                    return utf8Escapes(s, (int) p.currentTokenLocation().getCharOffset());
                }
            }
            return s;
        }

        /** Rebuilds {@code s} from the raw token at {@code quote}: raw bytes kept, {@code \\u} escapes as UTF-8. */
        private String utf8Escapes(String s, int quote) {
            StringBuilder out = new StringBuilder(s.length() + 8);
            int i = quote + 1;
            for (int j = 0; j < s.length(); ) {
                char raw = src[i];
                if (raw != '\\') {
                    out.append(raw);
                    i++;
                    j++;
                } else if (src[i + 1] != 'u') {
                    out.append(s.charAt(j));
                    i += 2;
                    j++;
                } else {
                    char unit = s.charAt(j);
                    int cp;
                    if (Character.isHighSurrogate(unit) && j + 1 < s.length() && Character.isLowSurrogate(s.charAt(j + 1))) {
                        cp = Character.toCodePoint(unit, s.charAt(j + 1));
                        i += 12;
                        j += 2;
                    } else if (Character.isSurrogate(unit)) {
                        throw syntaxError(-1); // cjson refuses lone surrogates: "invalid unicode escape code"
                    } else {
                        cp = unit;
                        i += 6;
                        j++;
                    }
                    appendUtf8(out, cp);
                }
            }
            return out.toString();
        }

        private static void appendUtf8(StringBuilder out, int cp) {
            if (cp < 0x80) {
                out.append((char) cp);
            } else if (cp < 0x800) {
                out.append((char) (0xC0 | cp >> 6)).append((char) (0x80 | cp & 0x3F));
            } else if (cp < 0x10000) {
                out.append((char) (0xE0 | cp >> 12)).append((char) (0x80 | cp >> 6 & 0x3F)).append((char) (0x80 | cp & 0x3F));
            } else {
                out.append((char) (0xF0 | cp >> 18)).append((char) (0x80 | cp >> 12 & 0x3F))
                        .append((char) (0x80 | cp >> 6 & 0x3F)).append((char) (0x80 | cp & 0x3F));
            }
        }

        /** cjson's message for the first error in the text; {@code jacksonOffset} words what cjson would accept. */
        private NgxApiException syntaxError(long jacksonOffset) {
            String msg = CjsonSyntax.explain(src, n, config.decodeInvalidNumbers);
            if (msg == null) {
                msg = "Expected value but found invalid token at character " + (Math.max(jacksonOffset, 0) + 1);
            }
            return new NgxApiException(msg);
        }
    }
}
