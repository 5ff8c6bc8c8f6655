package dev.resty4j.lua.lib;

import dev.resty4j.core.api.Logging;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.lua.LuaValues;
import dev.resty4j.lua.LuaLimitError;
import dev.resty4j.lua.LuaWorkerVm;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.UpValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseMathLib;
import org.luaj.vm2.lib.jse.JseOsLib;

/**
 * The standard library as OpenResty scripts expect it: LuaJ's Lua 5.2 libraries made to look like
 * LuaJIT/5.1 ({@code unpack}, {@code loadstring}, {@code setfenv}/{@code getfenv}, {@code table.new},
 * {@code table.clear}, {@code bit}, {@code %.14g} numbers in {@code tostring}), and sandboxed: no {@code io},
 * no {@code os.execute}/{@code exit}/{@code remove}/{@code rename}, no {@code dofile}/{@code loadfile}, no
 * bytecode loading, no Java interop, of {@code debug} only {@code traceback}, {@code os.getenv} only for
 * variables declared with {@code env NAME} (nginx clears the others from its workers' environment).
 * {@code lua_sandbox off} gives back the whole LuaJ library; {@code os.getenv} stays nginx's.
 */
public final class Lua51Compat {

    private Lua51Compat() {
    }

    public static void install(LuaWorkerVm vm, Globals g) {
        g.load(new BaseLib());
        g.load(new PackageLib());
        g.load(new StringLib());
        g.load(new TableLib());
        g.load(new JseMathLib());
        g.load(new JseOsLib());
        LuaC.install(g); // text chunks only: no undumper, so binary chunks are refused
        boolean sandbox = vm.worker() == null || vm.worker().resty().settings().sandbox();
        LuaTable os = g.get("os").checktable();
        if (sandbox) {
            g.set("dofile", LuaValue.NIL);
            g.set("loadfile", LuaValue.NIL);
            g.set("io", LuaValue.NIL);
            g.set("luajava", LuaValue.NIL);
            g.get("package").set("loadlib", LuaValue.NIL);
            for (String unsafe : new String[] {"execute", "exit", "remove", "rename", "tmpname", "setlocale"}) {
                os.set(unsafe, LuaValue.NIL);
            }
            // xpcall(f, debug.traceback) is common in OpenResty code; the rest of debug (getupvalue, setlocal,
            // sethook, getregistry, ...) reaches into other code's state, so only traceback exists.
            LuaTable debug = new LuaTable();
            debug.set("traceback", new NgxFunction("traceback", a -> {
                LuaValue msg = a.arg1();
                if (!msg.isnil() && !msg.isstring()) {
                    return msg;
                }
                String head = msg.isnil() ? "" : LuaValues.str(msg) + "\n";
                return LuaValue.valueOf(head + "stack traceback:\n\t[C]: in function 'traceback'");
            }));
            g.set("debug", debug);
            g.get("package").get("loaded").set("debug", debug);
        } else {
            // lua_sandbox off: the whole LuaJ standard library, bytecode loading included
            g.load(new org.luaj.vm2.lib.jse.JseIoLib());
            g.load(new org.luaj.vm2.lib.jse.LuajavaLib());
            // the VM's own DebugLib (LuaHooks: budgets, error positions) serves the debug table: a fresh
            // DebugLib would replace it as the globals' hook and switch the budgets off
            g.load(g.debuglib != null ? g.debuglib : new org.luaj.vm2.lib.DebugLib());
            org.luaj.vm2.LoadState.install(g);
        }
        os.set("getenv", new NgxFunction("getenv", a -> {
            String v = vm.worker().resty().settings().getenv(a.checkjstring(1));
            return v == null ? LuaValue.NIL : LuaValue.valueOf(v);
        }));

        LuaTable table = g.get("table").checktable();
        g.set("unpack", table.get("unpack"));
        LuaValue load = new NgxFunction("load", a -> load(g, a, sandbox));
        g.set("load", load);
        g.set("loadstring", load);
        table.set("getn", new NgxFunction("getn", a -> LuaValue.valueOf(a.checktable(1).length())));
        table.set("maxn", new NgxFunction("maxn", a -> {
            LuaTable t = a.checktable(1);
            double max = 0;
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = t.next(k);
                k = n.arg1();
                if (k.isnil()) {
                    break;
                }
                if (k.isnumber() && k.todouble() > max) {
                    max = k.todouble();
                }
            }
            return LuaValue.valueOf(max);
        }));
        table.set("new", new NgxFunction("new", a -> new LuaTable(Math.max(0, a.optint(1, 0)), Math.max(0, a.optint(2, 0)))));
        table.set("clear", new NgxFunction("clear", a -> {
            LuaTable t = a.checktable(1);
            LuaValue k;
            while (!(k = t.next(LuaValue.NIL).arg1()).isnil()) {
                t.rawset(k, LuaValue.NIL);
            }
            return LuaValue.NONE;
        }));
        LuaTable math = g.get("math").checktable();
        math.set("mod", math.get("fmod"));
        math.set("log10", new NgxFunction("log10", a -> LuaValue.valueOf(Math.log10(a.checkdouble(1)))));
        LuaTable string = g.get("string").checktable();
        string.set("gfind", string.get("gmatch"));

