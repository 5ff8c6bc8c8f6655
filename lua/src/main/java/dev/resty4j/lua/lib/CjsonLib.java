package dev.resty4j.lua.lib;

import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.json.CjsonConfig;
import dev.resty4j.core.json.JsonReader;
import dev.resty4j.core.json.JsonWriter;
import dev.resty4j.lua.LuaValues;
import java.util.function.Function;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code cjson} and {@code cjson.safe} (lua-cjson 2.1 as bundled with OpenResty). The JSON text itself is read
 * and written in core ({@link JsonReader}, {@link JsonWriter}); this class holds what is about Lua tables:
 * array detection (consecutive positive integer keys, the sparse-array rule, {@code cjson.array_mt},
 * {@code cjson.empty_array_mt}, {@code encode_empty_table_as_object}), the Lua type names in errors, the module's
 * configuration functions and their argument errors, and the protected variants of {@code cjson.safe}.
 */
public final class CjsonLib {

    /** {@code cjson.empty_array}: encodes as {@code []}; one value for every instance, as cjson's C static. */
    public static final LuaUserdata EMPTY_ARRAY = new LuaUserdata("cjson.empty_array");

    private static final String VERSION = "2.1.0.14";

    /**
     * What lua-cjson keeps per Lua VM rather than per instance: the two array metatables (registry entries) and
     * whether '/' is escaped (a C global that {@code encode_escape_forward_slash} changes for every instance).
     */
    public static final class VmState {
        final LuaTable arrayMt = new LuaTable();
        final LuaTable emptyArrayMt = new LuaTable();
        boolean escapeForwardSlash = true;
    }

    private CjsonLib() {
    }

