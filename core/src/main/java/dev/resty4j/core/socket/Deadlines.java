package dev.resty4j.core.socket;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The read timeouts of one worker's sockets on a single Vert.x timer, as nginx keeps its timers in one
 * tree. Most reads complete long before their timeout, so arming and cancelling a Vert.x timer for each
 * (a task handed to the event loop from the script's fiber) would cost more than the read itself: here a
 * new deadline only touches the Vert.x timer when it is earlier than every pending one, and a cancelled
 * deadline is just removed from the set. Each worker has one ({@link dev.resty4j.core.worker.Worker#deadlines()}),
 * for its cosockets and the bindings' connections.
 */
public final class Deadlines {

    /** One scheduled action. */
    public static final class Entry implements Comparable<Entry> {
        final long at;
        final long seq;
        final Runnable action;

        Entry(long at, long seq, Runnable action) {
            this.at = at;
            this.seq = seq;
            this.action = action;
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final ContextInternal loop;
    /** Guarded by this. */
    private final TreeSet<Entry> entries = new TreeSet<>();
    private long seq;
    private long armedFor = Long.MAX_VALUE;
    private long timerId = -1;

    /** @param loop the event loop the actions run on */
    public Deadlines(ContextInternal loop) {
        this.loop = loop;
    }

    /** Runs {@code action} on the event loop after {@code delayMs}, unless cancelled first. */
    public Entry schedule(long delayMs, Runnable action) {
        long at = now() + delayMs;
        synchronized (this) {
            Entry e = new Entry(at, seq++, action);
            entries.add(e);
            if (at < armedFor) {
                arm(at, delayMs);
            }
            return e;
        }
    }

    public void cancel(Entry e) {
        if (e != null) {
            synchronized (this) {
                entries.remove(e);
            }
        }
    }

    /**
     * {@code f}, or a failure with {@code timeoutError} when it has not completed within {@code ms} (0 or less:
     * no limit), as a cosocket timeout bounds one operation. {@code onTimeout} (may be null) runs when the time
     * ran out; {@code onLate} (may be null) receives a result that arrives after that, to close a connection
     * nobody will use.
     */
    public <T> Future<T> bound(Future<T> f, long ms, Supplier<? extends Throwable> timeoutError, Runnable onTimeout,
            Consumer<? super T> onLate) {
        if (ms <= 0 || f.isComplete()) {
            return f;
        }
        Promise<T> p = Promise.promise();
        Entry timer = schedule(ms, () -> {
            if (p.tryFail(timeoutError.get()) && onTimeout != null) {
                onTimeout.run();
            }
        });
        f.onComplete(ar -> {
            cancel(timer);
            boolean delivered = ar.succeeded() ? p.tryComplete(ar.result()) : p.tryFail(ar.cause());
            if (!delivered && ar.succeeded() && onLate != null) {
                onLate.accept(ar.result());
            }
        });
        return p.future();
    }

    private void arm(long at, long delayMs) {
        if (timerId >= 0) {
            loop.owner().cancelTimer(timerId);
        }
        armedFor = at;
        timerId = loop.setTimer(Math.max(1, delayMs), id -> fire());
    }

    private void fire() {
        List<Entry> due = new ArrayList<>();
        synchronized (this) {
            timerId = -1;
            armedFor = Long.MAX_VALUE;
            long now = now();
            while (!entries.isEmpty() && entries.first().at <= now) {
                due.add(entries.pollFirst());
            }
            if (!entries.isEmpty()) {
                Entry next = entries.first();
                arm(next.at, next.at - now);
            }
        }
        for (Entry e : due) {
            e.action.run();
        }
    }

    private static long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }
}
