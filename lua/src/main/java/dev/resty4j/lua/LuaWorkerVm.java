package dev.resty4j.lua;

import dev.resty4j.Location;
import dev.resty4j.Phase;
import dev.resty4j.core.engine.LimitExceededException;
import dev.resty4j.core.engine.ScriptLimits;
import dev.resty4j.core.engine.CompiledScript;
import dev.resty4j.core.engine.ScriptError;
import dev.resty4j.core.engine.WorkerVm;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.worker.Fiber;
import dev.resty4j.core.worker.Worker;
import dev.resty4j.lua.lib.AllocationLimits;
import dev.resty4j.lua.lib.Coroutines;
import dev.resty4j.lua.lib.ErrorLevels;
import dev.resty4j.lua.lib.Lua51Compat;
import dev.resty4j.lua.lib.NativeModules;
import dev.resty4j.lua.lib.NgxBaseLib;
import dev.resty4j.lua.lib.NgxHeaderLib;
import dev.resty4j.lua.lib.NgxLocationLib;
import dev.resty4j.lua.lib.NgxReLib;
import dev.resty4j.lua.lib.NgxReqLib;
import dev.resty4j.lua.lib.NgxSemaphoreLib;
import dev.resty4j.lua.lib.NgxSharedLib;
import dev.resty4j.lua.lib.NgxSocketLib;
import dev.resty4j.lua.lib.NgxThreadLib;
import dev.resty4j.lua.lib.NgxTimerLib;
import dev.resty4j.lua.lib.NgxVarLib;
import dev.resty4j.lua.lib.Requires;
import dev.resty4j.lua.lib.RestyModules;
import java.util.IdentityHashMap;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;

/**
 * One worker's Lua VM: its own LuaJ globals (the sandboxed standard library, LuaJIT/5.1 compatibility
 * functions, the {@code ngx} table and {@code require}), shared by every script of the worker as in an
 * nginx worker. Only the fiber holding the worker ever enters it.
 */
public final class LuaWorkerVm implements WorkerVm {

    /** Slot of {@code ngx.ctx} in {@link RequestContext#engineCtx(int)}. */
    public static final int CTX_SLOT = 0;

    private final Worker worker;
    private final Globals globals;
    private final LuaTable ngx;
    private final Map<Prototype, LuaClosure> closures = new IdentityHashMap<>();
    private final Coroutines coroutines;
    private Object[] phaseArgs;
    private final LuaHooks hooks;
    private final Map<Location, ScriptLimits> limitsByLocation = new IdentityHashMap<>();
    private ScriptLimits httpLimits;
    private Location lastLocation;
    private ScriptLimits lastLimits;

    LuaWorkerVm(Worker worker) {
        this.worker = worker;
        this.globals = new Globals();
        this.hooks = LuaHooks.install(globals);
        this.ngx = new LuaTable();
        Lua51Compat.install(this, globals);
        this.coroutines = Coroutines.install(this, globals);
        NgxBaseLib.install(this, ngx);
        NgxVarLib.install(this, ngx);
        NgxHeaderLib.install(this, ngx);
        NgxReqLib.install(this, ngx);
        NgxSharedLib.install(this, ngx);
        NgxLocationLib.install(this, ngx);
        NgxReLib.install(this, ngx);
        NgxSocketLib.install(this, ngx);
        NgxTimerLib.install(this, ngx);
        NgxThreadLib.install(this, ngx);
        globals.set("ngx", ngx);
        Requires.install(this, globals);
        LuaTable loaded = globals.get("package").get("loaded").checktable();
        loaded.set("ngx", ngx);
        // OpenResty preloads lua-resty-core; its functions are built in here, so the module is an empty marker.
        loaded.set("resty.core", new LuaTable());
        NativeModules.install(this, globals.get("package").get("preload").checktable());
        RestyModules.install(this, globals);
        NgxSemaphoreLib.install(this, globals);
        AllocationLimits.install(this, globals);
        ErrorLevels.install(this, globals);
    }

    public Worker worker() {
        return worker;
    }

    public Globals globals() {
        return globals;
    }

    public LuaTable ngx() {
        return ngx;
    }

    /** The request the running script serves (null in init and timer contexts). */
    public RequestContext request() {
        return worker.current();
    }

    /** {@code ngx.arg} values of the running phase (set_by_lua args, body_filter chunk and eof). */
    public Object[] phaseArgs() {
        return phaseArgs;
    }

    public Coroutines coroutines() {
        return coroutines;
    }

    /** {@code ngx.ctx} of the current request, created on first use. */
    public LuaTable ctx(RequestContext req) {
        Object ctx = req.engineCtx(CTX_SLOT);
        if (ctx == null) {
            LuaTable t = new LuaTable();
            req.engineCtx(CTX_SLOT, t);
            return t;
        }
        return (LuaTable) ctx;
    }

    @Override
    public String run(CompiledScript script, RequestContext req, Object[] args) {
        LuaScriptEngine.CompiledLua lua = (LuaScriptEngine.CompiledLua) script;
        LuaClosure fn = closures.get(lua.prototype());
        if (fn == null) {
            fn = new LuaClosure(lua.prototype(), globals);
            if (req.resty().settings().codeCache()) {
                closures.put(lua.prototype(), fn);
            }
        }
        Object[] savedArgs = phaseArgs;
        phaseArgs = args;
        try {
            Varargs r = runHandler(req, null, fn, LuaValue.NONE);
            if (r != null && req.phase() == Phase.SET) {
                LuaValue v = r.arg1();
                return v.isnil() ? "" : LuaValues.scalar(v);
            }
            return null;
        } finally {
            phaseArgs = savedArgs;
        }
    }

