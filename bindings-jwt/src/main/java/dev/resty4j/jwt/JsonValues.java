package dev.resty4j.jwt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resty4j.spi.NativeNull;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
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
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
            try (JsonParser p = MAPPER.createParser(text)) {
                JsonNode node = MAPPER.readTree(p);
                if (node == null || p.nextToken() != null) {
                    return null; // empty input, or trailing data after the value
                }
                return toNeutral(node);
            }
        } catch (CharacterCodingException | JsonProcessingException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Object toNeutral(JsonNode n) {
        switch (n.getNodeType()) {
            case OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                Iterator<Map.Entry<String, JsonNode>> it = n.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    m.put(byteString(e.getKey()), toNeutral(e.getValue()));
                }
                return m;
            }
            case ARRAY: {
                List<Object> l = new ArrayList<>(n.size());
                for (JsonNode c : n) {
                    l.add(toNeutral(c));
                }
                return l;
            }
            case STRING:
                return byteString(n.textValue());
            case NUMBER:
                return n.isIntegralNumber() && n.canConvertToLong() ? (Object) n.longValue() : (Object) n.doubleValue();
            case BOOLEAN:
                return n.booleanValue();
            default:
                return NativeNull.NULL;
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
