package dev.resty4j.lua;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;
import org.luaj.vm2.lib.OneArgFunction;

/**
 * The VM hooks resty4j needs, and nothing more: LuaJ calls {@code onCall}/{@code onInstruction}/{@code onReturn}
 * only when {@link Globals#debuglib} is set, and its full {@link DebugLib} (per-thread call stacks with
 * locks, hook dispatch) made the access-phase benchmark 2-4x slower. This subclass keeps a flat array of
 * (closure, pc) per Lua thread of execution, which gives:
 * <ul>
 *   <li>the script position of {@code ngx.log}/{@code print} ({@code content_by_lua(nginx.conf:12):3: f(): });</li>
 *   <li>tracebacks in lua-nginx-module's layout for the error log, taken where the error was raised;</li>
 *   <li>a bounded call depth ({@code stack overflow}, as Lua says, instead of a {@link StackOverflowError});</li>
 *   <li>the budget check ({@link ScriptBudget#tick}) every {@link #CHECK_INTERVAL} instructions.</li>
 * </ul>
 *
 * <p>Fibers of a worker interleave on one VM, and each coroutine runs on its own thread, so the hooks
 * always work on "the running stack", which is switched at every hand-over: {@link #suspend}/{@link #resume}
 * when a fiber stops and runs again, {@link #enter}/{@link #leave} around a handler run,
 * {@link #enterCoroutine}/{@link #leaveCoroutine} around a coroutine's turn.
 */
public final class LuaHooks extends DebugLib {

    /** Instructions between two budget checks: the check reads the clock, so not on every instruction. */
    static final int CHECK_INTERVAL = 4096;
    /**
     * Lua frames per stack: each costs a few Java frames, and a virtual thread's stack must keep room for the
     * Java code scripts call (cjson, ngx.re, metamethods) at the deepest level.
     */
    static final int MAX_DEPTH = 200;

    /** The Lua frames of one thread of execution (an entry or light thread, a coroutine). */
    static final class CallStack {
        LuaClosure[] fns = new LuaClosure[16];
        int[] pcs = new int[16];
        int top = -1;
        /** The stack that resumed this coroutine's stack (null for an entry or light thread). */
        CallStack resumer;
        /** The budget the code on this stack runs under (null: none). */
        ScriptBudget budget;
        /** For a handler's stack: its own budget, and the stack that ran before it (see {@link #enter}). */
        ScriptBudget own;
        CallStack previous;

        CallStack(ScriptBudget budget) {
            this.budget = budget;
        }
    }

    private CallStack stack = new CallStack(null);
    private LuaClosure[] fns = stack.fns;
    private int[] pcs = stack.pcs;
    private int top = -1;
    private ScriptBudget budget;
    private int countdown = CHECK_INTERVAL;
    /**
     * Handler stacks kept for reuse. A stack is in use while its request waits for I/O, so under load a worker
     * has one per request in flight: 8 kept meant a new stack (and budget) for most handler runs at 50
     * concurrent requests; 256 cover that for about 60 KB per worker.
     */
    private final CallStack[] pool = new CallStack[256];
    private int pooled;
    /** The traceback of the last error raised in Lua code (see {@link #install}). */
    private Traceback lastError;
    /** Set while a coroutine boundary re-raises an error: the original traceback stays. */
    private Traceback propagating;

