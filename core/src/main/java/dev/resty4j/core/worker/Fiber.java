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

/**
 * One thread of script execution on a worker, as lua-nginx-module schedules them: the <em>entry thread</em> of
 * a handler (phase script, timer callback), or a <em>light thread</em> started with {@code ngx.thread.spawn}.
 * A handler's entry thread and the light threads started under it form a {@link Group} (lua-nginx-module's
 * request context), and the group's rules are implemented here, engine-neutrally:
 * <ul>
 *   <li>{@link #start spawn} runs the child at once, until it finishes or first stops (I/O, a yield), then
 *       the parent continues: the parent is <em>posted</em> (queued in the group) and the child runs;</li>
 *   <li>whenever the running fiber of a group stops, the worker goes to the group's next posted fiber if
 *       there is one, else back to the worker's fair queue; a fiber whose I/O completed queues there;</li>
 *   <li>{@link #waitAny ngx.thread.wait} suspends the parent until one of its children finishes; that child
 *       hands the worker straight back to it;</li>
 *   <li>a handler is over only when every light thread has finished ({@link Group#end}); an error in the
 *       entry thread, or {@code ngx.exit}/{@code ngx.exec} in any thread, kills the others;</li>
 *   <li>a light thread's error is logged ({@code lua user thread aborted: ...}) and kills nobody.</li>
 * </ul>
 *
 * <p><b>How control moves.</b> Every fiber runs on its own virtual thread (a user coroutine resumed inside a
 * fiber runs on yet another one, but within the fiber). Exactly one fiber of a worker runs at a time: the one
 * holding the worker's permit. A fiber that stops either hands the permit directly to a posted fiber
 * (releasing that fiber's {@link #handoff} semaphore; the permit never becomes free), or gives it to the
 * worker's run queue ({@link Worker#leave}); a fiber whose I/O completed waits in that queue.
 * So a group's ordering is exact, and other requests interleave only when the whole group waits, as in nginx.
 *
 * <p><b>Nesting.</b> A subrequest runs its handlers on the fiber that called {@code ngx.location.capture}:
 * each handler opens a group nested in the fiber's current one ({@link #openGroup}). A fiber that stops
 * inside a nested group hands the worker to the innermost group with a posted fiber, so the parent request's
 * threads run while the subrequest waits. The engine's per-fiber state is set aside for the nested handler.
 *
 * <p><b>Killing.</b> A killed fiber is never resumed into script code: at its next resumption point it throws
 * {@link Killed}, which engines turn into the same unwinding as {@code ngx.exit} (pcall does not catch it).
 * Killing only marks the fiber (a light thread) or the group (its entry thread), and makes sure the fiber gets
 * the worker again to unwind: a fiber waiting for I/O is queued at once, a fiber waiting on its children is
 * posted.
 *
 * <p>All state is confined to the fiber holding the worker (the permit and the hand-off semaphores order the
 * accesses), except {@link #killed}, {@link Group#entryKilled} and {@link #wake}, which a kill and an I/O
 * completion use across threads.
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

    /** The threads of one handler run: its entry thread and the light threads spawned under it. */
    public static final class Group {
        private final Fiber entry;
        /** The group the entry fiber ran in before this handler (subrequests nest), or null. */
        private final Group outer;
        // sized for the usual handler, which starts no light thread: a group is made for every phase handler
        private final ArrayDeque<Fiber> posted = new ArrayDeque<>(2);
        /** Its light threads: the shared empty set until the first spawn (a group is made per phase handler). */
        private Set<Fiber> threads = java.util.Collections.emptySet();
        private final Object[] savedSlots;
        private volatile boolean entryKilled;
        private boolean draining;
        private boolean ended;

        private Group(Fiber entry, Group outer) {
            this.entry = entry;
            this.outer = outer;
            this.savedSlots = entry.engineSlots.clone();
        }

        /** True while the handler's entry thread can still run script code. */
        public boolean handlerRunning() {
            return !draining && !ended;
        }

        /**
         * Ends the handler: kills the light threads when {@code kill} (the entry failed or the request is
         * exiting) or when the entry was killed; waits until all have finished (killed ones unwind first);
         * then the entry fiber returns to its outer group. Called by the entry fiber, after its script.
         */
        public void end(boolean kill) {
            if (kill || entryKilled) {
                killThreads(null);
            }
            if (!threads.isEmpty()) {
                Suspension saved = entry.suspension();
                draining = true;
                while (!threads.isEmpty()) {
                    if (entry.isKilled()) {
                        killThreads(null);
                    }
                    entry.state = State.WAITING;
                    entry.blockedOn = this;
                    entry.stop();
                    entry.awaitHandoff(saved);
                }
            }
            ended = true;
            entry.scope = outer;
            System.arraycopy(savedSlots, 0, entry.engineSlots, 0, savedSlots.length);
        }

        /** {@code ngx.exit} etc. in a light thread: kills the entry thread and every other light thread. */
        private void killAll(Fiber except) {
            if (!entryKilled && entry != except) {
                entryKilled = true;
                entry.wake(this);
            }
            killThreads(except);
        }

        private void killThreads(Fiber except) {
            if (threads.isEmpty()) {
                return;
            }
            for (Fiber t : new ArrayList<>(threads)) {
                if (t != except) {
                    t.kill();
                }
            }
        }
    }

    private enum State {
        /** Holds the worker. */
        RUNNING,
        /** In a group's posted queue: resumes when that group's running fiber stops. */
        POSTED,
        /** Blocked on its hand-off until a child finishes, or its handler's light threads all have. */
        WAITING,
        /** Waiting for I/O or for the worker's permit. */
        SUSPENDED,
        /** Finished. */
        DONE
    }

    private final Worker worker;
    /** The request a light thread serves (entry fibers take whatever the worker's current request is). */
    private final RequestContext request;
    private final String language;
    private final Semaphore handoff = new Semaphore(0);
    private final Object[] engineSlots = new Object[2];
    /** The innermost group this fiber runs in: the one it was spawned in, or the handler it is the entry of. */
    private Group scope;
    private State state = State.RUNNING;
    /** What a WAITING fiber waits for: the group it drains, or the children list of {@link #waitAny}. */
    private Object blockedOn;
    private volatile boolean killed;
    /** How to wake this fiber while it waits for I/O (null otherwise); a kill uses it. */
    private volatile Wake wake;
    private boolean finished;
    private boolean collected;
    private Object result;
    private ScriptError failure;
    private Fiber waiter;

    /** A fiber started by {@link Worker#spawn}: runs entry threads. */
    Fiber(Worker worker) {
        this.worker = worker;
        this.request = null;
        this.language = null;
    }

    private Fiber(Fiber parent, String language) {
        this.worker = parent.worker;
        this.request = worker.current();
        this.language = language;
        this.scope = parent.scope;
    }

    public Worker worker() {
        return worker;
    }

    /** The innermost group this fiber runs in (null outside handlers). */
    public Group scope() {
        return scope;
    }

    /** An engine's own per-fiber state (Lua keeps its current coroutine here); set aside per handler. */
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

    // ------------------------------------------------------------------ handlers

    /**
     * Starts a handler on this (running) fiber: its entry thread is this fiber, in a new group nested in the
     * current one. The caller runs the script, then calls {@link Group#end}.
     */
    public Group openGroup() {
        requireRunning();
        Group g = new Group(this, scope);
        java.util.Arrays.fill(engineSlots, null);
        scope = g;
        return g;
    }

    /** True when the request asked to end ({@code ngx.exit}, {@code ngx.exec}, {@code ngx.redirect}). */
    public static boolean exitRequested(RequestContext req) {
        return req != null && (req.exitStatus() != RequestContext.NO_EXIT || req.execUri() != null);
    }

    // ------------------------------------------------------------------ light threads

    /**
     * {@code ngx.thread.spawn}: creates a light thread in this fiber's group. Call {@link #start} on it next;
     * in between, the engine can attach its own state ({@link #engineSlot}).
     */
    public Fiber newLightThread(String language) {
        requireRunning();
        if (scope == null) {
            throw new IllegalStateException("light threads need a handler");
        }
        return new Fiber(this, language);
    }

    /**
     * Runs this new light thread right away, on its own virtual thread, until it finishes or first stops;
     * then the spawning fiber (the caller) continues. Must be called by the running fiber that created it.
     */
    public void start(Body body) {
        Fiber parent = worker.fiber();
        Suspension saved = parent.suspension();
        if (scope.threads.isEmpty()) {
            scope.threads = new LinkedHashSet<>();
        }
        scope.threads.add(this);
        parent.state = State.POSTED;
        scope.posted.addLast(parent);
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
        Group g = scope;
        g.threads.remove(this);
        if (!killed) {
            if (err != null) {
                String tb = err.traceback();
                worker.resty().logger().log(LogLevel.ERR, request, language + " user thread aborted: runtime error: "
                        + err.getMessage() + (tb.isEmpty() ? "" : "\n" + tb));
            }
            if (exitRequested(request)) {
                g.killAll(this);
            }
        }
        Fiber next = null;
        if (waiter != null && waiter.state == State.WAITING) {
            next = waiter;
        } else if (g.draining && g.threads.isEmpty() && g.entry.state == State.WAITING && g.entry.blockedOn == g) {
            next = g.entry;
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
        Suspension saved = suspension();
        for (Fiber c : children) {
            c.waiter = this;
        }
        state = State.WAITING;
        blockedOn = children;
        stop();
        awaitHandoff(saved);
        Fiber done = null;
        for (Fiber c : children) {
            if (c.waiter == this) {
                c.waiter = null;
            }
            if (c.finished && !c.collected && done == null) {
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
     * {@code ngx.thread.kill} (and the group kill after {@code ngx.exit}): the light thread will never run
     * script code again. Returns false when it had already finished or been killed.
     */
    public boolean kill() {
        if (finished || killed) {
            return false;
        }
        killed = true;
        collected = true;
        wake(scope);
        return true;
    }

    /** Makes sure a killed fiber gets the worker again to unwind; {@code where} is the group it waits in. */
    private void wake(Group where) {
        switch (state) {
            case SUSPENDED -> {
                Wake w = wake;
                if (w != null) {
                    w.fire();
                }
            }
            case WAITING -> {
                state = State.POSTED;
                where.posted.addLast(this);
            }
            default -> {
                // POSTED: unwinds when its turn comes; RUNNING: only the caller runs, and it is not killed
            }
        }
    }

    private boolean isKilled() {
        if (killed) {
            return true;
        }
        for (Group g = scope; g != null && g.entry == this; g = g.outer) {
            if (g.entryKilled) {
                return true;
            }
        }
        return false;
    }

    /** Throws {@link Killed} if this fiber was killed, as a light thread or as the entry of its handlers. */
    public void checkKilled() {
        if (isKilled()) {
            throw Killed.INSTANCE;
        }
    }

    // ------------------------------------------------------------------ suspension points

    /** Waits for {@code future} off the worker (see {@link Worker#await}); on return this fiber runs again. */
    void suspendUntil(Future<?> future) {
        Suspension saved = suspension();
        Wake w = new Wake();
        wake = w;
        state = State.SUSPENDED;
        stop();
        // the completion queues this fiber for the worker, so fibers resume in the order their I/O completed
        future.onComplete(ar -> w.fire());
        handoff.acquireUninterruptibly();
        wake = null;
        resumed(saved);
    }

    /** Queues the suspended fiber for the worker once: at its I/O completion, or earlier when it is killed. */
    private final class Wake {
        private final java.util.concurrent.atomic.AtomicBoolean fired = new java.util.concurrent.atomic.AtomicBoolean();

        void fire() {
            if (fired.compareAndSet(false, true)) {
                worker.enqueue(handoff);
            }
        }
    }

    /** {@code ngx.sleep(0)}: lets posted threads and the worker's other fibers run first. */
    void yieldWorker() {
        if (!worker.othersWaiting() && !anyPosted()) {
            return;
        }
        Suspension saved = suspension();
        state = State.SUSPENDED; // already queued: a kill needs no wake-up
        stop();
        worker.enter(handoff);
        resumed(saved);
    }

    /**
     * {@code coroutine.yield()} in an entry or light thread (not inside a user coroutine): lua-nginx-module
     * resumes the thread at once unless other threads of the request are posted, which then run first.
     */
    public void yieldThread() {
        requireRunning();
        checkKilled();
        if (scope == null || scope.posted.isEmpty()) {
            return;
        }
        Suspension saved = suspension();
        state = State.POSTED;
        scope.posted.addLast(this);
        stop();
        awaitHandoff(saved);
        checkKilled();
    }

    // ------------------------------------------------------------------ hand-off mechanics

    private boolean anyPosted() {
        for (Group g = scope; g != null; g = g.outer) {
            if (!g.posted.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Gives up the worker: to the innermost group's next posted fiber, or back to the worker's fair queue. */
    private void stop() {
        for (Group g = scope; g != null; g = g.outer) {
            Fiber next = g.posted.pollFirst();
            if (next != null) {
                next.handTo();
                return;
            }
        }
        worker.leave();
    }

    /** Makes this fiber the worker's running fiber; the caller must not touch shared state afterwards. */
    private void handTo() {
        state = State.RUNNING;
        blockedOn = null;
        handoff.release();
    }

    private void awaitHandoff(Suspension saved) {
        handoff.acquireUninterruptibly();
        resumed(saved);
    }

    /**
     * What a fiber takes along when it stops and gives back when it runs again: the worker's current request
     * and the VMs' per-fiber state ({@link dev.resty4j.core.engine.WorkerVm#suspendFiber}).
     */
    private record Suspension(RequestContext request, Object[] vmState) {}

    private Suspension suspension() {
        return new Suspension(worker.current(), worker.suspendVms());
    }

    private void resumed(Suspension saved) {
        state = State.RUNNING;
        worker.fiber(this);
        worker.current(saved.request());
        worker.resumeVms(saved.vmState());
    }

    private void requireRunning() {
        if (worker.fiber() != this) {
            throw new IllegalStateException("fiber operation from a fiber that is not running");
        }
    }
}
