package dev.resty4j.redis;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.PooledRedisConnection;
import java.util.ArrayDeque;

/**
 * One TCP connection to Redis, as a cosocket sees it: owned by one {@code resty.redis} object at a time or
 * idle in a worker's {@link ConnectionPool}. The protocol is the Vert.x client's; we hold its connection
 * for the connection's whole life (never handing it back to Vert.x's own pool, whose rules differ from
 * nginx's: it closes connections that ran SELECT or AUTH, has no per-keepalive idle timeout and no
 * reuse count), and close it for real when the script closes it or the pool drops it.
 *
 * <p>Replies to commands come back through the futures of {@code send}; what Redis pushes without a
 * command waiting (pub/sub confirmations and messages) lands in an inbox that {@link #nextPushed} reads.
 * Thread-safety: scripts use a connection from one fiber at a time, while Vert.x calls the handlers from
 * its event loop, so the inbox and the closed flag are guarded by this object.
 */
final class RedisConn {

    final RedisConnection vertx;
    /**
     * Where commands go: the connection under Vert.x's pool wrapper, whose send only adds a Vert.x metrics
     * and tracing reporter per command (built even when neither is enabled) and a future stage, measurable
     * on the Redis-limit benchmark; resty4j counts commands in its own metrics ({@code RedisBinding.counted}).
     */
    final RedisConnection wire;
    /** The pool this connection belongs to: its name at connect time, with the owning worker's pools. */
    final String poolName;
    final WorkerPools pools;
    /** Hands the Vert.x client that opened this connection on to a later connect, once this one closed. */
    private final Runnable releaseClient;
    /** How many times a script took it from the pool ({@code get_reused_times}). */
    int reusedTimes;
    /** Attached to a script object before (so taking it again is a reuse). */
    boolean used;
    /** Counted in its pool's connection total (pools with a backlog limit every connection). */
    ConnectionPool countedIn;
    /** Idle timeout (on the worker's timer tree) while in a pool, or null. */
    dev.resty4j.core.socket.Deadlines.Entry idleTimer;

    private final ArrayDeque<Response> inbox = new ArrayDeque<>();
    private Promise<Response> inboxWaiter;
    private boolean closed;

    RedisConn(RedisConnection vertx, String poolName, WorkerPools pools, Runnable releaseClient) {
        this.vertx = vertx;
        this.wire = vertx instanceof PooledRedisConnection p ? p.actual() : vertx;
        this.poolName = poolName;
        this.pools = pools;
        this.releaseClient = releaseClient;
        vertx.handler(this::pushed);
        vertx.endHandler(v -> remoteClosed());
        vertx.exceptionHandler(t -> remoteClosed());
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Closes the socket (idempotent) and releases its place in the pool's connection count. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            failWaiter();
        }
        if (vertx instanceof PooledRedisConnection p) {
            // a pooled Vert.x connection only recycles on close(); we want the socket gone
            p.actual().forceClose();
        } else {
            vertx.close();
        }
        releaseClient.run();
        pools.released(this);
    }

    private void remoteClosed() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            failWaiter();
        }
        releaseClient.run();
        pools.released(this);
    }

    private void failWaiter() {
        if (inboxWaiter != null) {
            Promise<Response> w = inboxWaiter;
            inboxWaiter = null;
            w.tryFail(CosocketErrors.error(CosocketErrors.CLOSED));
        }
    }

    private void pushed(Response r) {
        Promise<Response> w;
        synchronized (this) {
            w = inboxWaiter;
            inboxWaiter = null;
            if (w == null) {
                inbox.add(r);
                return;
            }
        }
        w.tryComplete(r);
    }

    /** The next reply Redis pushed (pub/sub), waiting for it if none is there yet. */
    synchronized Future<Response> nextPushed() {
        if (!inbox.isEmpty()) {
            return Future.succeededFuture(inbox.poll());
        }
        if (closed) {
            return Future.failedFuture(CosocketErrors.error(CosocketErrors.CLOSED));
        }
        Promise<Response> p = Promise.promise();
        inboxWaiter = p;
        return p.future();
    }

    /** Forgets a waiter that timed out, so the next pushed reply stays in the inbox for the next read. */
    synchronized void abandonWait(Future<Response> waiting) {
        if (inboxWaiter != null && inboxWaiter.future() == waiting) {
            inboxWaiter = null;
        }
    }

    /** Puts back a pushed reply that reached a reader who had already timed out. */
    synchronized void unread(Response r) {
        inbox.addFirst(r);
    }

    /** True when Redis pushed something nobody read (such a connection must not be pooled). */
    synchronized boolean hasUnread() {
        return !inbox.isEmpty();
    }
}
