package dev.resty4j.lua;

import dev.resty4j.core.api.NgxApiException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Conversions between Lua values and the core's Java values. Lua strings are bytes; the core's byte strings
 * are Latin-1 Java strings, so the conversion is one byte per char, both ways, without loss.
 */
public final class LuaValues {

    private LuaValues() {
    }

    /** A core byte string as a Lua string. */
    public static LuaString lstr(String latin1) {
        return LuaString.valueUsing(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A Lua string (or number) as a core byte string. */
    public static String str(LuaValue v) {
        LuaString s = v.checkstring();
        return new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.ISO_8859_1);
    }

    /** The bytes of a Lua string (copied). */
    public static byte[] bytes(LuaValue v) {
        LuaString s = v.checkstring();
        byte[] b = new byte[s.m_length];
        System.arraycopy(s.m_bytes, s.m_offset, b, 0, s.m_length);
        return b;
    }

    public static LuaString lbytes(byte[] b) {
        return LuaString.valueUsing(b);
    }

    /** Lua 5.1 / LuaJIT's {@code tostring} of a number ({@code %.14g}). */
    public static String number(double d) {
        if (d == (long) d && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        String s = String.format(Locale.ROOT, "%.14g", d);
        // %g in Java never strips zeros; C's does.
        int e = s.indexOf('e');
        String mant = e >= 0 ? s.substring(0, e) : s;
        String exp = e >= 0 ? s.substring(e) : "";
        if (mant.indexOf('.') >= 0) {
            mant = mant.replaceAll("0+$", "");
            if (mant.endsWith(".")) {
                mant = mant.substring(0, mant.length() - 1);
            }
        }
        if (!exp.isEmpty()) {
            // C prints at least two exponent digits: e+20, e-05.
            char sign = exp.charAt(1);
            String digits = exp.substring(2).replaceFirst("^0+(?=\\d\\d)", "");
            exp = "e" + sign + digits;
        }
        return mant + exp;
    }

    /** {@code tostring} with Lua 5.1 number formatting. */
    public static LuaValue tostring(LuaValue v) {
        return switch (v.type()) {
            case LuaValue.TNUMBER -> LuaValue.valueOf(number(v.todouble()));
            case LuaValue.TSTRING -> v;
            case LuaValue.TTABLE, LuaValue.TFUNCTION, LuaValue.TUSERDATA, LuaValue.TTHREAD -> {
                // LuaJIT prints addresses as "table: 0x…"; LuaJ prints "table: 1b2c3d".
                String s = v.tojstring();
                int colon = s.indexOf(": ");
                yield LuaValue.valueOf(colon > 0 && !s.startsWith("0x", colon + 2) ? s.substring(0, colon + 2) + "0x" + s.substring(colon + 2) : s);
            }
            default -> LuaValue.valueOf(v.tojstring());
        };
    }

    /**
     * Flattens {@code ngx.say}/{@code ngx.print} arguments as OpenResty does: strings, numbers, booleans,
     * nil, {@code ngx.null} ("null") and array tables, recursively.
     */
    public static void flatten(LuaValue v, ByteArrayOutputStream out, String fn, int argIndex, LuaValue ngxNull) {
        switch (v.type()) {
            case LuaValue.TSTRING -> {
                LuaString s = (LuaString) v.checkstring();
                out.write(s.m_bytes, s.m_offset, s.m_length);
            }
            case LuaValue.TNUMBER -> out.writeBytes(number(v.todouble()).getBytes(StandardCharsets.ISO_8859_1));
            case LuaValue.TNIL -> out.writeBytes("nil".getBytes(StandardCharsets.ISO_8859_1));
            case LuaValue.TBOOLEAN -> out.writeBytes((v.toboolean() ? "true" : "false").getBytes(StandardCharsets.ISO_8859_1));
            case LuaValue.TTABLE -> {
                // An array table may have holes (printed as "nil"); any other key is an error, as in OpenResty.
                LuaTable t = (LuaTable) v;
                int n = 0;
                LuaValue k = LuaValue.NIL;
                while (true) {
                    var next = t.next(k);
                    k = next.arg1();
                    if (k.isnil()) {
                        break;
                    }
                    if (!k.isinttype() || k.toint() < 1) {
                        throw new NgxApiException("bad argument #" + argIndex + " to '" + fn + "' (non-array table found)");
                    }
                    n = Math.max(n, k.toint());
                }
                for (int i = 1; i <= n; i++) {
                    flatten(t.get(i), out, fn, argIndex, ngxNull);
                }
            }
            case LuaValue.TLIGHTUSERDATA, LuaValue.TUSERDATA -> {
                if (v == ngxNull) {
                    out.writeBytes("null".getBytes(StandardCharsets.ISO_8859_1));
                } else {
                    throw new NgxApiException("bad argument #" + argIndex + " to '" + fn + "' (string, number, boolean, nil, ngx.null, or array table expected, got userdata)");
                }
            }
            default -> throw new NgxApiException("bad argument #" + argIndex + " to '" + fn
                    + "' (string, number, boolean, nil, ngx.null, or array table expected, got " + v.typename() + ")");
        }
    }

    /** A Lua value as a list of byte strings (a string or an array table of strings), for header values. */
    public static List<String> stringList(LuaValue v) {
        List<String> out = new ArrayList<>();
        if (v.istable()) {
            LuaTable t = v.checktable();
            for (int i = 1, n = t.length(); i <= n; i++) {
                out.add(scalar(t.get(i)));
            }
        } else {
            out.add(scalar(v));
        }
        return out;
    }

    /** A string, number or boolean as its byte-string form. */
    public static String scalar(LuaValue v) {
        return switch (v.type()) {
            case LuaValue.TNUMBER -> number(v.todouble());
            case LuaValue.TBOOLEAN -> v.toboolean() ? "true" : "false";
            default -> str(v);
        };
    }
}