    /** A fresh module table ({@code require "cjson"} / {@code "cjson.safe"}, {@code cjson.new()}). */
    public static LuaTable module(VmState vm, boolean safe) {
        CjsonConfig cfg = new CjsonConfig();
        LuaTable m = new LuaTable();
        m.set("encode", conversion("encode", safe, v -> LuaValues.lstr(encode(vm, cfg, v))));
        // Under cjson.safe the C function runs inside lua_pcall, where argument errors cannot name it.
        m.set("decode", conversion("decode", safe, v -> decode(vm, cfg, v, safe ? "?" : "decode")));
        m.set("new", new NgxFunction("new", a -> module(vm, safe)));

        m.set("encode_empty_table_as_object", option("encode_empty_table_as_object", 1, (a, f) ->
                LuaValue.valueOf(cfg.encodeEmptyTableAsObject = bool(a, 1, f, cfg.encodeEmptyTableAsObject))));
        m.set("decode_array_with_array_mt", option("decode_array_with_array_mt", 1, (a, f) ->
                LuaValue.valueOf(cfg.decodeArrayWithArrayMt = bool(a, 1, f, cfg.decodeArrayWithArrayMt))));
        m.set("encode_sparse_array", option("encode_sparse_array", 3, (a, f) -> {
            cfg.encodeSparseConvert = bool(a, 1, f, cfg.encodeSparseConvert);
            cfg.encodeSparseRatio = integer(a, 2, f, cfg.encodeSparseRatio, 0, Integer.MAX_VALUE);
            cfg.encodeSparseSafe = integer(a, 3, f, cfg.encodeSparseSafe, 0, Integer.MAX_VALUE);
            return LuaValue.varargsOf(LuaValue.valueOf(cfg.encodeSparseConvert), LuaValue.valueOf(cfg.encodeSparseRatio),
                    LuaValue.valueOf(cfg.encodeSparseSafe));
        }));
        m.set("encode_max_depth", option("encode_max_depth", 1, (a, f) ->
                LuaValue.valueOf(cfg.encodeMaxDepth = integer(a, 1, f, cfg.encodeMaxDepth, 1, Integer.MAX_VALUE))));
        m.set("decode_max_depth", option("decode_max_depth", 1, (a, f) ->
                LuaValue.valueOf(cfg.decodeMaxDepth = integer(a, 1, f, cfg.decodeMaxDepth, 1, Integer.MAX_VALUE))));
        m.set("encode_number_precision", option("encode_number_precision", 1, (a, f) ->
                LuaValue.valueOf(cfg.encodeNumberPrecision = integer(a, 1, f, cfg.encodeNumberPrecision, 1, 16))));
        m.set("encode_keep_buffer", option("encode_keep_buffer", 1, (a, f) ->
                LuaValue.valueOf(cfg.encodeKeepBuffer = bool(a, 1, f, cfg.encodeKeepBuffer))));
        m.set("encode_invalid_numbers", option("encode_invalid_numbers", 1, (a, f) -> {
            LuaValue v = a.arg(1);
            if (v.isboolean()) {
                cfg.encodeInvalidNumbers = v.toboolean() ? CjsonConfig.InvalidNumbers.ON : CjsonConfig.InvalidNumbers.OFF;
            } else if (!v.isnil()) {
                cfg.encodeInvalidNumbers = switch (checkOption(a, 1, f, "off", "on", "null")) {
                    case 0 -> CjsonConfig.InvalidNumbers.OFF;
                    case 1 -> CjsonConfig.InvalidNumbers.ON;
                    default -> CjsonConfig.InvalidNumbers.NULL;
                };
            }
            return switch (cfg.encodeInvalidNumbers) {
                case OFF -> LuaValue.FALSE;
                case ON -> LuaValue.TRUE;
                case NULL -> LuaValue.valueOf("null");
            };
        }));
        m.set("decode_invalid_numbers", option("decode_invalid_numbers", 1, (a, f) ->
                LuaValue.valueOf(cfg.decodeInvalidNumbers = bool(a, 1, f, cfg.decodeInvalidNumbers))));
        m.set("encode_escape_forward_slash", option("encode_escape_forward_slash", 1, (a, f) -> {
            cfg.encodeEscapeForwardSlash = bool(a, 1, f, cfg.encodeEscapeForwardSlash);
            vm.escapeForwardSlash = cfg.encodeEscapeForwardSlash;
            return LuaValue.valueOf(cfg.encodeEscapeForwardSlash);
        }));
        m.set("encode_skip_unsupported_value_types", option("encode_skip_unsupported_value_types", 1, (a, f) ->
                LuaValue.valueOf(cfg.encodeSkipUnsupportedValueTypes = bool(a, 1, f, cfg.encodeSkipUnsupportedValueTypes))));

        m.set("null", NgxBaseLib.NULL);
        m.set("empty_array", EMPTY_ARRAY);
        m.set("array_mt", vm.arrayMt);
        m.set("empty_array_mt", vm.emptyArrayMt);
        m.set("_NAME", "cjson");
        m.set("_VERSION", VERSION);
        return m;
    }

    // ---------------------------------------------------------------------------------------------------
    // encode

    /** {@code cjson.encode(value)} as a byte string. */
    static String encode(VmState vm, CjsonConfig cfg, LuaValue value) {
        try (JsonWriter w = new JsonWriter(cfg, vm.escapeForwardSlash)) {
            new Encoder(vm, cfg, w).value(value, 0);
            return w.result();
        }
    }

    private record Encoder(VmState vm, CjsonConfig cfg, JsonWriter w) {

        /** Functions, threads and userdata other than cjson.null / cjson.empty_array. */
        boolean unsupported(LuaValue v) {
            int t = v.type();
            return t == LuaValue.TFUNCTION || t == LuaValue.TTHREAD
                    || (t == LuaValue.TUSERDATA && v != NgxBaseLib.NULL && v != EMPTY_ARRAY)
                    || t == LuaValue.TLIGHTUSERDATA;
        }

