package dev.resty4j.jwt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resty4j.spi.NativeNull;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON as the SPI's neutral values, the way {@code cjson} gives it to Lua: objects are maps, arrays lists,
 * JSON {@code null} is {@link NativeNull#NULL} ({@code cjson.null}), strings are byte strings (UTF-8 bytes,
 * one char per byte) and numbers doubles or longs. Parsing is strict (UTF-8 must be valid, duplicate
 * member names and deep nesting are refused) because token contents are attacker-controlled.
 */
public final class JsonValues {

    /** Deeper JSON is refused: a token is a few claims, and deep nesting is only ever an attack. */
    static final int MAX_DEPTH = 32;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            // requests run on short-lived virtual threads: a thread-local buffer pool would never be reused
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build());

    private JsonValues() {
    }

    /** Parses UTF-8 JSON whose top level must be an object; null when it is not valid or not an object. */
    public static Map<String, Object> parseObject(byte[] utf8) {
        Object v = parse(utf8);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = v instanceof Map<?, ?> ? (Map<String, Object>) v : null;
        return m;
    }

    /** Parses UTF-8 JSON into a neutral value; null when it is not valid JSON (or not valid UTF-8). */
    public static Object parse(byte[] utf8) {
        // streamed straight into neutral values; the parser itself checks UTF-8, duplicates and depth
        try (JsonParser p = MAPPER.getFactory().createParser(utf8)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            Object v = read(p, first);
            return p.nextToken() == null ? v : null; // trailing data after the value
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Object read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
                    String name = byteString(p.currentName());
                    m.put(name, read(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                    l.add(read(p, v));
                }
                return l;
            }
            case VALUE_STRING:
                return byteString(p.getText());
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? (Object) p.getDoubleValue() : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return NativeNull.NULL;
            default:
                throw new IOException("unexpected " + t);
        }
    }

    /**
     * Serializes a neutral value as cjson would: maps as objects (an empty table as {@code {}}), integral
     * numbers without a fraction, byte strings as the UTF-8 text they hold.
     *
     * @param firstKeys keys written first, in this order, at the top level (then the others, sorted): JOSE
     *                  headers come out the same whichever way the table was built
     */
    public static String write(Object value, String... firstKeys) {
        JsonNode node = toNode(value, firstKeys);
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize: " + e.getMessage(), e);
        }
    }

    private static JsonNode toNode(Object v, String... firstKeys) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v == null || v == NativeNull.NULL) {
            return f.nullNode();
        }
        if (v instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (v instanceof Long l) {
            return f.numberNode(l);
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
                return f.numberNode((long) d);
            }
            return f.numberNode(d);
        }
        if (v instanceof String s) {
            return f.textNode(text(s));
        }
        if (v instanceof byte[] b) {
            return f.textNode(new String(b, StandardCharsets.UTF_8));
        }
        if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                return f.objectNode(); // cjson encodes an empty table as an object
            }
            ArrayNode a = f.arrayNode();
            for (Object o : l) {
                a.add(toNode(o));
            }
            return a;
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = f.objectNode();
            for (String k : firstKeys) {
                if (m.containsKey(k)) {
                    o.set(text(k), toNode(m.get(k)));
                }
            }
            Map<String, Object> rest = new TreeMap<>();
            m.forEach((k, val) -> rest.put(String.valueOf(k), val));
            for (Map.Entry<String, Object> e : rest.entrySet()) {
                if (!o.has(text(e.getKey()))) {
                    o.set(text(e.getKey()), toNode(e.getValue()));
                }
            }
            return o;
        }
        throw new IllegalArgumentException("cannot serialize a " + v.getClass().getSimpleName() + " as JSON");
    }

    /** A Java (UTF-16) string as a byte string: its UTF-8 bytes, one char per byte. */
    public static String byteString(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return b.length == text.length() ? text : new String(b, StandardCharsets.ISO_8859_1);
    }

    /** A byte string holding UTF-8 as the Java string it encodes. */
    public static String text(String byteString) {
        for (int i = 0; i < byteString.length(); i++) {
            if (byteString.charAt(i) >= 0x80) {
                return new String(byteString.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return byteString;
    }

    /** The bytes of a byte string. */
    public static byte[] bytes(String byteString) {
        return byteString.getBytes(StandardCharsets.ISO_8859_1);
    }
}
