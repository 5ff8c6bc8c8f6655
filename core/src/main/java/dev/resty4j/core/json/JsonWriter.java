package dev.resty4j.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import dev.resty4j.core.api.ArgsCodec;
import dev.resty4j.core.api.NgxApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Writes one JSON text the way lua-cjson's {@code encode} does, on Jackson's streaming generator: strings are
 * byte strings written byte for byte (no UTF-8 validation, bytes 0x80-0xFF unescaped) with cjson's escapes
 * ({@code \b \t \n \f \r}, other control bytes and DEL as lowercase {@code \\u00XX}, {@code \"}, {@code \\}, and
 * {@code \/} unless forward-slash escaping is off); numbers as C's {@code %.Ng} with the configured precision
 * (14 by default, so integers print without ".0"); NaN and ±Infinity as {@link CjsonConfig#encodeInvalidNumbers}
 * says.
 *
 * <p>The caller drives the structure (engines walk their own values and decide array vs object); the result is
 * a byte string (one char per byte). Not thread-safe; one writer per encode call. Every I/O exception is
 * unexpected (the target is in memory; Jackson only declares them).
 */
public final class JsonWriter implements AutoCloseable {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            // Requests run on short-lived virtual threads: a thread-local buffer pool would allocate per request.
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .build();
    /** {@code %.Ng} for N = 1..16 (cjson's range), ties to even as the C library's printf rounds. */
    private static final MathContext[] PRECISION = new MathContext[17];

    static {
        for (int i = 1; i < PRECISION.length; i++) {
            PRECISION[i] = new MathContext(i, RoundingMode.HALF_EVEN);
        }
    }

    private static final CharacterEscapes ESCAPE_SLASH = new CjsonEscapes(true);
    private static final CharacterEscapes KEEP_SLASH = new CjsonEscapes(false);

    private final CjsonConfig config;
    private final StringBuilderWriter out = new StringBuilderWriter();
    private final JsonGenerator gen;

    /**
     * @param escapeForwardSlash whether '/' is written as {@code \/} (lua-cjson's process-wide
     *        {@code encode_escape_forward_slash} setting, on by default)
     */
    public JsonWriter(CjsonConfig config, boolean escapeForwardSlash) {
        this.config = config;
        try {
            gen = FACTORY.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        gen.setCharacterEscapes(escapeForwardSlash ? ESCAPE_SLASH : KEEP_SLASH);
    }

    /** lua-cjson's error for a value it cannot encode: "Cannot serialise TYPE: REASON". */
    public static NgxApiException cannotSerialise(String typeName, String reason) {
        return new NgxApiException("Cannot serialise " + typeName + ": " + reason);
    }

    /** lua-cjson's error when tables nest deeper than {@code encode_max_depth}. */
    public static NgxApiException excessiveNesting(int depth) {
        return new NgxApiException("Cannot serialise, excessive nesting (" + depth + ")");
    }

    public void startArray() {
        try {
            gen.writeStartArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void endArray() {
        try {
            gen.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void startObject() {
        try {
            gen.writeStartObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void endObject() {
        try {
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An object key given as a byte string. */
    public void key(String byteString) {
        try {
            gen.writeFieldName(byteString);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An object key given as a number: cjson writes the number (same format and checks as values) in quotes. */
    public void key(double number) {
        String text = numberText(number);
        try {
            gen.writeFieldName(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A string value given as a byte string. */
    public void string(String byteString) {
        try {
            gen.writeString(byteString);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void number(double d) {
        String text = numberText(d);
        try {
            gen.writeNumber(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void bool(boolean b) {
        try {
            gen.writeBoolean(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void nullValue() {
        try {
            gen.writeNull();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends the text and returns it as a byte string; empty when nothing was written. */
    public String result() {
        close();
        return out.toString();
    }

    /** Releases the generator's buffers (also after a failed encode). Idempotent. */
    @Override
    public void close() {
        try {
            gen.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String numberText(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            switch (config.encodeInvalidNumbers) {
                case OFF -> throw cannotSerialise("number", "must not be NaN or Infinity");
                case ON -> {
                    return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
                }
                case NULL -> {
                    return "null";
                }
            }
        }
        return ArgsCodec.formatNumber(d, PRECISION[config.encodeNumberPrecision]);
    }

    /** cjson's escape table (its {@code char2escape}); everything else, including bytes 0x80-0xFF, is raw. */
    private static final class CjsonEscapes extends CharacterEscapes {
        private final int[] codes = new int[128];
        private final SerializableString[] sequences = new SerializableString[128];

        CjsonEscapes(boolean escapeSlash) {
            for (int c = 0; c < 0x20; c++) {
                String seq = switch (c) {
                    case '\b' -> "\\b";
                    case '\t' -> "\\t";
                    case '\n' -> "\\n";
                    case '\f' -> "\\f";
                    case '\r' -> "\\r";
                    default -> String.format("\\u%04x", c);
                };
                set(c, seq);
            }
            set('"', "\\\"");
            set('\\', "\\\\");
            set(0x7f, "\\u007f");
            if (escapeSlash) {
                set('/', "\\/");
            }
        }

        private void set(int c, String seq) {
            codes[c] = ESCAPE_CUSTOM;
            sequences[c] = new SerializedString(seq);
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return codes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch < 128 ? sequences[ch] : null;
        }
    }

    /** An unsynchronized in-memory writer (StringWriter locks a StringBuffer on every write). */
    private static final class StringBuilderWriter extends Writer {
        private final StringBuilder sb = new StringBuilder(128);

        @Override
        public void write(char[] cbuf, int off, int len) {
            sb.append(cbuf, off, len);
        }

        @Override
        public void write(String str, int off, int len) {
            sb.append(str, off, off + len);
        }

        @Override
        public void write(int c) {
            sb.append((char) c);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }
}
