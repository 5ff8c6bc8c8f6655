package dev.resty4j.redis;

import io.vertx.core.Promise;
import java.util.ArrayDeque;

/**
 * One named cosocket connection pool of one worker ({@code host:port}, or the {@code pool} option): idle
 * connections most recently used first, at most {@link #size} of them; with a {@link #backlog}, also the
 * count of every open connection of the pool (at most {@code size}) and the connect operations queued for
 * a free place. Guarded by the owning {@link WorkerPools}.
 */
final class ConnectionPool {

    /** {@code lua_socket_pool_size}'s default, used when neither connect nor set_keepalive gives a size. */
    static final int DEFAULT_SIZE = 30;

    final String name;
    final int size;
    /** Queue length for connects beyond {@code size} open connections; -1: no limit on connections. */
    final int backlog;
    final ArrayDeque<RedisConn> idle = new ArrayDeque<>();
    /** Open connections counted against {@code size} (only when there is a backlog). */
    int connections;
    /**
     * Connects waiting for a place. Each is completed with an idle connection handed over by
     * set_keepalive, or with null: a place was freed, open a new connection.
     */
    final ArrayDeque<Promise<RedisConn>> waiting = new ArrayDeque<>();

    ConnectionPool(String name, int size, int backlog) {
        this.name = name;
        this.size = size;
        this.backlog = backlog;
    }

    boolean limitsConnections() {
        return backlog >= 0;
    }
}
