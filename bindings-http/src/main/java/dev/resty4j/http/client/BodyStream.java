package dev.resty4j.http.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;

/**
 * A response body read on demand, the way a cosocket reads: the Vert.x stream stays paused and buffers
 * are fetched ahead only up to {@link #READ_AHEAD} bytes, so a slow reader holds little in memory while TCP
 * flow control holds back the peer; the read-ahead spares a trip to the event loop per read of a small or
 * fast body. Each wait for data is bounded by the read timeout.
 *
 * <p>Must be created on the stream's event loop, before any data can arrive (in the callback that
 * delivers the response head).
 */
public final class BodyStream {

    /** Bytes fetched before the reader asks for them (at most one more buffer may arrive on top). */
    static final int READ_AHEAD = 64 * 1024;

    private final dev.resty4j.core.socket.Deadlines deadlines;
    private final ReadStream<Buffer> source;
    private final Context context;
    private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
    private long queued;
    private boolean ended;
    private Throwable failure;
    private Promise<Void> waiter;
    private boolean demanded;
    private long received;

    /**
     * @param expectBody false for responses without a body (HEAD, 204, …): the stream then flows at once, so
     *                   its end is seen without a read
     */
    BodyStream(dev.resty4j.core.socket.Deadlines deadlines, ReadStream<Buffer> source, boolean expectBody) {
        this.deadlines = deadlines;
        this.source = source;
        this.context = Vertx.currentContext();
        source.pause();
        source.handler(this::onData);
        source.endHandler(v -> onEnd());
        source.exceptionHandler(this::onError);
        if (!expectBody) {
            source.resume();
        } else {
            demanded = true;
            source.fetch(1);
        }
    }

    /** Runs on the event loop: queues the buffer and fetches the next one while under the read-ahead. */
    private void onData(Buffer b) {
        Promise<Void> w;
        boolean more;
        synchronized (this) {
            queue.add(b);
            queued += b.length();
            received += b.length();
            more = queued < READ_AHEAD;
            demanded = more;
            w = takeWaiter();
        }
        wake(w);
        if (more) {
            source.fetch(1);
        }
    }

    private void onEnd() {
        Promise<Void> w;
        synchronized (this) {
            ended = true;
            w = takeWaiter();
        }
        wake(w);
    }

    private void onError(Throwable t) {
        Promise<Void> w;
        synchronized (this) {
            if (!ended && failure == null) {
                failure = t;
            }
            w = takeWaiter();
        }
        wake(w);
    }

    private Promise<Void> takeWaiter() {
        Promise<Void> w = waiter;
        waiter = null;
        return w;
    }

    private static void wake(Promise<Void> w) {
        if (w != null) {
            w.tryComplete();
        }
    }

    /** True once the whole body was received and handed out. */
    public synchronized boolean finished() {
        return ended && queue.isEmpty();
    }

    /** Body bytes received from the peer so far. */
    public synchronized long bytesReceived() {
        return received;
    }

    /**
     * The next data, at most {@code max} bytes ({@code max <= 0}: whatever is available), or null at the
     * end of the body. Fails with the stream's error, or {@code timeout} after {@code timeoutMs} without data.
     */
    public Future<Buffer> next(int max, long timeoutMs, Runnable onTimeout) {
        return await(1, timeoutMs, onTimeout).compose(v -> Future.succeededFuture(take(max)));
    }

    /** Fetches ahead again once the reader took the queue below the read-ahead. */
    private void refill() {
        boolean fetch;
        synchronized (this) {
            fetch = !demanded && !ended && failure == null && queued < READ_AHEAD;
            if (fetch) {
                demanded = true;
            }
        }
        if (fetch) {
            if (context == null || Loops.runningOn(context)) {
                source.fetch(1);
            } else {
                context.runOnContext(v -> source.fetch(1));
            }
        }
    }

