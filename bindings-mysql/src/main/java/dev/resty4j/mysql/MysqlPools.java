package dev.resty4j.mysql;

import dev.resty4j.core.worker.Worker;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MySQL connection pools of one worker, by pool name: as in nginx, where cosocket pools belong to a
 * worker process, {@code pool_size} and {@code backlog} apply per worker.
 *
 * <p>Pools hang off their {@link Worker} through a weak map, so they go away with the Resty instance that
 * owns the worker; closing the instance's Vert.x closes their connections. Per worker rather than one
 * shared pool so that the limits a script sets mean what they mean in OpenResty, and so that pools of two
 * Resty instances in one JVM never mix.
 */
public final class MysqlPools {

    private static final Map<Worker, MysqlPools> BY_WORKER = Collections.synchronizedMap(new WeakHashMap<>());

    private final Map<String, ConnectionPool> pools = new ConcurrentHashMap<>();

    private MysqlPools() {
    }

    static MysqlPools of(Worker worker) {
        return BY_WORKER.computeIfAbsent(worker, w -> {
            MysqlPools p = new MysqlPools();
            w.resty().cosocketMetrics().idleConnections("mysql", p::idleConnections);
            return p;
        });
    }

    /** Idle connections of this worker's pools (the metrics' pool gauge). */
    private int idleConnections() {
        int n = 0;
        for (ConnectionPool p : pools.values()) {
            n += p.idleCount();
        }
        return n;
    }

    /**
     * The named pool, created on first use with {@code connect}'s {@code pool_size} / {@code backlog} (a
     * backlog without a size gets {@code defaultSize}, lua_socket_pool_size; neither leaves the size to
     * set_keepalive).
     */
    ConnectionPool pool(Worker worker, ConnectOptions o, int defaultSize) {
        return pools.computeIfAbsent(o.pool(), name -> {
            int size = o.poolSize() != null ? o.poolSize() : o.backlog() != null ? defaultSize : -1;
            return new ConnectionPool(worker.resty().vertx(), size, o.backlog() != null ? o.backlog() : -1);
        });
    }

    /**
     * Closes the idle connections of the instance's workers: with a Vert.x that outlives the instance (a
     * reload, or an embedding service's own Vert.x) they would otherwise stay open until the server drops
     * them.
     */
    static void close(dev.resty4j.Resty resty) {
        for (int i = 0; i < resty.workerCount(); i++) {
            MysqlPools p = BY_WORKER.remove(resty.worker(i));
            if (p != null) {
                p.pools.values().forEach(ConnectionPool::closeIdle);
            }
        }
    }

    /** Open physical MySQL connections in this JVM (in use or idle, every worker and pool). */
    public static int openConnections() {
        return MysqlConnection.OPEN.get();
    }

    /**
     * Open connections of one worker's pool (in use or idle), or 0 for a pool that does not exist: what
     * {@code pool_size} with {@code backlog} bounds.
     */
    public static int connections(Worker worker, String pool) {
        ConnectionPool cp = find(worker, pool);
        return cp == null ? 0 : cp.connections();
    }

    /** Idle connections in one worker's pool. */
    public static int idle(Worker worker, String pool) {
        ConnectionPool cp = find(worker, pool);
        return cp == null ? 0 : cp.idleCount();
    }

    /** Connects queued in one worker's pool's backlog. */
    public static int waiting(Worker worker, String pool) {
        ConnectionPool cp = find(worker, pool);
        return cp == null ? 0 : cp.waiting();
    }

    private static ConnectionPool find(Worker worker, String pool) {
        MysqlPools p = BY_WORKER.get(worker);
        return p == null ? null : p.pools.get(pool);
    }
}
