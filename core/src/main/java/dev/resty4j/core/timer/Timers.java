package dev.resty4j.core.timer;

import dev.resty4j.Phase;
import dev.resty4j.Resty;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.phase.InitPhase;
import dev.resty4j.core.phase.PhaseRunner;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.worker.Worker;
import io.vertx.core.Context;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * One worker's {@code ngx.timer.at} / {@code ngx.timer.every} timers, with lua-nginx-module's rules:
 * <ul>
 *   <li>at most {@code lua_max_pending_timers} (default 1024) timers wait to expire; one more is refused
 *       with "too many pending timers";</li>
 *   <li>at most {@code lua_max_running_timers} (default 256) callbacks run at once; a timer expiring beyond
 *       that is dropped with an alert "N lua_max_running_timers are not enough";</li>
 *   <li>a callback runs as the entry thread of a detached request context in phase {@link Phase#TIMER}, on
 *       its own fiber of the worker that created the timer, and may sleep, use cosockets and light threads;
 *       its errors are logged and never reach the worker;</li>
 *   <li>an {@code every} timer is re-armed when it expires (before its callback runs), until the worker
 *       exits;</li>
 *   <li>when the instance closes ({@link #expireAll}), the pending timers expire at once with
 *       {@code premature = true}, and new timers with a delay are refused ("process exiting").</li>
 * </ul>
 *
 * <p>Expiry uses Vert.x timers on one event-loop context per worker, so timers expire in deadline order
 * (ties in creation order). A timer that expires goes into the {@link #expired} queue and one fiber is
 * spawned for it; each such fiber, once it holds the worker, runs the <em>oldest</em> expired timer, so
 * callbacks start in expiry order however the fibers get scheduled.
 *
 * <p>Engine-neutral: an engine hands in a {@link Callback} that calls its script function.
 */
public final class Timers {

    /** Default of {@code lua_max_pending_timers}. */
    public static final int DEFAULT_MAX_PENDING = 1024;
    /** Default of {@code lua_max_running_timers}. */
    public static final int DEFAULT_MAX_RUNNING = 256;

    /** What a timer runs. */
    public interface Callback {
        /**
         * Calls the script function with {@code premature} and the user arguments, on the timer's fiber, with
         * {@code ctx} as the worker's current request. Returns normally after {@code ngx.exit}; throws
         * {@link dev.resty4j.core.engine.ScriptError} for a script error.
         */
        void run(RequestContext ctx, boolean premature);

        /** Where the function is defined, as OpenResty prints it: {@code =content_by_lua(nginx.conf:12):12}. */
        String definedAt();

        /** The engine's language ("lua"), for log lines. */
        String language();
    }

    private static final Comparator<Pending> ORDER =
            Comparator.comparingLong((Pending p) -> p.deadline).thenComparingLong(p -> p.seq);

    private final Worker worker;
    private final Object lock = new Object();
    private final TreeSet<Pending> pending = new TreeSet<>(ORDER);
    private final ArrayDeque<Pending> expired = new ArrayDeque<>();
    private int running;
    private long seq;

    public Timers(Worker worker) {
        this.worker = worker;
    }

    /**
     * {@code ngx.timer.at(delay, ...)}: returns null when the timer was created, or OpenResty's error string
     * ("too many pending timers", "process exiting").
     */
    public String at(double delaySeconds, Callback callback) {
        return create(delaySeconds, false, callback);
    }

    /** {@code ngx.timer.every(delay, ...)}: like {@link #at}, re-armed at every expiry; the delay must not be 0. */
    public String every(double delaySeconds, Callback callback) {
        return create(delaySeconds, true, callback);
    }

    /** {@code ngx.timer.pending_count()}: timers created and not yet run. */
    public int pendingCount() {
        synchronized (lock) {
            return pending.size() + expired.size();
        }
    }

    /** {@code ngx.timer.running_count()}: callbacks running now (including those waiting for I/O). */
    public int runningCount() {
        synchronized (lock) {
            return running;
        }
    }

    private String create(double delaySeconds, boolean every, Callback callback) {
        String fn = every ? "every" : "at";
        if (Double.isNaN(delaySeconds) || delaySeconds < 0) {
            throw new NgxApiException("bad argument #1 to '" + fn + "' (delay must not be negative)");
        }
        long delayMs = (long) (delaySeconds * 1000);
        if (every && delayMs == 0) {
            throw new NgxApiException("delay cannot be zero");
        }
        if (worker.exiting() && delayMs > 0) {
            return "process exiting";
        }
        Pending p;
        synchronized (lock) {
            if (pending.size() + expired.size() >= maxPending()) {
                return "too many pending timers";
            }
            p = new Pending(callback, delayMs, every ? delayMs : 0);
        }
        arm(p);
        return null;
    }

    /** Schedules a timer: adds it to the pending set and sets its Vert.x timer on this worker's context. */
    private void arm(Pending p) {
        synchronized (lock) {
            p.seq = ++seq;
            p.deadline = System.nanoTime() + p.delayMs * 1_000_000L;
            pending.add(p);
        }
        if (p.delayMs == 0) {
            expire(p, false);
            return;
        }
        // Setting the Vert.x timer from the context's own event loop binds it there, so all of this worker's
        // timers fire on one thread, in deadline order.
        context().runOnContext(v -> {
            synchronized (lock) {
                if (pending.contains(p)) {
                    p.vertxTimer = worker.resty().vertx().setTimer(p.delayMs, id -> expire(p, false));
                }
            }
        });
    }

    /**
     * A plain delay ({@code ngx.sleep}) on this worker's timer context, so that the delays and timers of one
     * worker all expire on one event loop, in deadline order.
     */
    public Delay delay(long ms) {
        Delay d = new Delay();
        context().runOnContext(v -> d.arm(worker.resty().vertx(), ms));
        return d;
    }

    /** A pending {@link #delay}. */
    public static final class Delay {
        private final io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        private io.vertx.core.Vertx vertx;
        private long id = -1;
        private boolean cancelled;

        /** Completes when the delay is over. */
        public io.vertx.core.Future<Void> future() {
            return done.future();
        }

        /** Drops the delay (its future never completes). */
        public synchronized void cancel() {
            cancelled = true;
            if (id >= 0) {
                vertx.cancelTimer(id);
            }
        }

        private synchronized void arm(io.vertx.core.Vertx vertx, long ms) {
            if (!cancelled) {
                this.vertx = vertx;
                this.id = vertx.setTimer(ms, t -> done.tryComplete());
            }
        }
    }

    private Context context() {
        return worker.loop();
    }

    /** Moves a pending timer to the expired queue and starts a fiber to run it; no-op if it already left. */
    private void expire(Pending p, boolean premature) {
        synchronized (lock) {
            if (!pending.remove(p)) {
                return;
            }
            p.premature = premature;
            expired.add(p);
        }
        worker.spawn(this::runOldestExpired);
    }

    /** Runs on a fiber holding the worker: the oldest expired timer's callback. */
    private void runOldestExpired() {
        Pending p;
        synchronized (lock) {
            p = expired.poll();
        }
        if (p == null) {
            return;
        }
        if (p.interval > 0 && !worker.exiting()) {
            arm(new Pending(p.callback, p.interval, p.interval));
        }
        int max = maxRunning();
        synchronized (lock) {
            if (running >= max) {
                worker.resty().logger().log(LogLevel.ALERT, null, "lua failed to run timer with function defined at "
                        + p.callback.definedAt() + ": " + max + " lua_max_running_timers are not enough");
                lock.notifyAll();
                return;
            }
            running++;
        }
        try {
            Resty resty = worker.resty();
            RequestContext ctx = InitPhase.detached(resty, worker, Phase.TIMER);
            worker.current(ctx);
            try {
                PhaseRunner.runEntry(ctx, p.callback.language(), () -> p.callback.run(ctx, p.premature));
            } finally {
                ctx.runCleanups(); // the timer's request ends: close the cosockets its callback left open
            }
        } finally {
            synchronized (lock) {
                running--;
                lock.notifyAll();
            }
        }
    }

    /**
     * Called when the instance closes, after the worker is marked exiting: expires every pending timer now,
     * with {@code premature = true}, in deadline order. See {@link #awaitIdle}.
     */
    public void expireAll() {
        List<Pending> all;
        synchronized (lock) {
            all = new ArrayList<>(pending);
        }
        for (Pending p : all) {
            long id;
            synchronized (lock) {
                id = p.vertxTimer;
            }
            if (id >= 0) {
                worker.resty().vertx().cancelTimer(id);
            }
            expire(p, true);
        }
    }

    /**
     * Waits until no timer is pending or running (callbacks may still create zero-delay timers while the
     * worker exits), until {@code deadlineMillis} (wall clock); returns false on timeout, with a warning.
     */
    public boolean awaitIdle(long deadlineMillis) {
        synchronized (lock) {
            while (running > 0 || !pending.isEmpty() || !expired.isEmpty()) {
                long left = deadlineMillis - System.currentTimeMillis();
                if (left <= 0) {
                    worker.resty().logger().log(LogLevel.WARN, null, (running + expired.size() + pending.size())
                            + " lua timers still running or pending on worker " + worker.id() + " at exit");
                    return false;
                }
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private int maxPending() {
        return intDirective("lua_max_pending_timers", DEFAULT_MAX_PENDING);
    }

    private int maxRunning() {
        return intDirective("lua_max_running_timers", DEFAULT_MAX_RUNNING);
    }

    private int intDirective(String name, int dflt) {
        List<String> args = worker.resty().settings().directive(name);
        if (args == null || args.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(args.get(0).trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** A timer waiting to expire (or expired and waiting for its fiber). */
    private static final class Pending {
        final Callback callback;
        final long delayMs;
        /** Re-arm interval of an {@code every} timer, 0 for {@code at}. */
        final long interval;
        long deadline;
        long seq;
        long vertxTimer = -1;
        boolean premature;

        Pending(Callback callback, long delayMs, long interval) {
            this.callback = callback;
            this.delayMs = delayMs;
            this.interval = interval;
        }
    }
}
