package dev.resty4j.lua.lib;

import dev.resty4j.lua.LuaWorkerVm;
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
 * worker's permit stays with the request throughout. A cosocket call inside a coroutine suspends the whole
 * request on the worker, as it does in OpenResty.
 *
 * <p>{@code ngx.exit} inside a coroutine ends the request: the unwinding error is carried back to the
 * resumer and rethrown there.
 */
public final class Coroutines {

    private static final ThreadFactory THREADS = Thread.ofVirtual().name("resty4j-coroutine-", 0).factory();

    private final LuaWorkerVm vm;
    private final Globals globals;
    private Coroutine current;

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
            if (!(t instanceof Coroutine cr)) {
                throw new LuaError("bad argument #1 to 'resume' (coroutine expected)");
            }
            return cr.resume(a.subargs(2));
        }));
        co.set("yield", new NgxFunction("yield", c::yield));
        co.set("status", new NgxFunction("status", a -> {
            LuaValue t = a.arg1();
            if (!(t instanceof Coroutine cr)) {
                throw new LuaError("bad argument #1 to 'status' (coroutine expected)");
            }
            return LuaValue.valueOf(cr.statusName());
        }));
        co.set("running", new NgxFunction("running", a -> c.current == null ? LuaValue.NIL : c.current));
        co.set("isyieldable", new NgxFunction("isyieldable", a -> LuaValue.valueOf(c.current != null)));
        co.set("wrap", new NgxFunction("wrap", a -> {
            Coroutine cr = new Coroutine(c, a.checkfunction(1));
            return new NgxFunction("wrap", args -> {
                Varargs r = cr.resume(args);
                if (!r.arg1().toboolean()) {
                    LuaValue err = r.arg(2);
                    throw err.isstring() ? new LuaError(err.tojstring(), 0) : new LuaError(err);
                }
                return r.subargs(2);
            });
        }));
        g.set("coroutine", co);
        g.get("package").get("loaded").set("coroutine", co);
        return c;
    }

    /** Takes the running coroutine off the VM while its fiber waits; see {@link LuaWorkerVm#suspendFiber}. */
    public Object suspendCurrent() {
        Coroutine c = current;
        current = null;
        return c;
    }

    public void resumeCurrent(Object c) {
        current = (Coroutine) c;
    }

    private Varargs yield(Varargs values) {
        Coroutine cr = current;
        if (cr == null) {
            // Yielding from the request's entry thread gives other requests a turn, as it does in OpenResty.
            vm.worker().yieldWorker();
            return LuaValue.NONE;
        }
        return cr.yieldFromInside(values);
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
        private Coroutine resumer;

        Coroutine(Coroutines owner, LuaValue body) {
            super(owner.globals);
            this.owner = owner;
            this.body = body;
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
            if (status == DEAD) {
                return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("cannot resume dead coroutine"));
            }
            if (status != SUSPENDED) {
                return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("cannot resume " + statusName() + " coroutine"));
            }
            resumer = owner.current;
            if (resumer != null) {
                resumer.status = NORMAL;
            }
            owner.current = this;
            status = RUNNING;
            transfer = args;
            if (thread == null) {
                thread = THREADS.newThread(this::runBody);
                thread.start();
            } else {
                toCoroutine.release();
            }
            toResumer.acquireUninterruptibly();
            owner.current = resumer;
            if (resumer != null) {
                resumer.status = RUNNING;
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
                if (LuaWorkerVm.isExit(e)) {
                    exit = e;
                } else {
                    LuaValue m = e.getMessageObject();
                    transfer = m == null ? LuaValue.NIL
                            : m.isstring() && !m.isnumber() ? LuaValue.valueOf(LuaWorkerVm.luaPosition(m.tojstring())) : m;
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
