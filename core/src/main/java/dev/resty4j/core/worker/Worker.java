package dev.resty4j.core.worker;

import dev.resty4j.Resty;
import dev.resty4j.ScriptEngine;
import dev.resty4j.core.engine.WorkerVm;
import dev.resty4j.core.request.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One worker, as an nginx worker process: it owns one script VM per engine and runs every request,
 * timer and light thread assigned to it, one at a time.
 *
 * <p><b>How suspension works.</b> Each unit of script work (a request's phases, a timer callback) runs on
 * its own virtual thread, a <em>fiber</em>. A fiber must hold the worker's permit while it runs script
 * code, so the VM is never entered by two threads at once. When a script waits for I/O
 * ({@link #await(Future)}), its fiber gives the permit back, parks until the Vert.x {@code Future}
 * completes, then queues for the permit again, and other requests run on the VM meanwhile, exactly like
 * an nginx worker interleaving requests at cosocket calls. No platform thread is held per waiting request:
 * a parked virtual thread is a small heap object.
 *
 * <p><b>One thread per worker.</b> Each worker has an event loop ({@link #loop()}): the server's listener
 * for the worker accepts its connections there, its cosocket clients and timers complete there, and its
 * fibers are virtual threads scheduled on that loop's thread ({@link EventLoopFibers}). So, as in an nginx
 * worker, a request is parsed, scripted and answered on one thread, and a completed I/O resumes its fiber
 * without waking another thread.
 *
 * <p><b>The run queue.</b> Fibers that want the worker (new requests and timers, fibers whose I/O completed)
 * wait in one FIFO {@link #runQueue}, and a fiber giving the worker up hands the permit straight to the
 * head of that queue. A fiber whose I/O completed is queued by the completion callback itself, so fibers
 * resume in the order their I/O completed (timers in deadline order), as nginx's event loop runs them;
 * they do not race each other for the permit after being unparked.
 *
 * <p>We chose our own permit over Vert.x's {@code ThreadingModel.VIRTUAL_THREAD} context because Lua
 * coroutines and light threads must hand control between fibers of the same request without releasing
 * the VM, which Vert.x's await cannot express; the hand-off cost is about the same (a virtual-thread
 * unpark), see bench/NOTES.md.
 *
 * <p>The queue is FIFO, so a fiber resuming after I/O queues behind requests that were already waiting,
 * and no request starves.
 *
 * <p>Light threads, {@code ngx.thread.wait} and the rules for which thread of a request runs next live in
 * {@link Fiber}; this class only tracks the running fiber and lets a suspending fiber hand the worker to
 * the next thread of its request ({@link Fiber}'s posted queue) instead of the run queue.
 */
public final class Worker {

    private final Resty resty;
    private final int id;
    /** Taken while a fiber holds the worker; hand-offs pass it on without releasing it. */
    private final Semaphore permit = new Semaphore(1);
    /**
     * What waits for the worker, in arrival order: the turn (hand-off semaphore) of a fiber waiting to go on,
     * or a new task (a {@link Runnable}) that has no thread yet: it gets one only when its turn comes, and
     * when that turn comes as a fiber finishes, it runs on that fiber's thread (no new thread, no wake-up).
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<Object> runQueue =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** The VMs, and the language of each at the same index: one or two, so a scan beats a map lookup. */
    private WorkerVm[] vmList = new WorkerVm[0];
    private String[] vmLanguages = new String[0];
    /** The event loop this worker's fibers and I/O run on (see {@link #loop()}). */
    private final ContextInternal loop;
    /** Virtual threads on the JDK's default scheduler: while init and exit phases are waited for. */
    private final ThreadFactory fibers;
    /** Virtual threads mounted on {@link #loop}'s thread, or null where this JVM does not allow it. */
    private final ThreadFactory loopFibers;
    private volatile boolean onLoop;
    private final AtomicInteger activeFibers = new AtomicInteger();
    private volatile boolean exiting;
    private RequestContext current;
    /** The fiber holding the worker (null between fibers). */
    private Fiber fiber;
    private final dev.resty4j.core.timer.Timers timers;
    /** Created on first use: most configs never open a raw cosocket. */
    private dev.resty4j.core.socket.Cosockets cosockets;
    private dev.resty4j.core.socket.Deadlines deadlines;

    /**
     * The fiber the calling thread belongs to. Inheritable, so that threads a fiber starts for its script
     * (Lua coroutines) see the same scope.
     */
    private static final InheritableThreadLocal<FiberScope> FIBER = new InheritableThreadLocal<>();

    /** A fiber's worker and the tasks to run when it ends. */
    private record FiberScope(Worker worker, java.util.List<Runnable> exitTasks) {}

    public Worker(Resty resty, int id) {
        this.resty = resty;
        this.id = id;
        this.loop = loopFor((VertxInternal) resty.vertx(), id);
        String name = "resty4j-worker-" + id + "-fiber-";
        this.fibers = Thread.ofVirtual().name(name, 0).factory();
        this.loopFibers = EventLoopFibers.factory(name, loop.nettyEventLoop(),
                warning -> resty.logger().log(dev.resty4j.core.log.LogLevel.WARN, null, warning));
        this.timers = new dev.resty4j.core.timer.Timers(this);
    }

    /**
     * Worker {@code id}'s event loop: the id-th loop of Vert.x's event-loop group, so that a reloaded instance's
     * worker gets the loop its predecessor had, where the server's listener for that worker delivers requests.
     */
    private static ContextInternal loopFor(VertxInternal vertx, int id) {
        java.util.List<io.netty.channel.EventLoop> loops = new java.util.ArrayList<>();
        for (io.netty.util.concurrent.EventExecutor e : vertx.eventLoopGroup()) {
            loops.add((io.netty.channel.EventLoop) e);
        }
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return vertx.contextBuilder().withThreadingModel(io.vertx.core.ThreadingModel.EVENT_LOOP)
                .withEventLoop(loops.get(id % loops.size()))
                .withClassLoader(cl != null ? cl : Worker.class.getClassLoader()).build();
    }

    /**
     * The Vert.x event-loop context of this worker: its fibers run on that loop's thread (when the JVM allows
     * it, see {@link EventLoopFibers}), the server's listener for this worker accepts its connections there,
     * and the worker's cosocket clients complete their I/O there, so a request is served on one thread as in
     * nginx. Code in a fiber sees it as Vert.x's current context.
     */
    public ContextInternal loop() {
        return loop;
    }

    /** True when the calling thread is this worker's event-loop thread (not one of its fibers). */
    public boolean isLoopThread() {
        return loop.nettyEventLoop().inEventLoop();
    }

    /**
     * Whether new fibers run on the event loop (when the JVM allows it). Off while init_worker and exit_worker
     * run: whoever builds or closes the instance waits for them, and may be this very loop's thread.
     */
    public void runFibersOnLoop(boolean on) {
        this.onLoop = on && loopFibers != null;
        if (!onLoop) {
            stopIdleCarriers(); // they run on the loop, which whoever turned this off may be about to close
        }
    }

    /** True while new fibers are scheduled on the event loop ({@link #runFibersOnLoop}). */
    public boolean runsFibersOnLoop() {
        return onLoop;
    }

    /** Creates this worker's VMs; called once, before any fiber runs. */
    public void createVms(Iterable<ScriptEngine> engines) {
        Map<String, WorkerVm> vms = new LinkedHashMap<>();
        for (ScriptEngine e : engines) {
            vms.put(e.language(), e.newVm(this));
        }
        vmList = vms.values().toArray(new WorkerVm[0]);
        vmLanguages = vms.keySet().toArray(new String[0]);
    }

    public Resty resty() {
        return resty;
    }

    /** 0-based worker id ({@code ngx.worker.id()}). */
    public int id() {
        return id;
    }

    /** The VM of the given language. */
    public WorkerVm vm(String language) {
        String[] languages = vmLanguages;
        for (int i = 0; i < languages.length; i++) {
            if (languages[i].equals(language)) {
                return vmList[i];
            }
        }
        throw new IllegalStateException("no script engine for language '" + language + "' on the class path");
    }

    /** True while the instance shuts down ({@code ngx.worker.exiting()}). */
    public boolean exiting() {
        return exiting;
    }

    public void exiting(boolean e) {
        this.exiting = e;
    }

    /** The request whose fiber currently holds this worker (null in init/timer contexts without one). */
    public RequestContext current() {
        return current;
    }

    public void current(RequestContext req) {
        this.current = req;
    }

    /** The fiber holding this worker: the running entry or light thread (null outside fibers). */
    public Fiber fiber() {
        return fiber;
    }

    void fiber(Fiber f) {
        this.fiber = f;
    }

    /**
     * This worker's cosocket connections and keepalive pools ({@code ngx.socket.*}), shared by every engine
     * of the worker, as an nginx worker's connection pools are.
     */
    public synchronized dev.resty4j.core.socket.Cosockets cosockets() {
        if (cosockets == null) {
            cosockets = new dev.resty4j.core.socket.Cosockets(this);
        }
        return cosockets;
    }

    /**
     * Releases what the worker holds once it has stopped ({@link Resty#close()}, after exit_worker): its
     * VMs and its pooled cosocket connections. Without this a reloaded instance would keep its idle
     * connections and VM state until garbage collection.
     */
    public void close() {
        stopIdleCarriers();
        for (WorkerVm vm : vmList) {
            try {
                vm.close();
            } catch (RuntimeException e) {
                resty.logger().internalError("closing the " + vm.getClass().getSimpleName() + " of worker " + id + " failed", e);
            }
        }
        dev.resty4j.core.socket.Cosockets c;
        synchronized (this) {
            c = cosockets;
            cosockets = null;
        }
        if (c != null) {
            c.close();
        }
    }

    /**
     * The timeouts of this worker's I/O (cosockets, the bindings' connections) on one Vert.x timer of its
     * loop, as an nginx worker keeps its timers in one tree.
     */
    public synchronized dev.resty4j.core.socket.Deadlines deadlines() {
        if (deadlines == null) {
            deadlines = new dev.resty4j.core.socket.Deadlines(loop);
        }
        return deadlines;
    }

    /** This worker's {@code ngx.timer} timers. */
    public dev.resty4j.core.timer.Timers timers() {
        return timers;
    }

    /** Number of fibers started and not yet finished (requests and timers in flight). */
    public int activeFibers() {
        return activeFibers.get();
    }

    /**
     * Starts a fiber that runs {@code task} while holding this worker. The task's own exceptions are the
     * caller's concern; anything escaping is logged, never lost. The task waits in the run queue like any
     * fiber; a fiber that finishes while tasks wait runs the next one itself, so a busy worker serves new
     * requests without starting and parking a thread for each (bench/NOTES.md).
     */
    public void spawn(Runnable task) {
        activeFibers.incrementAndGet();
        runQueue.add(task);
        dispatch();
    }

    /**
     * A fiber thread that runs tasks ({@link #runTasks}) and, when the run queue has no new task for it, parks
     * in {@link #idleCarriers} until one is handed to it. A request that suspends leaves the next one without
     * a thread; taking an idle carrier then costs an unpark, where a new virtual thread cost its creation,
     * its start and its end (each a VM transition that JVMTI agents, such as GraalJS's runtime, hook).
     */
    private final class Carrier implements Runnable {
        /** Scheduled on the loop (only those are kept: the others serve init and exit phases). */
        private final boolean onLoopThread;
        private volatile Runnable next;
        private volatile Thread thread;

        Carrier(Runnable first, boolean onLoopThread) {
            this.next = first;
            this.onLoopThread = onLoopThread;
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            Runnable task = take();
            while (task != STOP) {
                runTasks(task);
                if (!parkIdle(this)) {
                    return;
                }
                task = take();
            }
        }

        /** Hands a task (or {@link #STOP}) to this idle carrier. */
        void give(Runnable task) {
            next = task;
            LockSupport.unpark(thread);
        }

        private Runnable take() {
            Runnable t;
            while ((t = next) == null) {
                LockSupport.park(this);
            }
            next = null;
            return t;
        }
    }

    private static final Runnable STOP = () -> { };
    /** Carriers kept for the next tasks: enough for the bursts of one loop, few enough to cost nothing idle. */
    private static final int MAX_IDLE_CARRIERS = 64;
    private final ArrayDeque<Carrier> idleCarriers = new ArrayDeque<>();

    /** Keeps a carrier whose tasks are done for the next task, unless enough are kept (then it ends). */
    private boolean parkIdle(Carrier c) {
        synchronized (idleCarriers) {
            if (!onLoop || !c.onLoopThread || idleCarriers.size() >= MAX_IDLE_CARRIERS) {
                return false;
            }
            idleCarriers.push(c);
        }
        return true;
    }

    private Carrier idleCarrier() {
        synchronized (idleCarriers) {
            return idleCarriers.poll();
        }
    }

    private void stopIdleCarriers() {
        Carrier c;
        while ((c = idleCarrier()) != null) {
            try {
                c.give(STOP);
            } catch (RejectedExecutionException e) {
                // its loop has terminated (the application closed Vert.x before this instance): a carrier
                // parked there can never run again, so there is nothing to stop
            }
        }
    }

    /** Runs tasks on the calling thread, which holds the worker, for as long as a new task is next in line. */
    private void runTasks(Runnable first) {
        Runnable task = first;
        while (task != null) {
            FiberScope scope = new FiberScope(this, new java.util.ArrayList<>(0));
            FIBER.set(scope);
            try {
                current = null;
                fiber = new Fiber(this);
                task.run();
            } catch (Throwable t) {
                resty.logger().internalError("uncaught error in worker " + id + " fiber", t);
            } finally {
                runExitTasks(scope);
                current = null;
                fiber = null;
                activeFibers.decrementAndGet();
            }
            FIBER.remove();
            task = null;
            Object next = runQueue.poll();
            if (next instanceof Runnable r) {
                task = r; // keep the worker and this thread
            } else if (next != null) {
                handTo(next);
            } else {
                permit.release();
                dispatch(); // something may have been queued between the poll and the release
            }
        }
    }

    /** Gives the worker (held by the caller) to a waiting fiber's turn, or to a new task on a new thread. */
    private void handTo(Object next) {
        if (next instanceof Semaphore turn) {
            turn.release();
            return;
        }
        boolean useLoop = onLoop;
        Carrier idle = useLoop ? idleCarrier() : null;
        if (idle != null) {
            idle.give((Runnable) next);
        } else {
            startFiberThread(new Carrier((Runnable) next, useLoop), useLoop);
        }
    }

    /**
     * Starts a fiber's virtual thread (a new task's, or a light thread's, which runs holding the worker its
     * spawner hands it). In it, Vert.x's current context is the worker's {@link #loop}, so clients a script
     * opens complete on that loop.
     */
    void startFiberThread(Runnable body) {
        startFiberThread(body, onLoop);
    }

    private void startFiberThread(Runnable body, boolean useLoop) {
        (useLoop ? loopFibers : fibers).newThread(() -> {
            ContextInternal previous = loop.beginDispatch();
            try {
                body.run();
            } finally {
                loop.endDispatch(previous);
            }
        }).start();
    }

    /** Waits in the run queue until the worker is handed to the caller ({@code turn} is released). */
    void enter(Semaphore turn) {
        enqueue(turn);
        turn.acquireUninterruptibly();
    }

    /** Puts a turn in the run queue without waiting (callable from any thread, e.g. an I/O callback). */
    void enqueue(Semaphore turn) {
        runQueue.add(turn);
        dispatch();
    }

    /** Gives the worker up: to the head of the run queue, or frees it. Called by the holder. */
    void leave() {
        Object next = runQueue.poll();
        if (next != null) {
            handTo(next);
            return;
        }
        permit.release();
        dispatch(); // a turn may have been queued between the poll and the release
    }

    /** If the worker is free and someone waits, takes the permit for the head of the queue and hands it over. */
    private void dispatch() {
        // the permit first: while the worker is busy (most spawns under load) that is one volatile read,
        // where the queue's isEmpty walks to its first node and moves its head (3 % of a hello request's CPU);
        // the holder dispatches again after giving the permit back, so nothing queued meanwhile is missed
        while (permit.availablePermits() > 0 && !runQueue.isEmpty() && permit.tryAcquire()) {
            Object next = runQueue.poll();
            if (next != null) {
                handTo(next);
                return;
            }
            permit.release();
        }
    }

    boolean othersWaiting() {
        return !runQueue.isEmpty();
    }

    /**
     * The worker whose fiber runs the calling thread (or a thread that fiber started, such as a Lua
     * coroutine), or null outside fibers. For code that gets no worker handed in, e.g. a
     * {@link dev.resty4j.SharedDict} backed by a network store, which must {@link #await} its I/O.
     */
    public static Worker ofCurrentThread() {
        FiberScope f = FIBER.get();
        return f == null ? null : f.worker();
    }

    /**
     * The calling thread's fiber as an opaque token (null outside fibers), so that an engine that runs
     * script code on a thread of its own (GraalJS, whose contexts are cheapest entered from one thread)
     * can run it as part of the fiber that asked ({@link #callInFiberOf}).
     */
    public static Object fiberToken() {
        return FIBER.get();
    }

    /** Set while a thread other than the fiber's own runs code for it ({@link #callInFiberOf}). */
    private static final ThreadLocal<Boolean> ACTING_FOR_FIBER = new ThreadLocal<>();

    /**
     * Runs {@code body} on the calling thread as part of the fiber {@code token} came from. An
     * {@link #await} in it blocks that thread (and so the worker) instead of suspending the fiber, which
     * only its own thread can do.
     */
    public static <T> T callInFiberOf(Object token, java.util.function.Supplier<T> body) {
        ACTING_FOR_FIBER.set(Boolean.TRUE);
        FiberScope saved = FIBER.get();
        if (token == null) {
            FIBER.remove();
        } else {
            FIBER.set((FiberScope) token);
        }
        try {
            return body.get();
        } finally {
            ACTING_FOR_FIBER.remove();
            if (saved == null) {
                FIBER.remove();
            } else {
                FIBER.set(saved);
            }
        }
    }

    /**
     * Runs {@code task} when the calling fiber ends (its request, log phase included, or its timer is
     * over), still holding the worker: how bindings close the connections a script left open, as nginx
     * closes a request's cosockets at its end. Returns false (and does nothing) outside fibers.
     */
    public static boolean onFiberExit(Runnable task) {
        FiberScope f = FIBER.get();
        if (f == null) {
            return false;
        }
        f.exitTasks().add(task);
        return true;
    }

    private void runExitTasks(FiberScope scope) {
        // by index: a task may register another one
        for (int i = 0; i < scope.exitTasks().size(); i++) {
            try {
                scope.exitTasks().get(i).run();
            } catch (Throwable t) {
                resty.logger().internalError("fiber exit task failed in worker " + id, t);
            }
        }
    }

    /**
     * Suspends the calling fiber until {@code future} completes, letting other fibers use the worker
     * meanwhile, and returns its result (or throws its failure, wrapped in {@link AwaitException}).
     * Must be called from a fiber holding this worker. The current request is restored afterwards.
     */
    public <T> T await(Future<T> future) {
        if (ACTING_FOR_FIBER.get() != null) {
            if (!future.isComplete() && isLoopThread()) {
                // the I/O may need this very loop to complete: blocking it would never return
                throw new AwaitException(new IllegalStateException(
                        "synchronous I/O from code running on worker " + id + "'s event loop"));
            }
            try {
                return future.toCompletionStage().toCompletableFuture().join();
            } catch (java.util.concurrent.CompletionException e) {
                throw new AwaitException(e.getCause());
            }
        }
        Fiber f = fiber;
        if (f != null) {
            // a killed fiber unwinds; it must not wait again (e.g. from a handler run while unwinding)
            f.checkKilled();
            if (!future.isComplete()) {
                f.suspendUntil(future);
                f.checkKilled();
            }
        } else if (!future.isComplete()) {
            RequestContext saved = current;
            Object[] vmState = suspendVms();
            Semaphore turn = new Semaphore(0);
            leave();
            future.onComplete(ar -> enqueue(turn));
            turn.acquireUninterruptibly();
            current = saved;
            resumeVms(vmState);
        }
        if (future.succeeded()) {
            return future.result();
        }
        throw new AwaitException(future.cause());
    }

    /** Lets the other fibers waiting for this worker run first ({@code ngx.sleep(0)}). */
    public void yieldWorker() {
        if (ACTING_FOR_FIBER.get() != null) {
            return;
        }
        Fiber f = fiber;
        if (f != null) {
            f.checkKilled();
            f.yieldWorker();
            f.checkKilled();
            return;
        }
        if (runQueue.isEmpty()) {
            return;
        }
        RequestContext saved = current;
        Object[] vmState = suspendVms();
        leave();
        enter(new Semaphore(0));
        current = saved;
        resumeVms(vmState);
    }

    // The VMs' per-fiber state (running coroutine, …) travels with the fiber across a suspension.
    Object[] suspendVms() {
        if (vmList.length == 1) {
            return new Object[] {vmList[0].suspendFiber()};
        }
        Object[] state = new Object[vmList.length];
        for (int i = 0; i < vmList.length; i++) {
            state[i] = vmList[i].suspendFiber();
        }
        return state;
    }

    void resumeVms(Object[] state) {
        for (int i = 0; i < vmList.length; i++) {
            vmList[i].resumeFiber(state[i]);
        }
    }

    /** Failure of an awaited future, carrying the original cause. */
    public static final class AwaitException extends RuntimeException {
        public AwaitException(Throwable cause) {
            super(cause == null ? "failed" : cause.getMessage(), cause, false, false);
        }
    }
}