        g.set("tostring", new NgxFunction("tostring", a -> {
            LuaValue v = a.checkvalue(1);
            LuaValue mt = v.getmetatable();
            if (mt != null && !mt.get("__tostring").isnil()) {
                return mt.get("__tostring").call(v);
            }
            return LuaValues.tostring(v);
        }));
        g.set("pcall", new NgxFunction("pcall", a -> protectedCall(a.checkvalue(1), a.subargs(2), null)));
        g.set("xpcall", new NgxFunction("xpcall", a -> protectedCall(a.checkvalue(1), a.subargs(3), a.checkvalue(2))));
        g.set("print", new NgxFunction("print", a -> {
            if (!Logging.enabled(vm.request(), vm.worker().resty(), LogLevel.NOTICE.code())) {
                return LuaValue.NONE;
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= a.narg(); i++) {
                LuaValue v = a.arg(i);
                sb.append(v.isstring() && !v.isnumber() ? LuaValues.str(v)
                        : v == NgxBaseLib.NULL ? "null" : LuaValues.tostring(v).tojstring());
            }
            Logging.log(vm.worker().resty(), vm.request(), LogLevel.NOTICE.code(), NgxBaseLib.logPosition(vm), sb.toString());
            return LuaValue.NONE;
        }));
        g.set("getfenv", new NgxFunction("getfenv", a -> {
            LuaValue f = a.arg1();
            if (f instanceof LuaClosure c) {
                int i = envIndex(c);
                return i >= 0 ? c.upValues[i].getValue() : g;
            }
            return g;
        }));
        g.set("setfenv", new NgxFunction("setfenv", a -> {
            LuaValue f = a.arg1();
            LuaTable env = a.checktable(2);
            if (f instanceof LuaClosure c) {
                int i = envIndex(c);
                if (i >= 0) {
                    c.upValues[i] = new UpValue(new LuaValue[] {env}, 0);
                }
                return c;
            }
            throw new NgxApiException("setfenv: only Lua functions are supported");
        }));
        // collectgarbage: the JVM collects on its own; a script's "collect" must not stall every worker with
        // System.gc(). "count" reports the heap in use, in KB, as Lua does for its own heap.
        g.set("collectgarbage", new NgxFunction("collectgarbage", a -> {
            String opt = a.optjstring(1, "collect");
            if (opt.equals("count")) {
                Runtime rt = Runtime.getRuntime();
                double kb = (rt.totalMemory() - rt.freeMemory()) / 1024.0;
                return LuaValue.varargsOf(LuaValue.valueOf(kb), LuaValue.valueOf(0));
            }
            return LuaValue.valueOf(0);
        }));
        g.set("bit", BitLib.create());
        g.get("package").get("loaded").set("bit", g.get("bit"));
    }

    /**
     * {@code load}/{@code loadstring} for text chunks only (binary chunks are refused: the sandbox has no
     * undumper): a string or a reader function, an optional chunk name and environment. Returns the
     * function, or nil and the syntax error, as Lua does.
     */
    private static Varargs load(Globals g, Varargs a, boolean sandbox) {
        LuaValue chunk = a.arg1();
        byte[] source;
        if (chunk.isstring()) {
            source = LuaValues.bytes(chunk);
        } else if (chunk.isfunction()) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            while (true) {
                LuaValue piece = chunk.call();
                if (piece.isnil() || piece.isstring() && piece.checkstring().length() == 0) {
                    break;
                }
                out.writeBytes(LuaValues.bytes(piece));
            }
            source = out.toByteArray();
        } else {
            throw new LuaError("bad argument #1 to 'load' (string expected, got " + chunk.typename() + ")");
        }
        if (source.length > 0 && source[0] == 0x1b) {
            if (!sandbox) {
                try {
                    return g.load(new java.io.ByteArrayInputStream(source), a.optjstring(2, "=(load)"), "b",
                            a.isnil(4) ? g : a.arg(4));
                } catch (LuaError e) {
                    return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(e.getMessage()));
                }
            }
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("attempt to load a binary chunk"));
        }
        String name = a.isnil(2) ? "=[string \"" + firstLine(source) + "\"]" : a.checkjstring(2);
        try {
            org.luaj.vm2.Prototype p = LuaC.instance.compile(new java.io.ByteArrayInputStream(source), name);
            LuaValue env = a.isnil(4) ? g : a.arg(4);
            // made over the globals (so LuaJ runs the VM hooks: budgets, positions), then given its environment
            LuaClosure f = new LuaClosure(p, g);
            if (env != g && f.upValues.length > 0) {
                f.upValues[0] = new UpValue(new LuaValue[] {env}, 0);
            }
            return f;
        } catch (LuaError e) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(LuaWorkerVm.luaPosition(e.getMessage())));
        } catch (java.io.IOException e) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(e.getMessage()));
        }
    }

    private static String firstLine(byte[] source) {
        String s = new String(source, java.nio.charset.StandardCharsets.ISO_8859_1);
        int nl = s.indexOf('\n');
        String line = nl >= 0 ? s.substring(0, nl) + "..." : s;
        return line.length() > 60 ? line.substring(0, 57) + "..." : line;
    }

    private static int envIndex(LuaClosure c) {
        for (int i = 0; i < c.p.upvalues.length; i++) {
            if (c.p.upvalues[i].name != null && "_ENV".equals(c.p.upvalues[i].name.tojstring())) {
                return i;
            }
        }
        return -1;
    }

    /** pcall/xpcall that let ngx.exit's unwinding through, as OpenResty's yielding exit does. */
    private static Varargs protectedCall(LuaValue f, Varargs args, LuaValue handler) {
        try {
            return LuaValue.varargsOf(LuaValue.TRUE, f.invoke(args));
        } catch (LuaError e) {
            if (LuaWorkerVm.isExit(e) || LuaLimitError.is(e)) {
                throw e; // ngx.exit unwinds, and a script past its budget must not go on
            }
            LuaValue msg = errorValue(e);
            return LuaValue.varargsOf(LuaValue.FALSE, handler == null ? msg : handler.call(msg));
        } catch (StackOverflowError e) {
            LuaValue msg = LuaValue.valueOf("stack overflow");
            return LuaValue.varargsOf(LuaValue.FALSE, handler == null ? msg : handler.call(msg));
        }
    }

    private static LuaValue errorValue(LuaError e) {
        LuaValue v = e.getMessageObject();
        if (v != null && v.isstring() && !v.isnumber()) {
            return LuaValue.valueOf(LuaWorkerVm.luaPosition(v.tojstring()));
        }
        return v == null ? LuaValue.NIL : v;
    }
}
