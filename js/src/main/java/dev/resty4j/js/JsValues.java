package dev.resty4j.js;

import dev.resty4j.spi.NativeHandle;
import dev.resty4j.spi.NativeNull;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Value;

/**
 * Conversions between JavaScript values and the core's values. The core speaks byte strings (one char per
 * byte, ISO-8859-1, as Lua strings are bytes); JavaScript strings are Unicode, so text crosses the boundary
 * as UTF-8: a JS string becomes the byte string of its UTF-8 encoding, and a byte string that is valid
 * UTF-8 comes back decoded (binary results such as {@code ngx.md5_bin} keep one char per byte).
 */
public final class JsValues {

    private JsValues() {
    }

    /** A JS string as a core byte string (its UTF-8 bytes). */
    public static String toBytes(String js) {
        for (int i = 0; i < js.length(); i++) {
            if (js.charAt(i) >= 0x80) {
                return new String(js.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return js;
    }

    /** A core byte string as a JS string: UTF-8 decoded when valid, else one char per byte. */
    public static String fromBytes(String latin1) {
        if (latin1 == null) {
            return null;
        }
        for (int i = 0; i < latin1.length(); i++) {
            if (latin1.charAt(i) >= 0x80) {
                return fromBytes(latin1.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return latin1;
    }

    /** Raw bytes as a JS string: UTF-8 decoded when valid, else one char per byte. */
    public static String fromBytes(byte[] b) {
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(b, StandardCharsets.ISO_8859_1);
        }
    }

    /** Bytes as a JS string, one char per byte (binary results). */
    public static String binary(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** The bytes a JS value stands for: strings as UTF-8, numbers as printed by JS, null/undefined as empty. */
    public static byte[] bytesOf(Value v) {
        if (v == null || v.isNull()) {
            return new byte[0];
        }
        if (v.isString()) {
            return utf8(v.asString());
        }
        if (v.hasBufferElements()) {
            byte[] b = new byte[(int) v.getBufferSize()];
            for (int i = 0; i < b.length; i++) {
                b[i] = v.readBufferByte(i);
            }
            return b;
        }
        if (v.hasArrayElements()) {
            // a Uint8Array (binary results such as ngx.sha1_bin) or an array of byte values
            byte[] b = new byte[(int) v.getArraySize()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) v.getArrayElement(i).asInt();
            }
            return b;
        }
        return utf8(v.toString());
    }

    public static byte[] utf8(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8);
            }
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A scalar JS value as a core byte string, as {@code tostring} would print it; null for null/undefined. */
    public static String scalar(Value v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isString()) {
            return toBytes(v.asString());
        }
        if (v.isNumber() && v.fitsInLong()) {
            return Long.toString(v.asLong());
        }
        return toBytes(v.toString());
    }

    /** A JS string or array of strings as the list of values a header takes; null/undefined → empty. */
    public static List<String> stringList(Value v) {
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (v.hasArrayElements()) {
            List<String> l = new ArrayList<>((int) v.getArraySize());
            for (long i = 0; i < v.getArraySize(); i++) {
                l.add(scalar(v.getArrayElement(i)));
            }
            return l;
        }
        return List.of(scalar(v));
    }

    /** A JS value as a neutral SPI value (see {@link dev.resty4j.spi.NativeFunction}). */
    public static Object toNeutral(Value v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isString()) {
            return toBytes(v.asString());
        }
        if (v.isHostObject()) {
            return v.asHostObject(); // a NativeHandle handed out earlier
        }
        if (v.isProxyObject()) {
            return v.asProxyObject();
        }
        if (v.hasBufferElements() || "Uint8Array".equals(v.getMetaObject() == null ? null : v.getMetaObject().getMetaSimpleName())) {
            return bytesOf(v);
        }
        if (v.hasArrayElements()) {
            List<Object> l = new ArrayList<>((int) v.getArraySize());
            for (long i = 0; i < v.getArraySize(); i++) {
                l.add(toNeutral(v.getArrayElement(i)));
            }
            return l;
        }
        if (v.hasMembers() && !v.canExecute()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String k : v.getMemberKeys()) {
                m.put(toBytes(k), toNeutral(v.getMember(k)));
            }
            return m;
        }
        return v.toString();
    }

    /** A neutral SPI value as something the context converts to JS (strings decoded, tables as JS objects). */
    public static Object fromNeutral(JsWorkerVm vm, Object o) {
        if (o == null || o == NativeNull.NULL) {
            return null;
        }
        if (o instanceof String s) {
            return fromBytes(s);
        }
        if (o instanceof byte[] b) {
            return fromBytes(b);
        }
        if (o instanceof Long l && Math.abs(l) < (1L << 53)) {
            return l.doubleValue();
        }
        if (o instanceof Integer || o instanceof Double || o instanceof Boolean || o instanceof Long) {
            return o;
        }
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof List<?> l) {
            Value arr = vm.newArray();
            for (int i = 0; i < l.size(); i++) {
                arr.setArrayElement(i, fromNeutral(vm, l.get(i)));
            }
            return arr;
        }
        if (o instanceof Map<?, ?> m) {
            Value obj = vm.newObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object k = e.getKey();
                String key = k instanceof String s ? fromBytes(s) : k instanceof Double d && d == Math.floor(d)
                        ? Long.toString(d.longValue()) : String.valueOf(k);
                obj.putMember(key, fromNeutral(vm, e.getValue()));
            }
            return obj;
        }
        if (o instanceof NativeHandle || o instanceof io.vertx.core.Future<?>) {
            return o;
        }
        return o;
    }
}
