package dev.resty4j.lua.lib;

import dev.resty4j.core.worker.Fiber;
import dev.resty4j.lua.LuaLimitError;
import dev.resty4j.lua.LuaWorkerVm;
import dev.resty4j.lua.PositionedError;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Lua's {@code coroutine} library on virtual threads. LuaJ runs each coroutine on a platform thread
 * (10,000 of them overload a machine); here each coroutine body runs on a virtual thread and control
 * passes between resumer and coroutine with a hand-off, so exactly one of them runs at a time and the
 * worker stays with the thread (fiber) that resumed it. A cosocket call inside a coroutine suspends that
 * fiber on the worker, as it does in OpenResty.
 *
 * <p>Each fiber (entry thread or light thread, see {@link Fiber}) has its own "current coroutine", kept in
 * the fiber's engine slot: fibers interleave at I/O, so it cannot be a VM-wide field. At the top of a fiber
 * the current coroutine is the fiber's {@link ScriptThread}; {@code coroutine.yield()} there gives the
 * request's other posted light threads a turn, as lua-nginx-module does.
 *
 * <p>{@code ngx.exit} inside a coroutine ends the request: the unwinding error is carried back to the
 * resumer and rethrown there.
 */
public final class Coroutines {

    /** The slot of the Lua state in {@link Fiber#engineSlot}. */
    static final int FIBER_SLOT = 0;

    private static final ThreadFactory THREADS = Thread.ofVirtual().name("resty4j-coroutine-", 0).factory();

    private final LuaWorkerVm vm;
    private final Globals globals;
    /** State used when code runs outside any fiber (not expected in practice). */
    private final FiberState outside = new FiberState();

    /** A fiber's Lua state. */
    static final class FiberState {
        /** The innermost running coroutine of the fiber: a user {@link Coroutine} or the fiber's own thread. */
        LuaThread current;
    }

    private Coroutines(LuaWorkerVm vm, Globals globals) {
        this.vm = vm;
        this.globals = globals;
    }

