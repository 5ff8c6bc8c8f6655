package dev.resty4j.core.worker;

import dev.resty4j.core.engine.ScriptError;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.request.RequestContext;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * One thread of script execution on a worker, as lua-nginx-module schedules them: the <em>entry thread</em> of
 * a phase handler or timer callback, or a <em>light thread</em> started with {@code ngx.thread.spawn}. An
 * entry thread and the light threads started under it form a <em>group</em> (lua-nginx-module's request
 * context), and the group's rules are implemented here, engine-neutrally:
 * <ul>
 *   <li>{@link #spawn spawn} runs the child at once, until it finishes or first stops (I/O, a yield), then
 *       the parent continues: the parent is <em>posted</em> (queued in the group) and the child runs;</li>
 *   <li>whenever the running fiber of a group stops, the worker goes to the group's next posted fiber if
 *       there is one, else back to the worker's fair queue; a fiber whose I/O completed queues there;</li>
 *   <li>{@link #waitAny ngx.thread.wait} suspends the parent until one of its children finishes; that child
 *       hands the worker straight back to it;</li>
 *   <li>the entry's handler is over only when every light thread has finished ({@link #endGroup}); an error
 *       in the entry thread, or {@code ngx.exit}/{@code ngx.exec} in any thread, kills the others;</li>
 *   <li>a light thread's error is logged ({@code lua user thread aborted: ...}) and kills nobody.</li>
 * </ul>
 *
 * <p><b>How control moves.</b> Every fiber runs on its own virtual thread (a user coroutine resumed inside a
 * fiber runs on yet another one, but within the fiber). Exactly one fiber of a worker runs at a time: the one
 * holding the worker's permit. A fiber that stops either hands the permit directly to another fiber of its
 * group (releasing that fiber's {@link #handoff} semaphore, without the permit ever becoming free), or
 * releases the permit. So the group's ordering is exact, and other requests interleave only when the whole
 * group waits for I/O, as in nginx.
 *
 * <p><b>Killing.</b> A killed fiber is never resumed into script code: at its next resumption point it throws
 * {@link Killed}, which engines turn into the same unwinding as {@code ngx.exit} (pcall does not catch it).
 * Killing only marks the fiber and makes sure it will get the worker again to unwind: a fiber parked on I/O
 * is unparked, a fiber waiting on its children is posted.
 *
 * <p>All state is confined to the fiber holding the worker (the permit and the hand-off semaphores order the
 * accesses), except {@link #killed} and {@link #parked}, which a kill reads across threads.
 */
public final class Fiber {

    /** Thrown at a killed fiber's resumption point; engines unwind it like {@code ngx.exit}. */
    public static final class Killed extends RuntimeException {
        static final Killed INSTANCE = new Killed();

        private Killed() {
            super("thread killed", null, false, false);
        }
    }

    /** The script body of a light thread: returns the thread's results, or throws {@link ScriptError}. */
    @FunctionalInterface
    public interface Body {
        Object run(Fiber self);
    }

    private enum State {
        /** Holds the worker. */
        RUNNING,
        /** In its group's posted queue: resumes when the group's running fiber stops. */
        POSTED,
        /** Blocked on its hand-off until a child (or, for the entry, the last light thread) finishes. */
        WAITING,
        /** Waiting for I/O or for the worker's permit. */
        SUSPENDED,
        /** Finished. */
        DONE
    }

    private final Worker worker;
    /** The group's entry fiber (this one for an entry). */
    private final Fiber entry;
    /** The request a light thread serves (entries take whatever the worker's current request is). */
    private final RequestContext request;
    private final String language;
    private final Semaphore handoff = new Semaphore(0);
    private final Object[] engineSlots = new Object[2];
    private State state = State.RUNNING;
    private volatile boolean killed;
    /** The Java thread parked on I/O for this fiber (the fiber's own, or a user coroutine's). */
    private volatile Thread parked;
    private boolean finished;
    private boolean collected;
    private Object result;
    private ScriptError failure;
    private Fiber waiter;

    // ---- group state, used on the entry only
    private final ArrayDeque<Fiber> posted;
    private final Set<Fiber> threads;
    private boolean draining;
    private long generation;

    /** An entry fiber (see {@link Worker#spawn}). */
    Fiber(Worker worker) {
        this.worker = worker;
        this.entry = this;
        this.request = null;
        this.language = null;
        this.posted = new ArrayDeque<>();
        this.threads = new LinkedHashSet<>();
    }

    private Fiber(Fiber parent, String language) {
        this.worker = parent.worker;
        this.entry = parent.entry;
        this.request = worker.current();
        this.language = language;
        this.posted = null;
        this.threads = null;
    }

    public Worker worker() {
        return worker;
    }

    /** True for a light thread, false for an entry thread. */
    public boolean isLightThread() {
        return entry != this;
    }

    /** An engine's own per-fiber state (Lua keeps its current coroutine here); cleared when a handler ends. */
    public Object engineSlot(int slot) {
        return engineSlots[slot];
    }

    public void engineSlot(int slot, Object value) {
        engineSlots[slot] = value;
    }

    /** True once the light thread's body returned, failed or unwound after a kill. */
    public boolean isFinished() {
        return finished;
    }

    /** True once the thread was waited for or killed (lua-nginx-module's "dead" state). */
    public boolean isCollected() {
        return collected;
    }

    /** Marks a finished thread as waited for: its results were handed out. */
    public void collect() {
        collected = true;
    }

    /** The results the body returned (engine values), or null after a failure or a kill. */
    public Object result() {
        return result;
    }

    /** The error the body failed with, or null. */
    public ScriptError failure() {
        return failure;
    }

    /**
     * A counter that changes every time the entry's handler ends: engines use it to tell that an
     * entry-thread object they created belongs to a handler that is over.
     */
    public long generation() {
        return entry.generation;
    }

    /** True while the entry's handler (script) still runs, i.e. before {@link #endGroup}. */
    public boolean entryRunning() {
        return !entry.draining;
    }

    // ------------------------------------------------------------------ light threads

    /**
     * {@code ngx.thread.spawn}: creates a light thread in this fiber's group. Call {@link #start} on it next;
     * in between, the engine can attach its own state ({@link #engineSlot}).
     */
    public Fiber newLightThread(String language) {
        requireRunning();
        return new Fiber(this, language);
    }

    /**
     * Runs this new light thread right away, on its own virtual thread, until it finishes or first stops;
     * then the spawning fiber (the caller) continues. Must be called by the running fiber that created it.
     */
    public void start(Body body) {
        Fiber parent = worker.fiber();
        RequestContext saved = worker.current();
        entry.threads.add(this);
        parent.state = State.POSTED;
        entry.posted.addLast(parent);
        worker.startFiberThread(() -> {
            // The parent blocks on its hand-off right after starting us: we hold the worker now.
            worker.fiber(this);
            worker.current(request);
            Object r = null;
            ScriptError err = null;
            try {
                r = body.run(this);
            } catch (Killed k) {
                // unwound after a kill: no result
            } catch (ScriptError e) {
                err = e;
            } catch (Throwable t) {
                worker.resty().logger().internalError("uncaught error in a light thread of worker " + worker.id(), t);
            }
            finish(r, err);
        });
        parent.awaitHandoff(saved);
        parent.checkKilled();
    }

    private void finish(Object r, ScriptError err) {
        result = r;
        failure = err;
        finished = true;
        state = State.DONE;
        entry.threads.remove(this);
        if (!killed) {
            if (err != null) {
                String tb = err.traceback();
                worker.resty().logger().log(LogLevel.ERR, request, language + " user thread aborted: runtime error: "
                        + err.getMessage() + (tb.isEmpty() ? "" : "\n" + tb));
            }
            if (exitRequested(request)) {
                entry.killGroup(this);
            }
        }
        Fiber next = null;
        if (waiter != null && waiter.state == State.WAITING) {
            next = waiter;
        } else if (entry.draining && entry.state == State.WAITING && entry.threads.isEmpty()) {
            next = entry;
        }
        worker.fiber(null);
        if (next != null) {
            next.handTo();
        } else {
            stop();
        }
    }

    /**
     * {@code ngx.thread.wait} on children none of which has finished yet: suspends this fiber until the first
     * of them finishes and returns it, marked collected. Must be called by the running fiber.
     */
    public Fiber waitAny(List<Fiber> children) {
        requireRunning();
        checkKilled();
        RequestContext saved = worker.current();
        for (Fiber c : children) {
            c.waiter = this;
        }
        state = State.WAITING;
        stop();
        awaitHandoff(saved);
        Fiber done = null;
        for (Fiber c : children) {
            if (c.waiter == this) {
                c.waiter = null;
            }
            if (c.finished && !c.collected && (done == null)) {
                done = c;
            }
        }
        checkKilled();
        if (done == null) {
            throw new IllegalStateException("woken without a finished child");
        }
        done.collected = true;
        return done;
    }

    /**
     * {@code ngx.thread.kill} (and the group kill after {@code ngx.exit}): the thread will never run script
     * code again. Returns false when it had already finished or been killed.
     */
    public boolean kill() {
        if (finished || killed) {
            return false;
        }
        killed = true;
        collected = true;
        switch (state) {
            case SUSPENDED -> {
                Thread p = parked;
                if (p != null) {
                    LockSupport.unpark(p);
                }
            }
            case WAITING -> {
                // it needs the worker once more, to unwind
                state = State.POSTED;
                entry.posted.addLast(this);
            }
            default -> {
                // POSTED: unwinds when its turn comes; RUNNING: only the caller runs, and it is not killed
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ the entry thread's end

    /**
     * Ends the entry's handler: kills the light threads when {@code kill} (the entry failed or the request is
     * exiting), else also when one of them exits the request; waits until all have finished (killed ones
     * included, which unwind); then resets the group for the next handler. Called on the entry, by the
     * fiber that ran the handler.
     */
    public void endGroup(boolean kill) {
        if (kill) {
            killGroup(this);
        }
        if (!threads.isEmpty()) {
            RequestContext saved = worker.current();
            draining = true;
            while (!threads.isEmpty()) {
                state = State.WAITING;
                stop();
                awaitHandoff(saved);
            }
        }
        draining = false;
        killed = false;
        posted.clear();
        engineSlots[0] = null;
        engineSlots[1] = null;
        generation++;
    }

    /** True when the request asked to end ({@code ngx.exit}, {@code ngx.exec}, {@code ngx.redirect}). */
    public static boolean exitRequested(RequestContext req) {
        return req != null && (req.exitStatus() != RequestContext.NO_EXIT || req.execUri() != null);
    }

    private void killGroup(Fiber except) {
        if (this != except) {
            kill();
        }
        for (Fiber t : new ArrayList<>(threads)) {
            if (t != except) {
                t.kill();
            }
        }
    }

    // ------------------------------------------------------------------ suspension points

    /** Waits for {@code future} off the worker (see {@link Worker#await}); on return this fiber runs again. */
    void suspendUntil(Future<?> future) {
        RequestContext saved = worker.current();
        Thread me = Thread.currentThread();
        state = State.SUSPENDED;
        parked = me;
        stop();
        future.onComplete(ar -> LockSupport.unpark(me));
        while (!future.isComplete() && !killed) {
            LockSupport.park(future);
        }
        parked = null;
        worker.acquirePermit();
        resumed(saved);
    }

    /** {@code ngx.sleep(0)}: lets the group's posted threads and the worker's other fibers run first. */
    void yieldWorker() {
        if (!worker.othersWaiting() && entry.posted.isEmpty()) {
            return;
        }
        RequestContext saved = worker.current();
        state = State.SUSPENDED;
        stop();
        worker.acquirePermit();
        resumed(saved);
    }

    /**
     * {@code coroutine.yield()} in an entry or light thread (not inside a user coroutine): lua-nginx-module
     * resumes the thread at once unless other threads of the group are posted, which then run first.
     */
    public void yieldThread() {
        requireRunning();
        checkKilled();
        if (entry.posted.isEmpty()) {
            return;
        }
        RequestContext saved = worker.current();
        state = State.POSTED;
        entry.posted.addLast(this);
        stop();
        awaitHandoff(saved);
        checkKilled();
    }

    /** Throws {@link Killed} if this fiber was killed. */
    public void checkKilled() {
        if (killed) {
            throw Killed.INSTANCE;
        }
    }

    // ------------------------------------------------------------------ hand-off mechanics

    /** Gives up the worker: to the group's next posted fiber, or back to the worker's fair queue. */
    private void stop() {
        Fiber next = entry.posted.pollFirst();
        if (next != null) {
            next.handTo();
        } else {
            worker.releasePermit();
        }
    }

    /** Makes this fiber the worker's running fiber; the caller must not touch shared state afterwards. */
    private void handTo() {
        state = State.RUNNING;
        handoff.release();
    }

    private void awaitHandoff(RequestContext saved) {
        handoff.acquireUninterruptibly();
        resumed(saved);
    }

    private void resumed(RequestContext saved) {
        state = State.RUNNING;
        worker.fiber(this);
        worker.current(saved);
    }

    private void requireRunning() {
        if (worker.fiber() != this) {
            throw new IllegalStateException("fiber operation from a fiber that is not running");
        }
    }
}
