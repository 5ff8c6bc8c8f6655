package dev.resty4j.http.client;

import io.vertx.core.http.HttpClientConnection;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An HTTP connection that belongs to a {@link ConnectionPool}: in use by one http object (or the proxy),
 * or idle in the pool. Counts its reuses ({@code get_reused_times}).
 */
public final class PooledConnection {

    final HttpClientConnection connection;
    final ConnectionPool pool;
    private final AtomicBoolean closed = new AtomicBoolean();
    private int reused;
    long idleTimer = -1;

    PooledConnection(HttpClientConnection connection, ConnectionPool pool) {
        this.connection = connection;
        this.pool = pool;
    }

    public HttpClientConnection connection() {
        return connection;
    }

    /** How many times this connection came out of the pool (0 for a new one). */
    public synchronized int reusedTimes() {
        return reused;
    }

    synchronized void reusedOnceMore() {
        reused++;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Marks the connection closed; true only for the first call, so the pool counts each close once. */
    boolean markClosed() {
        return closed.compareAndSet(false, true);
    }

    /** Closes the socket and gives its place in the pool back. */
    public void close() {
        pool.discard(this);
    }

    /** Puts the connection into its pool for reuse ({@code setkeepalive}). */
    public void keepAlive(long idleTimeoutMs, int poolSizeIfNew) {
        pool.keepAlive(this, idleTimeoutMs, poolSizeIfNew);
    }
}