    /**
     * Installs the hooks on a VM. LuaJ builds a traceback only through the thread's error function (or the
     * full DebugLib); the error function here records the traceback aside and leaves the message as it is,
     * so {@code pcall} still returns Lua's plain message.
     */
    static LuaHooks install(Globals globals) {
        LuaHooks hooks = new LuaHooks();
        globals.debuglib = hooks;
        globals.running.errorfunc = new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue msg) {
                hooks.recordError(msg.tojstring());
                return msg;
            }
        };
        return hooks;
    }

    // ------------------------------------------------------------------ LuaJ's hook calls (hot path)

    @Override
    public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
        int t = top + 1;
        if (t >= fns.length) {
            grow(t);
        }
        fns[t] = c;
        pcs[t] = 0;
        top = t;
    }

    @Override
    public void onCall(LuaFunction f) {
        // Java functions that announce themselves (LuaJ's own pcall): a frame without closure, popped by onReturn
        int t = top + 1;
        if (t >= fns.length) {
            grow(t);
        }
        fns[t] = null;
        top = t;
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        pcs[this.top] = pc;
        if (--countdown == 0) {
            countdown = CHECK_INTERVAL;
            ScriptBudget b = budget;
            if (b != null) {
                try {
                    b.tick(CHECK_INTERVAL);
                } catch (LuaLimitError e) {
                    countdown = 1; // from now on every instruction re-raises it: the script cannot go on
                    throw e;
                }
            }
        }
    }

    @Override
    public void onReturn() {
        if (top >= 0) {
            top--;
        }
    }

    @Override
    public String traceback(int level) {
        // only reached when a thread has no error function; the traceback is kept aside, never in the message
        return "";
    }

    private void grow(int t) {
        if (t >= MAX_DEPTH) {
            throw new LuaError("stack overflow");
        }
        int n = Math.min(MAX_DEPTH, fns.length * 2);
        fns = java.util.Arrays.copyOf(fns, n);
        pcs = java.util.Arrays.copyOf(pcs, n);
        stack.fns = fns;
        stack.pcs = pcs;
    }

    // ------------------------------------------------------------------ switching stacks

    private CallStack save() {
        stack.top = top;
        return stack;
    }

    private void use(CallStack s) {
        stack = s;
        fns = s.fns;
        pcs = s.pcs;
        top = s.top;
        budget = s.budget;
    }

    /**
     * A handler run starts: a fresh stack with its budget; returns the token for {@link #leave}. Handler stacks
     * (and their budgets) are reused: this runs for every phase of every request.
     */
    Object enter(dev.resty4j.core.engine.ScriptLimits limits, dev.resty4j.core.request.RequestContext req, String what) {
        CallStack previous = save();
        CallStack s = pooled > 0 ? pool[--pooled] : new CallStack(null);
        if (s.own == null) {
            s.own = new ScriptBudget();
        }
        s.own.start(limits, req, what);
        s.budget = s.own;
        s.top = -1;
        s.resumer = null;
        s.previous = previous;
        use(s);
        return s;
    }

    /** The handler run is over: back to the stack that ran before. */
    void leave(Object token) {
        CallStack s = (CallStack) token;
        use(s.previous);
        s.previous = null;
        s.own.end();
        if (pooled < pool.length) {
            pool[pooled++] = s;
        }
    }

    /** The fiber stops (I/O, sleep, hand-off): its stack goes with it and its budget clock stops. */
    Object suspend() {
        CallStack s = save();
        if (s.budget != null) {
            s.budget.pause();
        }
        return s;
    }

    void resume(Object state) {
        CallStack s = (CallStack) state;
        use(s);
        if (s.budget != null) {
            s.budget.resume();
        }
    }

    /** A new coroutine's stack. */
    public Object newCoroutineStack() {
        return new CallStack(null);
    }

    /** The resumer hands over to a coroutine; returns the resumer's stack for {@link #leaveCoroutine}. */
    public Object enterCoroutine(Object coroutineStack) {
        CallStack co = (CallStack) coroutineStack;
        CallStack resumer = save();
        co.resumer = resumer;
        co.budget = resumer.budget;
        use(co);
        return resumer;
    }

    /** The coroutine yielded or ended: back to the resumer's stack. */
    public void leaveCoroutine(Object resumerStack) {
        save();
        use((CallStack) resumerStack);
    }

    /** The budget of the running handler, or null. */
    public ScriptBudget budget() {
        return budget;
    }

    // ------------------------------------------------------------------ positions and tracebacks

    /**
     * Where the running Lua code is, as {@code ngx.log} prints it: {@code content_by_lua(nginx.conf:12):3}, with
     * {@code : f()} added inside a named function; null outside Lua code.
     */
    public String position() {
        if (top < 0 || fns[top] == null) {
            return null;
        }
        Prototype p = fns[top].p;
        String where = p.shortsource() + ":" + Traceback.line(p, pcs[top]);
        if (p.linedefined != 0 && top > 0 && fns[top - 1] != null) {
            String name = Traceback.calledName(fns[top - 1].p, pcs[top - 1]);
            if (name != null) {
                return where + ": " + name + "()";
            }
        }
        return where;
    }

    /**
     * The position ({@code chunk:line}) of the Lua frame {@code up} levels below the running one, as Lua's
     * {@code error(msg, level)} reports it; null when that frame is not Lua code.
     */
    public String positionBelow(int up) {
        int i = top - up;
        if (i < 0 || i > top || fns[i] == null) {
            return null;
        }
        Prototype p = fns[i].p;
        return p.shortsource() + ":" + Traceback.line(p, pcs[i]);
    }

    private void recordError(String message) {
        if (propagating != null) {
            lastError = propagating.withMessage(LuaWorkerVm.luaPosition(message));
            propagating = null;
            return;
        }
        stack.top = top;
        lastError = Traceback.capture(stack, message);
    }

    /** The traceback of the error with this message (Lua's "chunk:3: msg" form), if it is the last one raised. */
    Traceback tracebackOf(String message) {
        Traceback t = lastError;
        return t != null && t.message().equals(message) ? t : null;
    }

    /**
     * A coroutine boundary is about to re-raise the error a coroutine died of: its traceback (taken in the
     * coroutine, with the resumers below it) is the one to report.
     */
    public void propagate(String message) {
        Traceback t = lastError;
        propagating = t != null && t.message().equals(message) ? t : null;
    }

    /** The traceback of the last error raised, for a coroutine that just died of it. */
    public String lastErrorMessage() {
        Traceback t = lastError;
        return t == null ? null : t.message();
    }
}
