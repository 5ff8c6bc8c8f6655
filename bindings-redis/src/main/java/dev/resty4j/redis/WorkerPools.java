package dev.resty4j.redis;

import dev.resty4j.core.socket.Deadlines;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Redis connection pools of one worker, as nginx keeps cosocket pools per worker process: a pool
 * size bounds what one worker keeps, whatever the number of workers. Scripts reach it from the worker's
 * fibers; Vert.x reaches it from event-loop threads (idle timers, connections closed by Redis), hence
 * one lock (this object) for every pool of the worker.
 */
final class WorkerPools {

    static final String TOO_MANY_WAITING = "too many waiting connect operations";

    /**
     * The worker's timer tree, for idle timeouts and backlog waits: a keepalive arms a timeout and the next
     * connect cancels it, and a Vert.x timer for each (a task and a timer-wheel entry per request) was
     * measurable on the Redis-limit benchmark.
     */
    private final Deadlines deadlines;
    private final Map<String, ConnectionPool> pools = new HashMap<>();
    private boolean closed;

    WorkerPools(Deadlines deadlines) {
        this.deadlines = deadlines;
    }

    /** The named pool, created with this size and backlog when it does not exist yet (sizes never change). */
    synchronized ConnectionPool pool(String name, int size, int backlog) {
        return pools.computeIfAbsent(name, n -> new ConnectionPool(n, size, backlog));
    }

    synchronized ConnectionPool existing(String name) {
        return pools.get(name);
    }

    /** An idle connection of the pool, most recently used first, or null. */
    synchronized RedisConn takeIdle(String name) {
        ConnectionPool pool = pools.get(name);
        if (pool == null) {
            return null;
        }
        RedisConn c;
        while ((c = pool.idle.pollFirst()) != null) {
            cancelIdleTimer(c);
            if (!c.isClosed()) {
                return c;
            }
        }
        return null;
    }

    /**
     * A place for one more connection in a pool that limits them: at once while fewer than {@code size}
     * are open, else after waiting in the backlog queue (at most {@code timeoutMs}). Completes with null
     * (open a new connection, already counted) or with an idle connection a script just kept alive; fails
     * with "too many waiting connect operations" or "timeout".
     */
    Future<RedisConn> reserve(ConnectionPool pool, long timeoutMs) {
        Promise<RedisConn> waiter;
        synchronized (this) {
            if (pool.connections < pool.size) {
                pool.connections++;
                return Future.succeededFuture(null);
            }
            if (pool.waiting.size() >= pool.backlog) {
                return Future.failedFuture(CosocketErrors.error(TOO_MANY_WAITING));
            }
            waiter = Promise.promise();
            pool.waiting.add(waiter);
        }
        if (timeoutMs > 0) {
            Deadlines.Entry timer = deadlines.schedule(timeoutMs, () -> {
                boolean removed;
                synchronized (this) {
                    removed = pool.waiting.remove(waiter);
                }
                // not removed: a place or a connection was handed over first, and that wins
                if (removed) {
                    waiter.fail(CosocketErrors.error(CosocketErrors.TIMEOUT));
                }
            });
            waiter.future().onComplete(ar -> deadlines.cancel(timer));
        }
        return waiter.future();
    }

    /** Counts a new connection of a pool that limits them (its place was reserved). */
    void counted(RedisConn c, ConnectionPool pool) {
        c.countedIn = pool;
    }

    /** Gives back a reserved place whose connection attempt failed. */
    void unreserve(ConnectionPool pool) {
        Promise<RedisConn> next;
        synchronized (this) {
            next = pool.waiting.poll();
            if (next == null) {
                pool.connections--;
                return;
            }
        }
        next.complete(null); // the place passes to the next waiting connect
    }

    /**
     * {@code set_keepalive}: puts the connection into its pool (created now with {@code poolSize} if the
     * connect did not create it), handing it straight to a queued connect if there is one; when the pool
     * already keeps {@code size} idle connections the least recently used one is closed to make room.
     * {@code idleMs} 0 keeps it without idle limit.
     */
    void keepalive(RedisConn c, long idleMs, int poolSize) {
        RedisConn evicted = null;
        Promise<RedisConn> waiter;
        synchronized (this) {
            if (closed) {
                waiter = null;
                evicted = c;
            } else {
                ConnectionPool pool = pools.computeIfAbsent(c.poolName, n -> new ConnectionPool(n, poolSize, -1));
                waiter = pool.waiting.poll();
                if (waiter == null) {
                    if (pool.idle.size() >= pool.size) {
                        evicted = pool.idle.pollLast();
                        cancelIdleTimer(evicted);
                    }
                    pool.idle.addFirst(c);
                    if (idleMs > 0) {
                        c.idleTimer = deadlines.schedule(idleMs, () -> idleTimeout(c));
                    }
                }
            }
        }
        if (waiter != null) {
            waiter.complete(c);
        }
        if (evicted != null) {
            evicted.close();
        }
    }

    private void idleTimeout(RedisConn c) {
        synchronized (this) {
            c.idleTimer = null;
            ConnectionPool pool = pools.get(c.poolName);
            if (pool == null || !pool.idle.remove(c)) {
                return; // taken meanwhile
            }
        }
        c.close();
    }

    /** A connection closed (by us or by Redis): out of the idle list, and its place goes to a waiter. */
    void released(RedisConn c) {
        ConnectionPool counted;
        synchronized (this) {
            ConnectionPool pool = pools.get(c.poolName);
            if (pool != null && pool.idle.remove(c)) {
                cancelIdleTimer(c);
            }
            counted = c.countedIn;
            c.countedIn = null;
        }
        if (counted != null) {
            unreserve(counted);
        }
    }

    private void cancelIdleTimer(RedisConn c) {
        if (c.idleTimer != null) {
            deadlines.cancel(c.idleTimer);
            c.idleTimer = null;
        }
    }

    /** Idle connections of all pools (for tests and the close of the instance). */
    synchronized int idleCount() {
        int n = 0;
        for (ConnectionPool p : pools.values()) {
            n += p.idle.size();
        }
        return n;
    }

    /** Closes every idle connection; later keepalives close their connection. */
    void close() {
        List<RedisConn> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (ConnectionPool p : pools.values()) {
                p.idle.forEach(this::cancelIdleTimer);
                all.addAll(p.idle);
                p.idle.clear();
            }
        }
        all.forEach(RedisConn::close);
    }
}
