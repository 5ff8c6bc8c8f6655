package dev.resty4j.lua.lib;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** LuaJIT's {@code bit} module: 32-bit signed results, as LuaJIT returns them. */
final class BitLib {

    private BitLib() {
    }

    static LuaTable create() {
        LuaTable bit = new LuaTable();
        bit.set("tobit", new NgxFunction("tobit", a -> LuaValue.valueOf(tobit(a.arg1()))));
        bit.set("bnot", new NgxFunction("bnot", a -> LuaValue.valueOf(~tobit(a.arg1()))));
        bit.set("band", new NgxFunction("band", a -> fold(a, 0)));
        bit.set("bor", new NgxFunction("bor", a -> fold(a, 1)));
        bit.set("bxor", new NgxFunction("bxor", a -> fold(a, 2)));
        bit.set("lshift", new NgxFunction("lshift", a -> LuaValue.valueOf(tobit(a.arg1()) << (tobit(a.arg(2)) & 31))));
        bit.set("rshift", new NgxFunction("rshift", a -> LuaValue.valueOf(tobit(a.arg1()) >>> (tobit(a.arg(2)) & 31))));
        bit.set("arshift", new NgxFunction("arshift", a -> LuaValue.valueOf(tobit(a.arg1()) >> (tobit(a.arg(2)) & 31))));
        bit.set("rol", new NgxFunction("rol", a -> LuaValue.valueOf(Integer.rotateLeft(tobit(a.arg1()), tobit(a.arg(2)) & 31))));
        bit.set("ror", new NgxFunction("ror", a -> LuaValue.valueOf(Integer.rotateRight(tobit(a.arg1()), tobit(a.arg(2)) & 31))));
        bit.set("bswap", new NgxFunction("bswap", a -> LuaValue.valueOf(Integer.reverseBytes(tobit(a.arg1())))));
        bit.set("tohex", new NgxFunction("tohex", a -> {
            int x = tobit(a.arg1());
            int n = a.isnil(2) ? 8 : tobit(a.arg(2));
            boolean upper = n < 0;
            n = Math.min(Math.abs(n), 8);
            String s = String.format(upper ? "%08X" : "%08x", x);
            return LuaValue.valueOf(s.substring(8 - n));
        }));
        return bit;
    }

    /** LuaJIT's normalisation of a number to a signed 32-bit integer (modulo 2^32). */
    static int tobit(LuaValue v) {
        double d = v.checkdouble();
        return (int) (long) Math.floor(d % 4294967296.0 + (d < 0 ? 4294967296.0 : 0)) ;
    }

    private static LuaValue fold(Varargs a, int op) {
        int acc = tobit(a.arg1());
        for (int i = 2; i <= a.narg(); i++) {
            int x = tobit(a.arg(i));
            acc = switch (op) {
                case 0 -> acc & x;
                case 1 -> acc | x;
                default -> acc ^ x;
            };
        }
        return LuaValue.valueOf(acc);
    }
}
