package dev.resty4j.js;

import dev.resty4j.SharedDict;
import dev.resty4j.core.shdict.MemorySharedDict;
import dev.resty4j.core.worker.Worker;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The thread that enters a worker's JS context. Requests run on fibers, a new virtual thread each, and a
 * GraalJS context entered from a thread it has not seen initialises per-thread state first (measured 30–300 µs
 * per request, against a few µs for a call from a known thread); so the fiber holding the worker hands its JS
 * work to one long-lived thread and waits for it. Only the fiber holding the worker submits, so the context
 * never has two threads in it; the work runs as part of the caller's fiber ({@link Worker#callInFiberOf}), so
 * bindings that tie resources to the fiber still see it.
 *
 * <p>Which thread: the worker's event-loop thread while the worker's fibers run on that loop, so the fiber
 * (mounted on the loop) parks, the loop runs the JS, and the fiber resumes, all on one thread with no wake-up
 * (bench/NOTES.md); otherwise, and when a shared dict is backed by a network store (its operations block the
 * calling thread until the store answers, which on the loop that serves the store's connection would never
 * happen), a dedicated platform thread.
 */
final class JsThread {

    private final Worker worker;
    private final boolean loopAllowed;
    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    /** The dedicated thread, started on first use (with a loop, most workers never need it). */
    private Thread thread;

    JsThread(Worker worker) {
        this.worker = worker;
        boolean allInMemory = true;
        for (SharedDict d : worker.resty().sharedDicts().values()) {
            allInMemory &= d instanceof MemorySharedDict;
        }
        this.loopAllowed = allInMemory;
    }

    private synchronized Executor dedicated() {
        if (thread == null) {
            // A platform thread: a virtual one was ten times slower in the dispatched benchmark (bench/results).
            // A deep JS stack (recursive scripts) needs more than the default 1 MB.
            thread = Thread.ofPlatform().daemon().name("resty4j-js-worker-" + worker.id()).stackSize(8L << 20)
                    .start(this::loop);
        }
        return tasks::add;
    }

    private void loop() {
        while (true) {
            Runnable r;
            try {
                r = tasks.take();
            } catch (InterruptedException e) {
                return;
            }
            r.run();
        }
    }

    /** Runs {@code body} on the JS thread (directly when already on it) and returns its result or throws its exception. */
    <T> T call(Supplier<T> body) {
        Thread me = Thread.currentThread();
        if (me == thread || (!me.isVirtual() && worker.isLoopThread())) {
            return body.get();
        }
        Executor executor = loopAllowed && worker.runsFibersOnLoop() ? worker.loop().nettyEventLoop() : dedicated();
        Call<T> call = new Call<>(Worker.fiberToken(), body, me);
        executor.execute(call);
        return call.join();
    }

    /**
     * One hand-off: run on the JS thread, then wake the caller. A park/unpark pair, where a CompletableFuture's
     * join (its Signaller, managed blocking) cost more than the JS of a short phase.
     */
    private static final class Call<T> implements Runnable {
        private final Object fiber;
        private final Supplier<T> body;
        private final Thread caller;
        private T result;
        private Throwable failure;
        private volatile boolean done;

        Call(Object fiber, Supplier<T> body, Thread caller) {
            this.fiber = fiber;
            this.body = body;
            this.caller = caller;
        }

        @Override
        public void run() {
            try {
                result = Worker.callInFiberOf(fiber, body);
            } catch (Throwable t) {
                failure = t;
            }
            done = true;
            LockSupport.unpark(caller);
        }

        T join() {
            boolean interrupted = false;
            while (!done) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure instanceof RuntimeException re) {
                throw re;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return result;
        }
    }

    synchronized void stop() {
        if (thread != null) {
            thread.interrupt();
        }
    }
}