        void value(LuaValue v, int depth) {
            switch (v.type()) {
                case LuaValue.TSTRING -> w.string(LuaValues.str(v));
                case LuaValue.TNUMBER -> w.number(v.todouble());
                case LuaValue.TBOOLEAN -> w.bool(v.toboolean());
                case LuaValue.TNIL -> w.nullValue();
                case LuaValue.TTABLE -> table((LuaTable) v, depth + 1);
                default -> {
                    if (v == NgxBaseLib.NULL) {
                        w.nullValue();
                    } else if (v == EMPTY_ARRAY) {
                        w.startArray();
                        w.endArray();
                    } else if (!cfg.encodeSkipUnsupportedValueTypes) {
                        throw JsonWriter.cannotSerialise(v.typename(), "type not supported");
                    }
                }
            }
        }

        void table(LuaTable t, int depth) {
            if (depth > cfg.encodeMaxDepth) {
                throw JsonWriter.excessiveNesting(depth);
            }
            LuaValue mt = t.getmetatable();
            if (mt != null && (mt == vm.arrayMt || !mt.rawget("__len").isnil())) {
                array(t, t.rawlen(), depth);
                return;
            }
            long len = arrayLength(t);
            if (len > 0 || (len == 0 && !cfg.encodeEmptyTableAsObject)) {
                array(t, len, depth);
            } else if (mt == vm.emptyArrayMt) {
                array(t, 0, depth);
            } else {
                object(t, depth);
            }
        }

        /** cjson's {@code lua_array_length}: max index when every key is a positive integer, else -1. */
        long arrayLength(LuaTable t) {
            double max = 0;
            long items = 0;
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = t.next(k);
                k = n.arg1();
                if (k.isnil()) {
                    break;
                }
                if (k.type() != LuaValue.TNUMBER) {
                    return -1;
                }
                double d = k.todouble();
                if (d < 1 || Math.floor(d) != d) {
                    return -1;
                }
                max = Math.max(max, d);
                items++;
            }
            return switch (cfg.sparseVerdict(max, items)) {
                case ARRAY -> (long) max;
                case OBJECT -> -1;
                case ERROR -> throw JsonWriter.cannotSerialise("table", "excessively sparse array");
            };
        }

        void array(LuaTable t, long len, int depth) {
            w.startArray();
            for (long i = 1; i <= len; i++) {
                LuaValue v = i <= Integer.MAX_VALUE ? t.rawget((int) i) : t.rawget(LuaValue.valueOf((double) i));
                if (!(cfg.encodeSkipUnsupportedValueTypes && unsupported(v))) {
                    value(v, depth);
                }
            }
            w.endArray();
        }

        void object(LuaTable t, int depth) {
            w.startObject();
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = t.next(k);
                k = n.arg1();
                if (k.isnil()) {
                    break;
                }
                LuaValue v = n.arg(2);
                int kt = k.type();
                if (kt != LuaValue.TNUMBER && kt != LuaValue.TSTRING) {
                    throw JsonWriter.cannotSerialise(k.typename(), "table key must be a number or string");
                }
                if (cfg.encodeSkipUnsupportedValueTypes && unsupported(v)) {
                    continue;
                }
                if (kt == LuaValue.TNUMBER) {
                    w.key(k.todouble());
                } else {
                    w.key(LuaValues.str(k));
                }
                value(v, depth);
            }
            w.endObject();
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // decode

    /** {@code cjson.decode(text)}: strings and numbers (as their text) are accepted, as luaL_checklstring does. */
    static LuaValue decode(VmState vm, CjsonConfig cfg, LuaValue text, String fname) {
        int t = text.type();
        if (t != LuaValue.TSTRING && t != LuaValue.TNUMBER) {
            throw new NgxApiException("bad argument #1 to '" + fname + "' (string expected, got "
                    + (text.isnil() ? "nil" : text.typename()) + ")");
        }
        LuaString s = t == LuaValue.TSTRING ? (LuaString) text : LuaValue.valueOf(LuaValues.number(text.todouble()));
        return (LuaValue) JsonReader.decode(s.m_bytes, s.m_offset, s.m_length, cfg, new TableBuilder(vm, cfg));
    }

