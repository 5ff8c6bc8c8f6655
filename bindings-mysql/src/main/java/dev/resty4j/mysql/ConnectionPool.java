package dev.resty4j.mysql;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;

/**
 * One named connection pool of one worker, with the semantics of ngx_lua's cosocket pools (which
 * lua-resty-mysql relies on):
 * <ul>
 *   <li>{@code set_keepalive} puts a connection at the head of the idle list; {@code connect} takes the
 *       most recently kept one. At most {@link #size()} connections stay idle: keeping one more closes the
 *       least recently used. An idle connection closes after its max idle time.</li>
 *   <li>The size is fixed when the pool is created: by {@code connect}'s {@code pool_size} (or
 *       {@code backlog}, with {@code lua_socket_pool_size}), else by the first {@code set_keepalive}.</li>
 *   <li>Only with a {@code backlog} is the number of open connections limited (to the size): further
 *       connects queue, up to {@code backlog} of them, each for at most its connect timeout, and are served
 *       in order as connections are kept alive (handed over, reused) or closed (a slot to open a new one).</li>
 * </ul>
 *
 * <p>Thread-safe: scripts call it from their worker's fibers; Vert.x calls it from event loops (close
 * handlers, timers). Promises are completed outside the lock.
 */
final class ConnectionPool {

    private final Vertx vertx;
    private final int backlog;
    private int size;
    private int connections;
    private final ArrayDeque<MysqlConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    /** A queued connect: completed with a handed-over connection, or with null (a slot to open one). */
    private static final class Waiter {
        final Promise<MysqlConnection> promise = Promise.promise();
        long timer;
    }

    /**
     * @param size    the size, or -1 to let the first set_keepalive decide
     * @param backlog how many connects may queue when {@code size} connections are open, or -1 for no limit
     */
    ConnectionPool(Vertx vertx, int size, int backlog) {
        this.vertx = vertx;
        this.size = size;
        this.backlog = backlog;
    }

    /** The most connections kept idle (and, with a backlog, open); -1 while not fixed yet. */
    synchronized int size() {
        return size;
    }

    /** Open connections of this pool: in use or idle. */
    synchronized int connections() {
        return connections;
    }

    synchronized int idleCount() {
        return idle.size();
    }

    synchronized int waiting() {
        return waiters.size();
    }

    /**
     * Gets a connection for {@code connect}: an idle one (reused), or null, meaning the caller holds a slot
     * and must open a new connection (then {@link #release} it if that fails). Fails with
     * {@link MysqlErrors#TOO_MANY_WAITING} or {@link MysqlErrors#TIMEOUT} when the backlog is full or the
     * wait too long.
     */
    Future<MysqlConnection> acquire(long timeoutMs) {
        synchronized (this) {
            MysqlConnection c;
            while ((c = idle.pollFirst()) != null) {
                cancelIdleTimer(c);
                if (!c.isClosed()) {
                    c.reused();
                    return Future.succeededFuture(c);
                }
                // closed by the server while idle; its close handler releases its slot
            }
            if (backlog < 0 || connections < size) {
                connections++;
                return Future.succeededFuture(null);
            }
            if (waiters.size() >= backlog) {
                return Future.failedFuture(MysqlErrors.TOO_MANY_WAITING);
            }
            Waiter w = new Waiter();
            waiters.addLast(w);
            w.timer = vertx.setTimer(timeoutMs, t -> {
                boolean queued;
                synchronized (this) {
                    queued = waiters.remove(w);
                }
                if (queued) {
                    w.promise.fail(MysqlErrors.TIMEOUT);
                }
            });
            return w.promise.future();
        }
    }

    /**
     * Takes a connection back for reuse ({@code set_keepalive}): to the first queued connect if any, else
     * to the idle list for at most {@code maxIdleMs} (0: no limit).
     *
     * @param sizeIfNew the size to fix if the pool has none yet (set_keepalive's pool_size or the default)
     */
    void keepalive(MysqlConnection c, long maxIdleMs, int sizeIfNew) {
        Waiter next;
        MysqlConnection evicted = null;
        synchronized (this) {
            if (size < 0) {
                size = sizeIfNew;
            }
            next = waiters.pollFirst();
            if (next == null) {
                idle.addFirst(c);
                if (maxIdleMs > 0) {
                    c.idleTimer = vertx.setTimer(maxIdleMs, t -> expire(c));
                }
                if (idle.size() > size) {
                    evicted = idle.pollLast();
                    cancelIdleTimer(evicted);
                }
            }
        }
        if (next != null) {
            vertx.cancelTimer(next.timer);
            c.reused();
            next.promise.complete(c);
        }
        if (evicted != null) {
            evicted.close();
        }
    }

    /**
     * Gives a connection's slot back: {@code c} closed (null: a slot whose connect failed). With a backlog,
     * the first queued connect gets the slot and opens a new connection.
     */
    void release(MysqlConnection c) {
        Waiter next = null;
        synchronized (this) {
            if (c != null && idle.remove(c)) {
                cancelIdleTimer(c);
            }
            connections--;
            if (backlog >= 0 && connections < size) {
                next = waiters.pollFirst();
                if (next != null) {
                    connections++;
                }
            }
        }
        if (next != null) {
            // a timer already firing finds the waiter gone from the queue and does nothing
            vertx.cancelTimer(next.timer);
            next.promise.complete(null);
        }
    }

    /** Closes every idle connection (the instance is closing); connections in use close when released. */
    void closeIdle() {
        java.util.List<MysqlConnection> all;
        synchronized (this) {
            all = new java.util.ArrayList<>(idle);
            idle.clear();
            all.forEach(this::cancelIdleTimer);
        }
        all.forEach(MysqlConnection::close);
    }

    private void expire(MysqlConnection c) {
        boolean wasIdle;
        synchronized (this) {
            wasIdle = idle.remove(c);
            c.idleTimer = -1;
        }
        if (wasIdle) {
            c.close();
        }
    }

    private void cancelIdleTimer(MysqlConnection c) {
        if (c.idleTimer >= 0) {
            vertx.cancelTimer(c.idleTimer);
            c.idleTimer = -1;
        }
    }
}
