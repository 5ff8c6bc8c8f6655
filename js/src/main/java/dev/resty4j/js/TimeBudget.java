package dev.resty4j.js;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.graalvm.polyglot.Context;

/**
 * The per-phase time budget of JavaScript ({@code js_time_budget}, default 1 s): a script that runs longer
 * without giving the worker up (a {@code while (true) {}}) is interrupted with {@link Context#interrupt},
 * which stops it at the next safepoint and leaves the context usable, so the request gets a 500 and the
 * worker goes on. Time spent awaiting I/O does not count: the budget covers each synchronous stretch of
 * script execution.
 *
 * <p>One watchdog thread checks every budget a few times per budget period. A stretch only writes its start
 * time: scheduling and cancelling a timer task per stretch (a queue operation and a wake-up of the timer
 * thread, several per request) cost more than a short handler itself (bench/NOTES.md).
 */
final class TimeBudget {

    static final long DEFAULT_MILLIS = 1000;
    /** Stretches of a new context that run with the warm-up allowance. */
    static final int WARMUP_STRETCHES = 50;

    private static final Set<TimeBudget> BUDGETS = ConcurrentHashMap.newKeySet();
    /** How often the watchdog looks: a tenth of the smallest budget, within 5..100 ms. */
    private static volatile long tickNanos = TimeUnit.MILLISECONDS.toNanos(100);

    static {
        Thread.ofPlatform().daemon().name("resty4j-js-watchdog").start(TimeBudget::watch);
    }

    private final Context context;
    private final long millis;
    /** Incremented per stretch, so the watchdog never interrupts a later stretch than the one it saw. */
    private volatile long stretch;
    /** Start of the running stretch (System.nanoTime), or 0 between stretches. */
    private volatile long startedAt;
    private volatile long limitNanos;
    private volatile boolean fired;
    private int depth;
    private int warmups = WARMUP_STRETCHES;

    TimeBudget(Context context, long millis) {
        this.context = context;
        this.millis = millis;
        tickNanos = Math.min(tickNanos, TimeUnit.MILLISECONDS.toNanos(Math.clamp(millis / 10, 5, 100)));
        BUDGETS.add(this);
    }

    long millis() {
        return millis;
    }

    /** Starts a stretch. Stretches do not nest: an inner start is a no-op. */
    void start() {
        if (depth++ > 0) {
            return;
        }
        fired = false;
        // A new context runs cold (interpreter warm-up, host classes loading on first calls): its first
        // stretches get ten times the budget, so a slow start is not mistaken for a runaway script.
        limitNanos = TimeUnit.MILLISECONDS.toNanos(warmups > 0 ? millis * 10 : millis);
        if (warmups > 0) {
            warmups--;
        }
        stretch++;
        startedAt = System.nanoTime() | 1; // never 0
    }

    /** Ends a stretch; true when the watchdog interrupted it. */
    boolean end() {
        if (--depth > 0) {
            return false;
        }
        startedAt = 0;
        return fired;
    }

    /** The context is closed: the watchdog forgets this budget. */
    void close() {
        BUDGETS.remove(this);
    }

    private static void watch() {
        while (true) {
            LockSupport.parkNanos(tickNanos);
            long now = System.nanoTime();
            for (TimeBudget b : BUDGETS) {
                b.check(now);
            }
        }
    }

    private void check(long now) {
        long id = stretch;
        long s = startedAt;
        if (s == 0 || now - s <= limitNanos || stretch != id || startedAt != s) {
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