    public static Coroutines install(LuaWorkerVm vm, Globals g) {
        Coroutines c = new Coroutines(vm, g);
        LuaTable co = new LuaTable();
        co.set("create", new NgxFunction("create", a -> new Coroutine(c, a.checkfunction(1))));
        co.set("resume", new NgxFunction("resume", a -> {
            LuaValue t = a.arg1();
            if (t instanceof Coroutine cr) {
                return cr.resume(a.subargs(2));
            }
            if (t instanceof ScriptThread st) {
                return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("cannot resume " + st.getStatus() + " coroutine"));
            }
            throw new LuaError("bad argument #1 to 'resume' (coroutine expected)");
        }));
        co.set("yield", new NgxFunction("yield", c::yield));
        co.set("status", new NgxFunction("status", a -> {
            LuaValue t = a.arg1();
            if (!(t instanceof Coroutine) && !(t instanceof ScriptThread)) {
                throw new LuaError("bad argument #1 to 'status' (coroutine expected)");
            }
            return LuaValue.valueOf(((LuaThread) t).getStatus());
        }));
        co.set("running", new NgxFunction("running", a -> {
            LuaThread cur = c.state().current;
            return cur == null ? LuaValue.NIL : cur;
        }));
        co.set("isyieldable", new NgxFunction("isyieldable", a -> LuaValue.valueOf(c.state().current != null)));
        co.set("wrap", new NgxFunction("wrap", a -> {
            Coroutine cr = new Coroutine(c, a.checkfunction(1));
            return new NgxFunction("wrap", args -> {
                Varargs r = cr.resume(args);
                if (!r.arg1().toboolean()) {
                    LuaValue err = r.arg(2);
                    if (err.isstring()) {
                        c.vm.hooks().propagate(err.tojstring()); // the log shows where the coroutine failed
                    }
                    throw err.isstring() ? new PositionedError(err.tojstring()) : new LuaError(err);
                }
                return r.subargs(2);
            });
        }));
        g.set("coroutine", co);
        g.get("package").get("loaded").set("coroutine", co);
        return c;
    }

    Globals globals() {
        return globals;
    }

    /** The running coroutine of the current fiber (its entry or light thread at the top level). */
    public LuaValue running() {
        LuaThread cur = state().current;
        return cur == null ? LuaValue.NIL : cur;
    }

    /** The current coroutine of another fiber (for {@link ScriptThread#getStatus()}). */
    LuaThread currentOf(Fiber f) {
        Object s = f.engineSlot(FIBER_SLOT);
        return s == null ? null : ((FiberState) s).current;
    }

    /** Binds a light thread's Lua object to its fiber; called on the new fiber before its body runs. */
    void attach(Fiber f, ScriptThread thread) {
        FiberState st = new FiberState();
        st.current = thread;
        f.engineSlot(FIBER_SLOT, st);
    }

    /** The current fiber's state, created (with an entry-thread object) on first use in a handler. */
    FiberState state() {
        Fiber f = vm.worker().fiber();
        if (f == null) {
            return outside;
        }
        Object s = f.engineSlot(FIBER_SLOT);
        if (s == null) {
            FiberState st = new FiberState();
            st.current = new ScriptThread(this, f, null);
            f.engineSlot(FIBER_SLOT, st);
            return st;
        }
        return (FiberState) s;
    }

    /** True unless {@code co} is a coroutine or thread that can no longer run (for zombie detection). */
    static boolean alive(LuaValue co) {
        if (co instanceof Coroutine c) {
            return c.status != Coroutine.DEAD;
        }
        if (co instanceof ScriptThread t) {
            return t.alive();
        }
        return false;
    }

    private Varargs yield(Varargs values) {
        FiberState st = state();
        if (st.current instanceof Coroutine cr) {
            return cr.yieldFromInside(values);
        }
        // Yielding an entry or light thread: the request's posted threads run first (the values are dropped).
        Fiber f = vm.worker().fiber();
        if (f != null) {
            f.yieldThread();
        }
        return LuaValue.NONE;
    }

    /** A Lua coroutine whose body runs on a virtual thread. */
    static final class Coroutine extends LuaThread {
        private final Coroutines owner;
        private static final int SUSPENDED = 0;
        private static final int RUNNING = 1;
        private static final int NORMAL = 2;
        private static final int DEAD = 3;

        private final LuaValue body;
        private final Semaphore toCoroutine = new Semaphore(0);
        private final Semaphore toResumer = new Semaphore(0);
        private Thread thread;
        private volatile int status = SUSPENDED;
        private Varargs transfer = LuaValue.NONE;
        private boolean finishedOk;
        private RuntimeException exit;
        /** The Lua frames of this coroutine (see {@link dev.resty4j.lua.LuaHooks}). */
        private final Object frames;

        Coroutine(Coroutines owner, LuaValue body) {
            super(owner.globals);
            this.owner = owner;
            this.body = body;
            this.frames = owner.vm.hooks().newCoroutineStack();
        }

        String statusName() {
            return switch (status) {
                case SUSPENDED -> "suspended";
                case RUNNING -> "running";
                case NORMAL -> "normal";
                default -> "dead";
            };
        }

        @Override
        public String getStatus() {
            return statusName();
        }

        @Override
        public Varargs resume(Varargs args) {
            if (status != SUSPENDED) {
                // lua-nginx-module's wording: "cannot resume dead|running|normal coroutine"
                return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("cannot resume " + statusName() + " coroutine"));
            }
            FiberState st = owner.state();
            LuaThread resumer = st.current;
            if (resumer instanceof Coroutine rc) {
                rc.status = NORMAL;
            }
            st.current = this;
            status = RUNNING;
            transfer = args;
            Object resumerFrames = owner.vm.hooks().enterCoroutine(frames);
            if (thread == null) {
                thread = THREADS.newThread(this::runBody);
                thread.start();
            } else {
                toCoroutine.release();
            }
            toResumer.acquireUninterruptibly();
            owner.vm.hooks().leaveCoroutine(resumerFrames);
            st.current = resumer;
            if (resumer instanceof Coroutine rc) {
                rc.status = RUNNING;
            }
            if (exit != null) {
                RuntimeException e = exit;
                exit = null;
                throw e;
            }
            Varargs out = transfer;
            transfer = LuaValue.NONE;
            if (status == DEAD) {
                return finishedOk ? LuaValue.varargsOf(LuaValue.TRUE, out) : LuaValue.varargsOf(LuaValue.FALSE, out);
            }
            return LuaValue.varargsOf(LuaValue.TRUE, out);
        }

        Varargs yieldFromInside(Varargs values) {
            transfer = values;
            status = SUSPENDED;
            toResumer.release();
            toCoroutine.acquireUninterruptibly();
            Varargs in = transfer;
            transfer = LuaValue.NONE;
            return in;
        }

        private void runBody() {
            try {
                transfer = body.invoke(transfer);
                finishedOk = true;
            } catch (LuaError e) {
                if (LuaWorkerVm.isExit(e) || LuaLimitError.is(e)) {
                    exit = e; // re-raised in the resumer: ends the handler
                } else {
                    LuaValue m = e.getMessageObject();
                    if (m != null && m.isstring() && !m.isnumber()) {
                        m = LuaValue.valueOf(LuaWorkerVm.luaPosition(m.tojstring()));
                    }
                    transfer = m == null ? LuaValue.NIL : m;
                }
            } catch (StackOverflowError e) {
                transfer = LuaValue.valueOf("stack overflow");
            } catch (RuntimeException e) {
                exit = e;
            } finally {
                status = DEAD;
                toResumer.release();
            }
        }
    }
}
