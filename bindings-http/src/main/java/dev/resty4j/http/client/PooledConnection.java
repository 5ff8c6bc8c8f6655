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
    /** The Vert.x context (event loop) the connection lives on: requests must start there, or every event hops threads. */
    final io.vertx.core.Context context;
    private final AtomicBoolean closed = new AtomicBoolean();
    private int reused;
    /** When an idle connection expires (System.nanoTime), or Long.MAX_VALUE for never. */
    long idleDeadline = Long.MAX_VALUE;

    PooledConnection(HttpClientConnection connection, ConnectionPool pool, io.vertx.core.Context context) {
        this.connection = connection;
        this.pool = pool;
        this.context = context;
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
