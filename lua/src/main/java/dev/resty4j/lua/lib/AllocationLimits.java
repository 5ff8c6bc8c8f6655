package dev.resty4j.lua.lib;

import dev.resty4j.lua.LuaWorkerVm;
import dev.resty4j.lua.ScriptBudget;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The memory budget ({@code lua_memory_budget}) at the calls that can allocate much in one go:
 * {@code string.rep} and {@code table.concat} are charged with the size of their result before it is built
 * (so {@code string.rep("x", 2^31)} fails with a budget error instead of an {@link OutOfMemoryError}), and
 * {@code ngx.re.sub}/{@code gsub} with the size of theirs. {@code ngx.say}/{@code ngx.print} charge their
 * bytes themselves ({@link NgxBaseLib}). A {@code ..} in a loop is not hooked (it costs too much to check
 * every concatenation); the time budget stops such loops.
 */
public final class AllocationLimits {

    /** What a number takes in a concatenation, at most ({@code %.14g}). */
    private static final int NUMBER_BYTES = 24;

    private AllocationLimits() {
    }

    public static void install(LuaWorkerVm vm, Globals g) {
        LuaTable string = g.get("string").checktable();
        LuaValue rep = string.get("rep");
        string.set("rep", new NgxFunction("rep", a -> {
            ScriptBudget b = vm.budget();
            if (b != null) {
                long n = (long) a.optdouble(2, 0);
                if (n > 0) {
                    long len = a.checkstring(1).length();
                    long sep = a.isnil(3) ? 0 : a.checkstring(3).length();
                    b.charge(saturated(len, n) + saturated(sep, n - 1));
                }
            }
            if (!a.isnil(3) && a.optdouble(2, 0) >= 1) {
                return repWithSeparator(a.checkstring(1), (int) a.checkdouble(2), a.checkstring(3));
            }
            return rep.invoke(a);
        }));
        LuaTable table = g.get("table").checktable();
        LuaValue concat = table.get("concat");
        table.set("concat", new NgxFunction("concat", a -> {
            ScriptBudget b = vm.budget();
            if (b != null && a.istable(1)) {
                b.charge(concatSize(a));
            }
            return concat.invoke(a);
        }));
        LuaTable re = vm.ngx().get("re").checktable();
        for (String name : new String[] {"sub", "gsub"}) {
            LuaValue fn = re.get(name);
            re.set(name, new NgxFunction(name, a -> {
                Varargs r = fn.invoke(a);
                ScriptBudget b = vm.budget();
                if (b != null && r.arg1().isstring()) {
                    b.charge(r.arg1().checkstring().length());
                }
                return r;
            }));
        }
    }

    /** The size {@code table.concat(t, sep, i, j)} will have (approximate for numbers, exact for strings). */
    private static long concatSize(Varargs a) {
        LuaTable t = a.checktable(1);
        long sep = a.isnil(2) ? 0 : a.checkstring(2).length();
        long i = (long) a.optdouble(3, 1);
        long j = a.isnil(4) ? t.length() : (long) a.checkdouble(4);
        long size = 0;
        for (long k = i; k <= j; k++) {
            LuaValue v = k > Integer.MAX_VALUE ? LuaValue.NIL : t.get((int) k);
            if (v.isnil()) {
                break; // concat raises its own error for it
            }
            size += v instanceof LuaString s ? s.length() : NUMBER_BYTES;
            if (k < j) {
                size += sep;
            }
        }
        return size;
    }

    /** {@code string.rep(s, n, sep)}: LuaJIT takes a separator (as Lua 5.2 does), LuaJ's rep ignores it. */
    private static LuaValue repWithSeparator(LuaString s, int n, LuaString sep) {
        long size = (long) s.length() * n + (long) sep.length() * (n - 1);
        if (size > Integer.MAX_VALUE - 8) {
            throw new org.luaj.vm2.LuaError("resulting string too large");
        }
        byte[] out = new byte[(int) size];
        int at = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sep.copyInto(0, out, at, sep.length());
                at += sep.length();
            }
            s.copyInto(0, out, at, s.length());
            at += s.length();
        }
        return LuaString.valueUsing(out);
    }

    private static long saturated(long a, long b) {
        if (a <= 0 || b <= 0) {
            return 0;
        }
        return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
}
