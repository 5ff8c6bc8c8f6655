package dev.resty4j.lua.lib;

import dev.resty4j.Phase;
import dev.resty4j.core.api.Contexts;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.engine.ScriptError;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.timer.Timers;
import dev.resty4j.lua.LuaWorkerVm;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code ngx.timer.at}, {@code ngx.timer.every}, {@code ngx.timer.running_count} and
 * {@code ngx.timer.pending_count}. The timers themselves are the core's ({@link Timers}); this class
 * checks arguments as lua-nginx-module does and wraps the Lua callback.
 */
public final class NgxTimerLib {

    private NgxTimerLib() {
    }

    public static void install(LuaWorkerVm vm, LuaTable ngx) {
        LuaTable t = new LuaTable();
        t.set("at", new NgxFunction("at", a -> create(vm, a, false)));
        t.set("every", new NgxFunction("every", a -> create(vm, a, true)));
        t.set("running_count", new NgxFunction("running_count", a -> {
            requireRequest(vm);
            return LuaValue.valueOf(vm.worker().timers().runningCount());
        }));
        t.set("pending_count", new NgxFunction("pending_count", a -> {
            requireRequest(vm);
            return LuaValue.valueOf(vm.worker().timers().pendingCount());
        }));
        ngx.set("timer", t);
    }

    private static Varargs create(LuaWorkerVm vm, Varargs a, boolean every) {
        String fn = every ? "every" : "at";
        if (a.narg() < 2) {
            throw new NgxApiException("expecting at least 2 arguments but got " + a.narg());
        }
        double delay = a.checkdouble(1);
        if (!(a.arg(2) instanceof LuaClosure callback)) {
            throw new NgxApiException("bad argument #2 to '" + fn + "' (Lua function expected)");
        }
        RequestContext req = requireRequest(vm);
        if (req.phase() == Phase.EXIT_WORKER) {
            throw Contexts.disabled(req.phase());
        }
        // copied: LuaJ may pass arguments as a view on the caller's stack, which is reused after the call
        LuaValue[] args = new LuaValue[Math.max(0, a.narg() - 2)];
        for (int i = 0; i < args.length; i++) {
            args[i] = a.arg(i + 3);
        }
        LuaTimer timer = new LuaTimer(vm, callback, LuaValue.varargsOf(args));
        Timers timers = vm.worker().timers();
        String err = every ? timers.every(delay, timer) : timers.at(delay, timer);
        return err == null ? LuaValue.valueOf(1) : LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(err));
    }

    /** The timer APIs need a request context: every phase has one, init_by_lua has none ("no request"). */
    private static RequestContext requireRequest(LuaWorkerVm vm) {
        RequestContext req = vm.request();
        if (req == null || req.phase() == null || req.phase() == Phase.INIT) {
            throw new NgxApiException("no request");
        }
        return req;
    }

    /** A Lua function and its user arguments, called with {@code premature} first. */
    private record LuaTimer(LuaWorkerVm vm, LuaClosure callback, Varargs args) implements Timers.Callback {

        @Override
        public void run(RequestContext ctx, boolean premature) {
            vm.runHandler(ctx, "timer callback", callback, LuaValue.varargsOf(LuaValue.valueOf(premature), args));
        }

        @Override
        public String definedAt() {
            String source = callback.p.source.tojstring();
            boolean marked = source.startsWith("=") || source.startsWith("@");
            return (marked ? "" : "=") + source + ":" + callback.p.linedefined;
        }

        @Override
        public String language() {
            return "lua";
        }
    }
}