    /**
     * Runs a handler's Lua function (a phase script, a timer callback, a light thread's body) on a fresh call
     * stack under the budget of its location ({@link ScriptLimits}).
     *
     * @param what names the handler in budget errors when it is not the request's phase (e.g. "timer callback")
     * @return the function's results, or null when it ended with {@code ngx.exit} (or was killed)
     * @throws ScriptError for a runtime error, with Lua's message and traceback
     */
    public Varargs runHandler(RequestContext req, String what, LuaValue fn, Varargs args) {
        Object saved = hooks.enter(limits(req), req, what);
        try {
            return fn.invoke(args);
        } catch (LuaError e) {
            if (isExit(e)) {
                return null;
            }
            throw scriptError(e);
        } catch (LimitExceededException e) {
            throw new ScriptError(e.getMessage(), "");
        } catch (StackOverflowError e) {
            // the call-depth bound (LuaHooks.MAX_DEPTH) normally comes first; Java code in between can still overflow
            throw new ScriptError(where(req, what) + ": stack overflow", "");
        } finally {
            hooks.leave(saved);
        }
    }

    /** The limits of the request's location (cached per location: this runs for every phase). */
    private ScriptLimits limits(RequestContext req) {
        Location loc = req == null ? null : req.location();
        if (loc == lastLocation && lastLimits != null) {
            return lastLimits;
        }
        if (loc == null) {
            if (httpLimits == null) {
                httpLimits = ScriptLimits.of(worker.resty().settings(), null);
            }
            return httpLimits;
        }
        ScriptLimits l = limitsByLocation.get(loc);
        if (l == null) {
            l = ScriptLimits.of(worker.resty().settings(), loc);
            limitsByLocation.put(loc, l);
        }
        lastLocation = loc;
        lastLimits = l;
        return l;
    }

    static String where(RequestContext req, String what) {
        Phase phase = req == null ? null : req.phase();
        String handler = what != null ? what : phase == null ? "handler" : phase.phaseName() + "_by_lua";
        Location loc = req == null ? null : req.location();
        return loc == null ? handler : handler + " of location \"" + loc.path() + "\"";
    }

    public LuaHooks hooks() {
        return hooks;
    }

    /** The budget of the running handler (for the calls that allocate much), or null. */
    public ScriptBudget budget() {
        return hooks.budget();
    }

    /**
     * Converts a LuaJ error into the core's script error, with Lua's message text and, when it was raised in
     * this VM's Lua code, the traceback taken where it was raised.
     */
    public ScriptError scriptError(LuaError e) {
        ScriptError plain = plainScriptError(e);
        if (!plain.traceback().isEmpty()) {
            return plain;
        }
        Traceback t = hooks.tracebackOf(plain.getMessage());
        return t == null ? plain : new ScriptError(plain.getMessage(), t.render(), e);
    }

    /** Converts a LuaJ error into the core's script error, with Lua's message text (no traceback). */
    public static ScriptError plainScriptError(LuaError e) {
        LuaValue obj = e.getMessageObject();
        String msg;
        if (obj != null && !obj.isnil() && !obj.isstring()) {
            msg = obj.tojstring();
        } else {
            msg = e.getMessage();
        }
        if (msg == null) {
            msg = String.valueOf(e.getCause());
        }
        msg = luaPosition(msg);
        int tb = msg.indexOf("\nstack traceback:");
        String traceback = "";
        if (tb >= 0) {
            traceback = msg.substring(tb + 1);
            msg = msg.substring(0, tb);
        }
        return new ScriptError(msg, traceback, e);
    }

    private static final java.util.regex.Pattern LUAJ_POSITION = java.util.regex.Pattern.compile("^([^\\s]+:\\d+) ");

    /** LuaJ prints "chunk:3 message"; Lua and OpenResty print "chunk:3: message". */
    public static String luaPosition(String msg) {
        if (msg.startsWith("=") || msg.startsWith("@")) {
            msg = msg.substring(1); // LuaJ prints the raw chunk name; Lua strips the marker
        }
        java.util.regex.Matcher m = LUAJ_POSITION.matcher(msg);
        return m.lookingAt() ? m.group(1) + ": " + msg.substring(m.end()) : msg;
    }

    /** Unwinds the running script after ngx.exit/exec/redirect. */
    public static LuaError exit() {
        return LuaExit.INSTANCE;
    }

    /** True for the error that unwinds after ngx.exit or a kill of the thread (pcall must not catch it). */
    public static boolean isExit(Throwable t) {
        return t instanceof LuaExit || t instanceof Fiber.Killed
                || (t instanceof LuaError le && (le.getCause() instanceof LuaExit || le.getCause() instanceof Fiber.Killed));
    }

    /**
     * A fiber's own VM state is its phase arguments and its call stack (its running coroutine lives in the
     * fiber itself, see {@link Coroutines}).
     */
    @Override
    public Object suspendFiber() {
        return new FiberState(phaseArgs, hooks.suspend());
    }

    @Override
    public void resumeFiber(Object state) {
        FiberState s = (FiberState) state;
        phaseArgs = s.phaseArgs();
        hooks.resume(s.stack());
    }

    /** What a suspended fiber takes along: its phase arguments and its Lua call stack (with its budget). */
    private record FiberState(Object[] phaseArgs, Object stack) {}

    @Override
    public void close() {
        closures.clear();
    }
}
