package dev.resty4j.core.phase;

import dev.resty4j.Phase;
import dev.resty4j.Resty;
import dev.resty4j.Script;
import dev.resty4j.core.engine.ScriptException;
import dev.resty4j.core.request.Headers;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.worker.Worker;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code init_by_lua}, {@code init_worker_by_lua} and {@code exit_worker_by_lua}: run in every worker,
 * without a request. An error in init fails the start (nginx refuses to start); an error in init_worker
 * or exit_worker is logged.
 */
public final class InitPhase {

    private InitPhase() {
    }

    /** Runs init then init_worker in every worker; waits for all of them. */
    public static void run(Resty resty) throws ScriptException {
        AtomicReference<String> initFailure = new AtomicReference<>();
        forEachWorker(resty, (worker, req) -> {
            for (Script init : resty.initScripts()) {
                if (PhaseRunner.run(req, Phase.INIT, init, null) == PhaseRunner.Outcome.ERROR) {
                    initFailure.compareAndSet(null, "init_by_" + init.language() + " failed in worker " + worker.id()
                            + " (see the error log)");
                    return;
                }
            }
            for (Script initWorker : resty.initWorkerScripts()) {
                PhaseRunner.run(req, Phase.INIT_WORKER, initWorker, null);
            }
        }, 0);
        if (initFailure.get() != null) {
            throw new ScriptException(initFailure.get());
        }
    }

    /** How long closing waits for timer callbacks (nginx waits for them too before exit_worker_by_lua). */
    private static final long TIMER_SHUTDOWN_MILLIS = 10_000;

    /**
     * Marks the workers exiting ({@code ngx.worker.exiting()}), expires their pending timers prematurely and
     * waits for the callbacks, then runs exit_worker_by_lua in each.
     */
    public static void exit(Resty resty) {
        for (int i = 0; i < resty.workerCount(); i++) {
            resty.worker(i).exiting(true);
        }
        for (int i = 0; i < resty.workerCount(); i++) {
            resty.worker(i).timers().expireAll();
        }
        long deadline = System.currentTimeMillis() + TIMER_SHUTDOWN_MILLIS;
        for (int i = 0; i < resty.workerCount(); i++) {
            resty.worker(i).timers().awaitIdle(deadline);
        }
        List<Script> exitWorker = resty.exitWorkerScripts();
        if (!exitWorker.isEmpty()) {
            // Bounded: a request still running on a worker's event loop cannot finish while the closing thread
            // blocks that very loop (close() called from a verticle's stop(), say), and would hold the worker.
            if (!forEachWorker(resty, (worker, req) -> exitWorker.forEach(s -> PhaseRunner.run(req, Phase.EXIT_WORKER, s, null)),
                    TIMER_SHUTDOWN_MILLIS)) {
                resty.logger().log(dev.resty4j.core.log.LogLevel.ALERT, null, "exit_worker did not finish in every worker within "
                        + TIMER_SHUTDOWN_MILLIS + " ms; closing anyway");
            }
        }
    }

    /** A request context for code that runs outside any request (init, timers). */
    public static RequestContext detached(Resty resty, Worker worker, Phase phase) {
        RequestContext req = resty.newRequest(new Headers(0));
        req.worker(worker);
        req.phase(phase);
        return req;
    }

    /** Runs {@code body} once in each worker; waits for all, at most {@code maxMillis} (0: no limit). */
    private static boolean forEachWorker(Resty resty, java.util.function.BiConsumer<Worker, RequestContext> body,
            long maxMillis) {
        CountDownLatch done = new CountDownLatch(resty.workerCount());
        for (int i = 0; i < resty.workerCount(); i++) {
            Worker w = resty.worker(i);
            w.spawn(() -> {
                try {
                    body.accept(w, detached(resty, w, Phase.INIT));
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            if (maxMillis <= 0) {
                done.await();
                return true;
            }
            return done.await(maxMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
