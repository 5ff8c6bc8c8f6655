package dev.resty4j.core.socket;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The read timeouts of one worker's sockets on a single Vert.x timer, as nginx keeps its timers in one
 * tree. Most reads complete long before their timeout, so arming and cancelling a Vert.x timer for each
 * (a task handed to the event loop from the script's fiber) would cost more than the read itself: here a
 * new deadline only touches the Vert.x timer when it is earlier than every pending one.
 *
 * <p>Scripts use a handful of distinct timeouts ({@code set_timeout(1000)}, a keepalive's idle time), and
 * deadlines of one duration fall due in the order they were set. So each duration has a FIFO queue: setting
 * a deadline appends, cancelling only marks the entry, and cancelled entries are dropped when they reach the
 * head of their queue (at the next deadline of that duration, or when the timer fires), or all at once when
 * they are more than half of a queue (a long-lived entry at the head, such as an idle pooled connection's,
 * must not hold back the thousands set and cancelled behind it). Each worker has one
 * ({@link dev.resty4j.core.worker.Worker#deadlines()}), for its cosockets and the bindings' connections.
 */
public final class Deadlines {

    /** One scheduled action. */
    public static final class Entry {
        final long at;
        final Runnable action;
        final Queue queue;
        /** Cancelled or fired. Guarded by the owning Deadlines. */
        boolean done;

        Entry(long at, Runnable action, Queue queue) {
            this.at = at;
            this.action = action;
            this.queue = queue;
        }
    }

    /** The entries of one duration, in due order. Guarded by the owning Deadlines. */
    static final class Queue {
        final ArrayDeque<Entry> entries = new ArrayDeque<>();
        /** Entries in the queue that are cancelled. */
        int cancelled;

        void dropCancelledHeads() {
            Entry head;
            while ((head = entries.peekFirst()) != null && head.done) {
                entries.pollFirst();
                cancelled--;
            }
        }

        void cancel(Entry e) {
            e.done = true;
            if (++cancelled > 64 && cancelled > entries.size() / 2) {
                entries.removeIf(x -> x.done);
                cancelled = 0;
            }
        }
    }

    private final ContextInternal loop;
    /** Pending entries by duration in ms, each queue in due order. Guarded by this. */
    private final Map<Long, Queue> queues = new HashMap<>();
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
            Queue q = queues.get(delayMs);
            if (q == null) {
                q = new Queue();
                queues.put(delayMs, q);
            } else {
                q.dropCancelledHeads();
            }
            Entry e = new Entry(at, action, q);
            q.entries.addLast(e);
            if (at < armedFor) {
                arm(at, delayMs);
            }
            return e;
        }
    }

    public void cancel(Entry e) {
        if (e != null) {
            synchronized (this) {
                if (!e.done) {
                    e.queue.cancel(e);
                }
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
        return bound(f, ms, timeoutError, onTimeout, onLate, null);
    }

    /**
     * Like {@link #bound(Future, long, Supplier, Runnable, Consumer)}; {@code onFailure} (may be null) turns a
     * failure of {@code f} that arrives in time into the one reported, and may act on it (drop the connection).
     * It runs in the same listener: no further future stage on a path that runs for every operation.
     */
    public <T> Future<T> bound(Future<T> f, long ms, Supplier<? extends Throwable> timeoutError, Runnable onTimeout,
            Consumer<? super T> onLate, Function<Throwable, Throwable> onFailure) {
        boolean timed = ms > 0 && !f.isComplete();
        if (!timed && onFailure == null) {
            return f;
        }
        Promise<T> p = Promise.promise();
        Entry timer = !timed ? null : schedule(ms, () -> {
            if (p.tryFail(timeoutError.get()) && onTimeout != null) {
                onTimeout.run();
            }
        });
        f.onComplete(ar -> {
            cancel(timer);
            if (ar.succeeded()) {
                if (!p.tryComplete(ar.result()) && onLate != null) {
                    onLate.accept(ar.result());
                }
            } else if (!p.future().isComplete()) { // a failure after the timeout is nobody's to report
                p.tryFail(onFailure == null ? ar.cause() : onFailure.apply(ar.cause()));
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
            long next = Long.MAX_VALUE;
            for (Iterator<Queue> it = queues.values().iterator(); it.hasNext(); ) {
                Queue q = it.next();
                q.dropCancelledHeads();
                Entry head;
                while ((head = q.entries.peekFirst()) != null && head.at <= now) {
                    q.entries.pollFirst();
                    head.done = true; // fired: a later cancel is a no-op
                    due.add(head);
                    q.dropCancelledHeads();
                }
                if (head == null) {
                    it.remove();
                } else {
                    next = Math.min(next, head.at);
                }
            }
            if (next != Long.MAX_VALUE) {
                arm(next, next - now);
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
