package dev.resty4j.core.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as plain Java values, with lua-cjson's rules: objects are {@code LinkedHashMap<String, Object>} (document
 * order), arrays {@code ArrayList<Object>}, strings byte strings (one char per byte, UTF-8 inside), numbers
 * {@link Double}, booleans {@link Boolean}, and JSON null the {@link #NULL} sentinel.
 */
public final class JsonTree {

    /** JSON null in a tree (the engines map it to their own null sentinel, e.g. {@code cjson.null}). */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private JsonTree() {
    }

    /** Decodes a JSON text (bytes) into Java values. */
    public static Object decode(byte[] json, CjsonConfig config) {
        return JsonReader.decode(json, 0, json.length, config, TREE);
    }

    /**
     * Encodes Java values: {@code null}/{@link #NULL}, {@link Boolean}, {@link Number}, {@link CharSequence}
     * (byte string), {@link Map} (keys byte strings or numbers) and {@link List}/{@code Object[]}; anything else
     * is "type not supported" (or skipped with {@code encode_skip_unsupported_value_types}). Returns a byte string.
     */
    public static String encode(Object value, CjsonConfig config, boolean escapeForwardSlash) {
        try (JsonWriter w = new JsonWriter(config, escapeForwardSlash)) {
            write(w, value, config, 0);
            return w.result();
        }
    }

    private static boolean supported(Object v) {
        return v == null || v == NULL || v instanceof Boolean || v instanceof Number || v instanceof CharSequence
                || v instanceof Map<?, ?> || v instanceof List<?> || v instanceof Object[];
    }

    private static void write(JsonWriter w, Object v, CjsonConfig config, int depth) {
        if (v == null || v == NULL) {
            w.nullValue();
        } else if (v instanceof Boolean b) {
            w.bool(b);
        } else if (v instanceof Number num) {
            w.number(num.doubleValue());
        } else if (v instanceof CharSequence cs) {
            w.string(cs.toString());
        } else if (v instanceof Map<?, ?> map) {
            checkDepth(depth + 1, config);
            w.startObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!supported(e.getValue()) && config.encodeSkipUnsupportedValueTypes) {
                    continue;
                }
                if (e.getKey() instanceof Number k) {
                    w.key(k.doubleValue());
                } else if (e.getKey() instanceof CharSequence k) {
                    w.key(k.toString());
                } else {
                    throw JsonWriter.cannotSerialise(e.getKey() == null ? "nil" : "userdata",
                            "table key must be a number or string");
                }
                write(w, e.getValue(), config, depth + 1);
            }
            w.endObject();
        } else if (v instanceof List<?> || v instanceof Object[]) {
            checkDepth(depth + 1, config);
            w.startArray();
            for (Object e : v instanceof List<?> l ? l : List.of((Object[]) v)) {
                if (supported(e) || !config.encodeSkipUnsupportedValueTypes) {
                    write(w, e, config, depth + 1);
                }
            }
            w.endArray();
        } else if (!config.encodeSkipUnsupportedValueTypes) {
            throw JsonWriter.cannotSerialise("userdata", "type not supported");
        }
    }

    private static void checkDepth(int depth, CjsonConfig config) {
        if (depth > config.encodeMaxDepth) {
            throw JsonWriter.excessiveNesting(depth);
        }
    }

    private static final JsonReader.Builder TREE = new JsonReader.Builder() {
        @Override
        public Object newObject() {
            return new LinkedHashMap<String, Object>();
        }

        @Override
        @SuppressWarnings("unchecked")
        public void put(Object object, String key, Object value) {
            ((Map<String, Object>) object).put(key, value);
        }

        @Override
        public Object newArray() {
            return new ArrayList<>();
        }

        @Override
        @SuppressWarnings("unchecked")
        public void add(Object array, int index, Object value) {
            ((List<Object>) array).add(value);
        }

        @Override
        public Object string(String byteString) {
            return byteString;
        }

        @Override
        public Object number(double value) {
            return value;
        }

        @Override
        public Object bool(boolean value) {
            return value;
        }

        @Override
        public Object nullValue() {
            return NULL;
        }
    };
}
