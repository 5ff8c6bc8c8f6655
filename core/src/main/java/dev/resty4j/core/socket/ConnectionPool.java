package dev.resty4j.core.socket;

import dev.resty4j.core.request.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A keepalive pool of one worker, as lua-nginx-module keeps them: keyed by "host:port", "unix:/path" or
 * the {@code pool} option, holding at most {@code size} idle connections (most recently used first).
 *
 * <p>{@code connections} counts the connections that belong to the pool: idle ones plus those in use that
 * were connected through it. With a {@code backlog} (the {@code connect} option), a connect beyond
 * {@code size} waits in a queue until a connection is closed or returned, for at most the connect timeout
 * ("timeout"), and a connect beyond {@code size + backlog} fails at once with "too many waiting connect
 * operations". When the count drops to zero the pool is forgotten, so the next connect or setkeepalive
 * may create it again with another size.
 *
 * <p>All state is guarded by the owning {@link Cosockets}' monitor (scripts and Vert.x callbacks both reach
 * it); promises are completed outside it.
 */
final class ConnectionPool implements TcpConnection.IdleOwner {

    private final Cosockets owner;
    final String key;
    final int size;
    /** Waiting room for connects beyond {@code size}; -1: no queue, connects are never held back. */
    final int backlog;
    private int connections;
    private final Deque<TcpConnection> idle = new ArrayDeque<>();
    private final Deque<Waiter> waiters = new ArrayDeque<>();

    ConnectionPool(Cosockets owner, String key, int size, int backlog) {
        this.owner = owner;
        this.key = key;
        this.size = size;
        this.backlog = backlog;
    }

    /** Idle connections parked now (guarded by the owner's monitor, which the caller holds). */
    int idleCount() {
        return idle.size();
    }

    /** Takes the most recently parked idle connection, or null. */
    TcpConnection takeIdle() {
        synchronized (owner) {
            TcpConnection c = idle.pollFirst();
            if (c != null) {
                c.checkout();
                c.reused++;
            }
            return c;
        }
    }

    /**
     * Counts a new connection attempt and, with a backlog, holds it back while the pool is full. The
     * future completes when the caller may connect; it fails with "too many waiting connect operations"
     * or, after {@code timeoutMs} in the queue, "timeout" (the attempt is then no longer counted).
     */
    Future<Void> admit(long timeoutMs, RequestContext req, String target) {
        synchronized (owner) {
            connections++;
            if (backlog < 0 || connections <= size) {
                return Future.succeededFuture();
            }
            if (connections > size + backlog) {
                connections--;
                return Future.failedFuture(new CosocketError("too many waiting connect operations"));
            }
            Waiter w = new Waiter(Promise.promise());
            waiters.addLast(w);
            if (timeoutMs > 0) {
                w.timer = owner.loop().setTimer(timeoutMs, id -> waiterTimedOut(w, req, target));
            }
            return w.promise.future();
        }
    }

    private void waiterTimedOut(Waiter w, RequestContext req, String target) {
        synchronized (owner) {
            if (!waiters.remove(w)) {
                return;
            }
            w.timer = -1;
        }
        owner.logError(req, "lua tcp socket queued connect timed out, when trying to connect to " + target);
        release();
        w.promise.tryFail(new CosocketError("timeout"));
    }

    /** A connection counted by this pool was closed, or a counted attempt failed. */
    void release() {
        Waiter next;
        synchronized (owner) {
            connections--;
            if (connections <= 0) {
                connections = 0;
                owner.forgetPool(this);
                return;
            }
            next = nextWaiter();
        }
        resume(next);
    }

    /**
     * Parks a healthy connection for reuse. When the pool already holds {@code size} idle connections the
     * least recently used one is closed.
     */
    void park(TcpConnection c, long idleTimeoutMs) {
        TcpConnection evicted = null;
        Waiter next;
        synchronized (owner) {
            if (c.pool != this) {
                // Connected without this pool (or before it was recreated): count it here from now on.
                ConnectionPool previous = c.pool;
                c.pool = this;
                connections++;
                if (previous != null) {
                    previous.releaseLocked();
                }
            }
            if (idle.size() >= size) {
                evicted = idle.pollLast();
                connections--;
            }
            idle.addFirst(c);
            next = nextWaiter();
        }
        if (evicted != null) {
            evicted.close();
        }
        c.idle(this, idleTimeoutMs);
        resume(next);
    }

    private void releaseLocked() {
        connections--;
        if (connections <= 0) {
            connections = 0;
            owner.forgetPool(this);
        }
    }

    @Override
    public void idleConnectionClosed(TcpConnection c) {
        boolean wasIdle;
        synchronized (owner) {
            wasIdle = idle.remove(c);
        }
        if (wasIdle) {
            release();
        }
    }

    /** Closes every idle connection (worker shutdown). */
    void closeIdle() {
        Deque<TcpConnection> all;
        Deque<Waiter> waiting;
        synchronized (owner) {
            all = new ArrayDeque<>(idle);
            idle.clear();
            waiting = new ArrayDeque<>(waiters);
            waiters.clear();
        }
        for (TcpConnection c : all) {
            c.close();
        }
        for (Waiter w : waiting) {
            w.promise.tryFail(new CosocketError("closed"));
        }
    }

    private Waiter nextWaiter() {
        Waiter w = waiters.pollFirst();
        if (w != null && w.timer >= 0) {
            owner.loop().owner().cancelTimer(w.timer);
            w.timer = -1;
        }
        return w;
    }

    private static void resume(Waiter w) {
        if (w != null) {
            w.promise.tryComplete();
        }
    }

    private static final class Waiter {
        final Promise<Void> promise;
        long timer = -1;

        Waiter(Promise<Void> promise) {
            this.promise = promise;
        }
    }
}
