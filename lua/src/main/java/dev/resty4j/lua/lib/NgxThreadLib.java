package dev.resty4j.lua.lib;

import dev.resty4j.core.api.ClientAbort;
import dev.resty4j.core.api.Contexts;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.engine.ScriptError;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.worker.Fiber;
import dev.resty4j.lua.LuaWorkerVm;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code ngx.thread.spawn}, {@code ngx.thread.wait} and {@code ngx.thread.kill}: lua-nginx-module's light
 * threads; and {@code ngx.on_abort}, whose callback is one ({@link ClientAbort}). The scheduling rules live in the core ({@link Fiber}); this class checks arguments, produces
 * OpenResty's results and error strings, and runs the Lua function as the thread's body.
 */
public final class NgxThreadLib {

    /** "chunk:line: " at the start of an error message. */
    private static final Pattern POSITION = Pattern.compile("^[^\\s:]+(?:\\([^)]*\\))?:\\d+: ");

    private NgxThreadLib() {
    }

    public static void install(LuaWorkerVm vm, LuaTable ngx) {
        Coroutines coroutines = vm.coroutines();
        LuaTable t = new LuaTable();
        t.set("spawn", new NgxFunction("spawn", a -> spawn(vm, coroutines, a)));
        t.set("wait", new NgxFunction("wait", a -> waitAny(vm, coroutines, a)));
        t.set("kill", new NgxFunction("kill", a -> kill(vm, coroutines, a)));
        ngx.set("thread", t);
        ngx.set("on_abort", new NgxFunction("on_abort", a -> {
            LuaValue fn = a.checkfunction(1);
            String err = ClientAbort.register(vm.request(), fn);
            return err == null ? LuaValue.valueOf(1) : LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(err));
        }));
    }

    private static Varargs spawn(LuaWorkerVm vm, Coroutines coroutines, Varargs a) {
        LuaValue fn = a.checkfunction(1);
        Varargs args = a.subargs(2);
        Fiber self = current(vm);
        Fiber child = self.newLightThread("lua");
        ScriptThread thread = new ScriptThread(coroutines, child, coroutines.running());
        child.start(f -> {
            coroutines.attach(f, thread);
            Varargs r = vm.runHandler(vm.request(), "light thread", fn, args);
            return r == null ? LuaValue.NONE : r;
        });
        return thread;
    }

    private static Varargs waitAny(LuaWorkerVm vm, Coroutines coroutines, Varargs a) {
        Fiber self = current(vm);
        int n = a.narg();
        if (n == 0) {
            throw new NgxApiException("at least one coroutine should be specified");
        }
        LuaValue me = coroutines.running();
        List<Fiber> running = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            ScriptThread t = lightThread(a, i, "wait");
            if (t.parent() != me) {
                throw new NgxApiException("only the parent coroutine can wait on the thread");
            }
            Fiber f = t.fiber();
            if (f.isCollected()) {
                if (i < n) {
                    continue; // lua-nginx-module ignores a dead thread unless it is the last argument
                }
                return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("already waited or killed"));
            }
            if (f.isFinished()) {
                f.collect();
                return results(f);
            }
            running.add(f);
        }
        return results(self.waitAny(running));
    }

    private static Varargs kill(LuaWorkerVm vm, Coroutines coroutines, Varargs a) {
        current(vm);
        LuaValue v = a.arg1();
        if (!(v instanceof LuaThread)) {
            throw new NgxApiException("bad argument #1 to 'kill' (coroutine expected)");
        }
        if (!(v instanceof ScriptThread t) || !t.isLightThread()) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("not user thread"));
        }
        if (t.parent() != coroutines.running()) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("killer not parent"));
        }
        Fiber f = t.fiber();
        if (f.isCollected()) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("already waited or killed"));
        }
        if (f.isFinished()) {
            f.collect();
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("already terminated"));
        }
        f.kill();
        return LuaValue.valueOf(1);
    }

    /** A finished thread's results for {@code wait}: {@code true, values...} or {@code false, err}. */
    private static Varargs results(Fiber f) {
        ScriptError failure = f.failure();
        if (failure != null) {
            return LuaValue.varargsOf(LuaValue.FALSE, errorValue(failure));
        }
        Object r = f.result();
        return LuaValue.varargsOf(LuaValue.TRUE, r instanceof Varargs v ? v : LuaValue.NONE);
    }

    /**
     * The error value {@code wait} hands back: what the thread passed to {@code error()}, without the
     * "chunk:line: " position Lua adds (which only the error log shows), as in OpenResty.
     */
    private static LuaValue errorValue(ScriptError failure) {
        if (failure.getCause() instanceof LuaError le) {
            LuaValue obj = le.getMessageObject();
            if (obj != null && !obj.isstring()) {
                return obj;
            }
        }
        return LuaValue.valueOf(POSITION.matcher(failure.getMessage()).replaceFirst(""));
    }

    private static ScriptThread lightThread(Varargs a, int i, String fn) {
        LuaValue v = a.arg(i);
        if (!(v instanceof LuaThread)) {
            throw new NgxApiException("bad argument #" + i + " to '" + fn + "' (lua thread expected)");
        }
        if (!(v instanceof ScriptThread t) || !t.isLightThread()) {
            throw new NgxApiException("attempt to " + fn + " on a coroutine that is not a user thread");
        }
        return t;
    }

    /** The running fiber, in a context where light threads are allowed. */
    private static Fiber current(LuaWorkerVm vm) {
        RequestContext req = vm.request();
        Fiber f = vm.worker().fiber();
        if (req == null || f == null) {
            throw new NgxApiException("no request found");
        }
        Contexts.check(req, Contexts.YIELDABLE);
        return f;
    }
}
