package dev.resty4j.redis;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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

    private final Vertx vertx;
    private final Map<String, ConnectionPool> pools = new HashMap<>();
    private boolean closed;
    /**
     * One timer for the idle timeouts of all pools, due at the earliest deadline: a keepalive only sets its
     * connection's deadline (a timer per keepalive, set and cancelled at every reuse, was measurable on the
     * Redis-limit benchmark), and the sweep closes what has expired and waits for the next deadline.
     */
    private long sweepTimer = -1;
    private long sweepAt;

    WorkerPools(Vertx vertx) {
        this.vertx = vertx;
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
        long now = System.nanoTime();
        while ((c = pool.idle.pollFirst()) != null) {
            if (expired(c, now)) {
                c.close(); // its sweep has not run yet; nginx would have closed it at its deadline
            } else if (!c.isClosed()) {
                return c;
            }
        }
        return null;
    }

    private static boolean expired(RedisConn c, long now) {
        return c.idleDeadline != 0 && c.idleDeadline - now <= 0;
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
            long timer = vertx.setTimer(timeoutMs, id -> {
                boolean removed;
                synchronized (this) {
                    removed = pool.waiting.remove(waiter);
                }
                // not removed: a place or a connection was handed over first, and that wins
                if (removed) {
                    waiter.fail(CosocketErrors.error(CosocketErrors.TIMEOUT));
                }
            });
            waiter.future().onComplete(ar -> vertx.cancelTimer(timer));
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
                    }
                    pool.idle.addFirst(c);
                    // nanoTime may be any value, 0 included: 1 ns off is no matter for a millisecond timeout
                    c.idleDeadline = idleMs > 0 ? (System.nanoTime() + idleMs * 1_000_000) | 1 : 0;
                    if (idleMs > 0) {
                        sweepBy(c.idleDeadline);
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

    /** Makes sure the sweep runs by {@code deadline} (a nanoTime). Called holding this. */
    private void sweepBy(long deadline) {
        if (sweepTimer >= 0 && sweepAt - deadline <= 0) {
            return;
        }
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
        sweepAt = deadline;
        long ms = Math.max(1, (deadline - System.nanoTime() + 999_999) / 1_000_000);
        sweepTimer = vertx.setTimer(ms, id -> sweep());
    }

    /** Closes the idle connections whose timeout has passed, then waits for the next deadline. */
    private void sweep() {
        List<RedisConn> expired = new ArrayList<>();
        synchronized (this) {
            sweepTimer = -1;
            long now = System.nanoTime();
            long next = 0;
            boolean any = false;
            for (ConnectionPool p : pools.values()) {
                for (java.util.Iterator<RedisConn> it = p.idle.iterator(); it.hasNext(); ) {
                    RedisConn c = it.next();
                    if (expired(c, now)) {
                        it.remove();
                        expired.add(c);
                    } else if (c.idleDeadline != 0 && (!any || c.idleDeadline - next < 0)) {
                        next = c.idleDeadline;
                        any = true;
                    }
                }
            }
            if (any && !closed) {
                sweepBy(next);
            }
        }
        expired.forEach(RedisConn::close);
    }

    /** A connection closed (by us or by Redis): out of the idle list, and its place goes to a waiter. */
    void released(RedisConn c) {
        ConnectionPool counted;
        synchronized (this) {
            ConnectionPool pool = pools.get(c.poolName);
            if (pool != null) {
                pool.idle.remove(c);
            }
            counted = c.countedIn;
            c.countedIn = null;
        }
        if (counted != null) {
            unreserve(counted);
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
            if (sweepTimer >= 0) {
                vertx.cancelTimer(sweepTimer);
                sweepTimer = -1;
            }
            for (ConnectionPool p : pools.values()) {
                all.addAll(p.idle);
                p.idle.clear();
            }
        }
        all.forEach(RedisConn::close);
    }
}
