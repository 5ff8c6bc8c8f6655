package dev.resty4j.core.api;

import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.worker.Fiber;
import dev.resty4j.core.worker.Worker;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;

/**
 * {@code ngx.semaphore} (lua-resty-core): a counting semaphore shared by the requests, timers and light
 * threads of one worker. {@link #waitFor} takes a resource or suspends the calling thread (entry thread,
 * light thread or coroutine) through the worker until {@link #post} releases one, or the timeout passes.
 * Waiters are served first come, first served; a waiter that is killed ({@code ngx.exit} in another light
 * thread) leaves the queue, and gives back a resource it was handed but could not use.
 *
 * <p>Thread-safe: timeouts fire on a Vert.x event loop while fibers post and wait.
 */
public final class NgxSemaphore {

    private final Worker worker;
    private final ArrayDeque<Promise<Boolean>> waiters = new ArrayDeque<>();
    private int resources;

    private NgxSemaphore(Worker worker, int resources) {
        this.worker = worker;
        this.resources = resources;
    }

    /** {@code semaphore.new(n)}. */
    public static NgxSemaphore create(Worker worker, int n) {
        if (n < 0) {
            throw new NgxApiException("no negative number");
        }
        return new NgxSemaphore(worker, n);
    }

    /** The worker the semaphore belongs to (it must not be used from another worker's VM). */
    public Worker worker() {
        return worker;
    }

    /** {@code sem:count()}: resources minus waiting threads (negative while threads wait). */
    public synchronized int count() {
        return resources - waiters.size();
    }

    /** {@code sem:post(n)}: releases {@code n} (≥ 1) resources, waking the longest waiting threads. */
    public void post(int n) {
        if (n < 1) {
            throw new NgxApiException("no negative number");
        }
        synchronized (this) {
            resources += n;
            handOut();
        }
    }

    /**
     * {@code sem:wait(timeout)}: returns null once a resource is taken, {@code "timeout"} when none came in
     * {@code seconds} (0: do not wait), or OpenResty's "API disabled in the context of ..." error string in
     * a context that cannot suspend.
     */
    public String waitFor(RequestContext req, double seconds) {
        if (Double.isNaN(seconds) || seconds < 0) {
            throw new NgxApiException("no negative number");
        }
        if (req == null || req.phase() == null) {
            throw new NgxApiException("no request found");
        }
        Promise<Boolean> granted;
        synchronized (this) {
            if (waiters.isEmpty() && resources > 0) {
                resources--;
                return null;
            }
            if (seconds == 0) {
                return "timeout";
            }
            if (!Contexts.YIELDABLE.contains(req.phase())) {
                return Contexts.disabled(req.phase()).getMessage();
            }
            granted = Promise.promise();
            waiters.add(granted);
        }
        Vertx vertx = worker.resty().vertx();
        long ms = Math.max(1, Math.round(seconds * 1000));
        long timer = vertx.setTimer(ms, id -> {
            synchronized (this) {
                if (waiters.remove(granted)) {
                    granted.tryComplete(false);
                }
            }
        });
        try {
            boolean ok = worker.await(granted.future());
            if (ok) {
                vertx.cancelTimer(timer);
            }
            return ok ? null : "timeout";
        } catch (Fiber.Killed k) {
            vertx.cancelTimer(timer);
            synchronized (this) {
                if (!waiters.remove(granted) && Boolean.TRUE.equals(granted.future().result())) {
                    resources++;
                    handOut();
                }
            }
            throw k;
        }
    }

    private void handOut() {
        while (resources > 0 && !waiters.isEmpty()) {
            resources--;
            waiters.poll().tryComplete(true);
        }
    }
}
