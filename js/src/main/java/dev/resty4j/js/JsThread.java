package dev.resty4j.js;

import dev.resty4j.core.worker.Worker;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

/**
 * The one thread that enters a worker's JS context. Requests run on fibers, a new virtual thread each, and
 * a GraalJS context entered from a thread it has not seen initialises per-thread state first (measured
 * 30–300 µs per request on this machine, against a few µs for a call from a known thread); so the fiber
 * holding the worker hands its JS work to this thread and waits for it. Only the fiber holding the worker
 * submits, so the thread never has two callers; the work runs as part of the caller's fiber
 * ({@link Worker#callInFiberOf}), so bindings that tie resources to the fiber still see it.
 */
final class JsThread {

    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final Thread thread;

    JsThread(int workerId) {
        // A platform thread: a virtual one was ten times slower in the dispatched benchmark (bench/results).
        // A deep JS stack (recursive scripts) needs more than the default 1 MB.
        this.thread = Thread.ofPlatform().daemon().name("resty4j-js-worker-" + workerId).stackSize(8L << 20)
                .start(this::loop);
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

    /** Runs {@code body} on this thread (directly when already on it) and returns its result or throws its exception. */
    <T> T call(Supplier<T> body) {
        if (Thread.currentThread() == thread) {
            return body.get();
        }
        Object fiber = Worker.fiberToken();
        CompletableFuture<T> done = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                done.complete(Worker.callInFiberOf(fiber, body));
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            return done.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    void stop() {
        thread.interrupt();
    }
}
