package dev.resty4j.http.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientConnection;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Supplier;

/**
 * One worker's pool of keep-alive connections under one name, with ngx_lua's cosocket pool rules:
 * {@code setkeepalive} puts a connection in (closing the least recently used idle one when the pool is
 * full), {@code connect} takes the most recently used one out; an idle connection closes after its
 * timeout or when the peer closes it. With a {@code backlog}, at most {@code size} connections are open
 * for the pool at once; further connects wait in a queue of {@code backlog} places (then fail with
 * {@code "too many waiting connect operations"}), for at most the connect timeout.
 *
 * <p>Pools belong to one worker, like nginx's per-process pools, but Vert.x completes connects and closes on
 * its event loops, so the state is guarded by the pool's monitor.
 */
public final class ConnectionPool {

    private final Vertx vertx;
    private final String name;
    private int size;
    private boolean sizeFixed;
    private final int backlog;
    private final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Promise<PooledConnection>> waiters = new ArrayDeque<>();
    private int open;
    private boolean shutdown;
    /** Expired connections taken out of {@link #idle}, to close outside the monitor. */
    private final java.util.List<PooledConnection> expired = new java.util.ArrayList<>();

    /**
     * @param size    the pool size, or -1 to take it from the first {@code setkeepalive} (ngx_lua creates the
     *                pool there when {@code connect} named neither a size nor a backlog)
     * @param backlog -1 for no limit on open connections
     */
    ConnectionPool(Vertx vertx, String name, int size, int backlog, int defaultSize) {
        this.vertx = vertx;
        this.name = name;
        this.sizeFixed = size > 0 || backlog >= 0;
        this.size = size > 0 ? size : defaultSize;
        this.backlog = backlog;
    }

    public String name() {
        return name;
    }

    /** Connections open for this pool now (in use and idle). */
    public synchronized int openConnections() {
        return open;
    }

    public synchronized int idleConnections() {
        return idle.size();
    }

    /**
     * A connection: an idle one from the pool, else a new one from {@code opener} (when the backlog rules
     * allow, else after waiting for a place).
     */
    Future<PooledConnection> acquire(Supplier<Future<HttpClientConnection>> opener, long waitTimeoutMs) {
        Promise<PooledConnection> waiter;
        synchronized (this) {
            PooledConnection c = takeIdle();
            if (c != null) {
                return Future.succeededFuture(c);
            }
            if (backlog < 0 || open < size) {
                open++;
                return open(opener);
            }
            if (waiters.size() >= backlog) {
                return Future.failedFuture(new PoolFull());
            }
            waiter = Promise.promise();
            waiters.add(waiter);
        }
        Promise<PooledConnection> w = waiter;
        long timer = vertx.setTimer(Math.max(1, waitTimeoutMs), id -> {
            synchronized (this) {
                if (!waiters.remove(w)) {
                    return; // already granted
                }
            }
            w.tryFail(new Timeouts.TimeoutError());
        });
        // A waiter gets either a kept-alive connection or (null) a place to open a new one.
        return w.future().compose(granted -> {
            vertx.cancelTimer(timer);
            return granted != null ? Future.succeededFuture(granted) : open(opener);
        });
    }

    /** Opens a connection for a place already counted in {@link #open}. */
    private Future<PooledConnection> open(Supplier<Future<HttpClientConnection>> opener) {
        Future<HttpClientConnection> f;
        try {
            f = opener.get();
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        return f.transform(ar -> {
            if (ar.failed()) {
                Promise<PooledConnection> next;
                synchronized (this) {
                    open--;
                    next = grantNext();
                }
                complete(next, null);
                return Future.failedFuture(ar.cause());
            }
            // this callback runs on the connection's own context (connects complete there)
            PooledConnection pc = new PooledConnection(ar.result(), this, Vertx.currentContext());
            ar.result().closeHandler(v -> closed(pc));
            return Future.succeededFuture(pc);
        });
    }

    private PooledConnection takeIdle() {
        long now = System.nanoTime();
        for (PooledConnection c; (c = idle.pollFirst()) != null; ) {
            if (c.isClosed()) {
                continue;
            }
            if (c.idleDeadline - now < 0) {
                expired.add(c); // closed by the next sweep
                continue;
            }
            c.reusedOnceMore();
            return c;
        }
        return null;
    }

    /** {@code setkeepalive}: hands the connection to a waiting connect, or keeps it idle. */
    void keepAlive(PooledConnection c, long idleTimeoutMs, int poolSizeIfNew) {
        PooledConnection evicted = null;
        Promise<PooledConnection> w = null;
        synchronized (this) {
            if (!sizeFixed && poolSizeIfNew > 0) {
                size = poolSizeIfNew;
            }
            sizeFixed = true;
            if (c.isClosed()) {
                return;
            }
            if (shutdown) {
                evicted = c; // the instance is closing: nothing is kept
            } else if ((w = waiters.poll()) == null) {
                if (idle.size() >= size) {
                    evicted = idle.pollLast();
                }
                idle.addFirst(c);
                c.idleDeadline = idleTimeoutMs > 0 ? System.nanoTime() + idleTimeoutMs * 1_000_000 : Long.MAX_VALUE;
            }
        }
        if (w != null) {
            c.reusedOnceMore();
            w.complete(c);
        }
        if (evicted != null) {
            discard(evicted);
        }
    }

    /** Closes the idle connections whose keepalive timeout passed (the connector calls it periodically). */
    void sweep() {
        java.util.List<PooledConnection> out;
        synchronized (this) {
            long now = System.nanoTime();
            for (Iterator<PooledConnection> it = idle.iterator(); it.hasNext(); ) {
                PooledConnection c = it.next();
                if (c.idleDeadline - now < 0) {
                    it.remove();
                    expired.add(c);
                }
            }
            if (expired.isEmpty()) {
                return;
            }
            out = new java.util.ArrayList<>(expired);
            expired.clear();
        }
        out.forEach(this::discard);
    }

    /** Closes the idle connections and keeps none from now on (the instance is closing). */
    void shutdown() {
        java.util.List<PooledConnection> all;
        synchronized (this) {
            shutdown = true;
            all = new java.util.ArrayList<>(idle);
            all.addAll(expired);
            expired.clear();
        }
        all.forEach(this::discard);
    }

    /** Closes the connection (if still open) and frees its place. */
    void discard(PooledConnection c) {
        if (closed(c)) {
            c.connection.close();
        }
    }

    /** Bookkeeping for a connection that closed (either side); true the first time. */
    private boolean closed(PooledConnection c) {
        if (!c.markClosed()) {
            return false;
        }
        Promise<PooledConnection> next;
        synchronized (this) {
            for (Iterator<PooledConnection> it = idle.iterator(); it.hasNext(); ) {
                if (it.next() == c) {
                    it.remove();
                    break;
                }
            }
            open--;
            next = grantNext();
        }
        complete(next, null);
        return true;
    }

    /** Gives the first waiting connect a place to open a new connection, if there is room (call locked). */
    private Promise<PooledConnection> grantNext() {
        if (!waiters.isEmpty() && open < size) {
            open++;
            return waiters.poll();
        }
        return null;
    }

    /** Completes a waiter outside the monitor: its continuation may open a connection. */
    private static void complete(Promise<PooledConnection> waiter, PooledConnection c) {
        if (waiter != null) {
            waiter.complete(c);
        }
    }

    /** The pool is at its size and its backlog queue is full. */
    static final class PoolFull extends Exception {
        PoolFull() {
            super("too many waiting connect operations", null, false, false);
        }
    }
}