    /** Builds Lua tables directly; JSON null is {@code cjson.null} (= {@code ngx.null}). */
    private record TableBuilder(VmState vm, CjsonConfig cfg) implements JsonReader.Builder {
        @Override
        public Object newObject() {
            return new LuaTable();
        }

        @Override
        public void put(Object object, String key, Object value) {
            ((LuaTable) object).rawset(LuaValues.lstr(key), (LuaValue) value);
        }

        @Override
        public Object newArray() {
            LuaTable t = new LuaTable();
            if (cfg.decodeArrayWithArrayMt) {
                t.setmetatable(vm.arrayMt);
            }
            return t;
        }

        @Override
        public void add(Object array, int index, Object value) {
            ((LuaTable) array).rawset(index, (LuaValue) value);
        }

        @Override
        public Object string(String byteString) {
            return LuaValues.lstr(byteString);
        }

        @Override
        public Object number(double value) {
            return LuaValue.valueOf(value);
        }

        @Override
        public Object bool(boolean value) {
            return LuaValue.valueOf(value);
        }

        @Override
        public Object nullValue() {
            return NgxBaseLib.NULL;
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // argument handling as lua-cjson's C functions do it

    /**
     * {@code encode}/{@code decode}: exactly one argument, else an error even under cjson.safe; with
     * {@code safe} ({@code json_protect_conversion}) any other error becomes {@code nil, message}, the message
     * without position as it is raised under a C-level pcall.
     */
    private static NgxFunction conversion(String fname, boolean safe, Function<LuaValue, LuaValue> body) {
        return new NgxFunction(fname, a -> {
            if (a.narg() != 1) {
                throw new NgxApiException("bad argument #1 to '" + fname + "' (expected 1 argument)");
            }
            if (!safe) {
                return body.apply(a.arg1());
            }
            try {
                return body.apply(a.arg1());
            } catch (NgxApiException e) {
                return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(e.getMessage()));
            }
        });
    }

    private interface Option {
        Varargs apply(Varargs args, String fname);
    }

    /** A configuration function: at most {@code nargs} arguments ({@code json_arg_init}). */
    private static NgxFunction option(String fname, int nargs, Option body) {
        return new NgxFunction(fname, a -> {
            if (a.narg() > nargs) {
                throw new NgxApiException("bad argument #" + (nargs + 1) + " to '" + fname + "' (found too many arguments)");
            }
            return body.apply(a, fname);
        });
    }

    /** {@code json_enum_option} with on/off: a boolean, or "on"/"off"; returns the (new) setting as a Lua boolean. */
    private static boolean bool(Varargs a, int i, String fname, boolean current) {
        LuaValue v = a.arg(i);
        if (v.isnil()) {
            return current;
        }
        if (v.isboolean()) {
            return v.toboolean();
        }
        return checkOption(a, i, fname, "off", "on") == 1;
    }

    private static int checkOption(Varargs a, int i, String fname, String... options) {
        LuaValue v = a.arg(i);
        if (!v.isstring()) {
            throw new NgxApiException("bad argument #" + i + " to '" + fname + "' (string expected, got " + v.typename() + ")");
        }
        String s = v.tojstring();
        for (int k = 0; k < options.length; k++) {
            if (options[k].equals(s)) {
                return k;
            }
        }
        throw new NgxApiException("bad argument #" + i + " to '" + fname + "' (invalid option '" + s + "')");
    }

    /** {@code json_integer_option}: the range error names argument #1 whatever the position, as cjson does. */
    private static int integer(Varargs a, int i, String fname, int current, int min, int max) {
        LuaValue v = a.arg(i);
        if (v.isnil()) {
            return current;
        }
        if (!v.isnumber()) {
            throw new NgxApiException("bad argument #" + i + " to '" + fname + "' (number expected, got " + v.typename() + ")");
        }
        double d = v.todouble();
        long value = (long) d;
        if (value < min || value > max) {
            throw new NgxApiException("bad argument #1 to '" + fname + "' (expected integer between " + min + " and " + max + ")");
        }
        return (int) value;
    }
}