    /**
     * Exactly {@code n} bytes, or fewer if the body ends first (null when nothing is left): the reads of a
     * {@code Content-Length} body in chunks of a given size.
     */
    public Future<Buffer> exactly(int n, long timeoutMs, Runnable onTimeout) {
        synchronized (this) {
            if (queued >= n || ended || failure != null) {
                return failure != null && queued < n ? Future.failedFuture(failure) : Future.succeededFuture(take(n));
            }
        }
        return await(n, timeoutMs, onTimeout).compose(v -> exactly(n, timeoutMs, onTimeout));
    }

    /** The rest of the body, each wait for data bounded by {@code timeoutMs}. */
    public Future<Buffer> rest(long timeoutMs, Runnable onTimeout) {
        Buffer all = Buffer.buffer();
        return drain(all, timeoutMs, onTimeout);
    }

    private Future<Buffer> drain(Buffer into, long timeoutMs, Runnable onTimeout) {
        while (true) {
            synchronized (this) {
                if (queue.isEmpty()) {
                    if (ended) {
                        return Future.succeededFuture(into);
                    }
                    if (failure != null) {
                        return Future.failedFuture(new PartialBody(failure, into));
                    }
                    break;
                }
                into.appendBuffer(pollLocked(Integer.MAX_VALUE));
            }
        }
        return await(1, timeoutMs, onTimeout)
                .recover(t -> Future.failedFuture(new PartialBody(t, into)))
                .compose(v -> drain(into, timeoutMs, onTimeout));
    }

    /** A failure after part of the body arrived; lua-resty-http hands the partial data back too. */
    public static final class PartialBody extends Exception {
        public final transient Buffer partial;

        PartialBody(Throwable cause, Buffer partial) {
            super(cause.getMessage(), cause, false, false);
            this.partial = partial;
        }
    }

    /** Completes when at least {@code bytes} are queued, or the body ended or failed. */
    private Future<Void> await(long bytes, long timeoutMs, Runnable onTimeout) {
        Promise<Void> p;
        boolean fetch = false;
        synchronized (this) {
            if (queued >= bytes || ended || failure != null) {
                return Future.succeededFuture();
            }
            p = Promise.promise();
            waiter = p;
            if (!demanded) {
                demanded = true;
                fetch = true;
            }
        }
        if (fetch) {
            if (context == null || Loops.runningOn(context)) {
                source.fetch(1);
            } else {
                context.runOnContext(v -> source.fetch(1));
            }
        }
        return Timeouts.within(deadlines, p.future(), timeoutMs, onTimeout);
    }

    private Buffer take(int max) {
        Buffer b;
        synchronized (this) {
            if (queue.isEmpty()) {
                if (failure != null) {
                    throw new io.vertx.core.VertxException(failure);
                }
                return null; // ended
            }
            b = pollLocked(max <= 0 ? Integer.MAX_VALUE : max);
        }
        refill();
        return b;
    }

    private Buffer pollLocked(int max) {
        Buffer head = queue.peekFirst();
        if (head.length() <= max) {
            queue.pollFirst();
            queued -= head.length();
            if (max == Integer.MAX_VALUE || head.length() == max || queue.isEmpty()) {
                return head;
            }
            // gather more buffers up to max
            Buffer out = Buffer.buffer(Math.min(max, (int) Math.min(Integer.MAX_VALUE, queued + head.length())));
            out.appendBuffer(head);
            while (!queue.isEmpty() && out.length() < max) {
                Buffer next = queue.peekFirst();
                int room = max - out.length();
                if (next.length() <= room) {
                    queue.pollFirst();
                    queued -= next.length();
                    out.appendBuffer(next);
                } else {
                    out.appendBuffer(next, 0, room);
                    queue.pollFirst();
                    queue.addFirst(next.slice(room, next.length()));
                    queued -= room;
                }
            }
            return out;
        }
        Buffer part = head.slice(0, max).copy();
        queue.pollFirst();
        queue.addFirst(head.slice(max, head.length()));
        queued -= max;
        return part;
    }
}
