package dev.resty4j.js;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.graalvm.polyglot.Context;

/**
 * The per-phase time budget of JavaScript ({@code js_time_budget}, default 1 s): a script that runs longer
 * without giving the worker up (a {@code while (true) {}}) is interrupted with {@link Context#interrupt},
 * which stops it at the next safepoint and leaves the context usable, so the request gets a 500 and the
 * worker goes on. Time spent awaiting I/O does not count: the budget covers each synchronous stretch of
 * script execution.
 */
final class TimeBudget {

    static final long DEFAULT_MILLIS = 1000;

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "resty4j-js-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Context context;
    private final long millis;
    /** Incremented per stretch, so a late watchdog never interrupts a later stretch. */
    private volatile long stretch;
    private volatile boolean fired;

    TimeBudget(Context context, long millis) {
        this.context = context;
        this.millis = millis;
    }

    long millis() {
        return millis;
    }

    /** Starts a stretch; returns its token for {@link #end}. Stretches do not nest: an inner start is a no-op. */
    Object start() {
        if (depth++ > 0) {
            return null;
        }
        long id = ++stretch;
        fired = false;
        // A new context runs cold (interpreter warm-up, host classes loading on first calls): its first
        // stretches get ten times the budget, so a slow start is not mistaken for a runaway script.
        long limit = warmups > 0 ? millis * 10 : millis;
        if (warmups > 0) {
            warmups--;
        }
        return WATCHDOG.schedule(() -> interrupt(id), limit, TimeUnit.MILLISECONDS);
    }

    private int depth;
    /** Stretches still run with the warm-up allowance. */
    private int warmups = WARMUP_STRETCHES;
    static final int WARMUP_STRETCHES = 50;

    /** Ends a stretch; true when the watchdog interrupted it. */
    boolean end(Object token) {
        if (--depth > 0 || token == null) {
            return false;
        }
        ((ScheduledFuture<?>) token).cancel(false);
        stretch++;
        return fired;
    }

    private void interrupt(long id) {
        if (stretch != id) {
            return;
        }
        fired = true;
        try {
            context.interrupt(Duration.ofSeconds(5));
        } catch (TimeoutException | RuntimeException e) {
            // the script did not reach a safepoint in time; it still stops when it does
        }
    }
}
