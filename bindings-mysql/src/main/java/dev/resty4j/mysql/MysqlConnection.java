package dev.resty4j.mysql;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mysqlclient.impl.MySQLConnectionFactory;
import io.vertx.sqlclient.PreparedStatement;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One physical connection to the server (a Vert.x {@link MySQLConnection}), as its pool and the session
 * using it see it: how often it was reused, whether it is still open, its prepared statements.
 *
 * <p>Owned by one session at a time, or idle in its pool. Its close is reported to the pool exactly once,
 * however it happens (closed by a script, evicted, idle-expired, timed out, or dropped by the server).
 */
final class MysqlConnection {

    /** Open physical connections in this JVM, for tests and monitoring. */
    static final AtomicInteger OPEN = new AtomicInteger();

    private final MySQLConnection conn;
    /** The Vert.x factory that opened this connection alone (its TCP client); closed with it. */
    private final MySQLConnectionFactory factory;
    private final ConnectionPool pool;
    private final Charset charset;
    private final String serverVersion;
    private final AtomicBoolean gone = new AtomicBoolean();
    private volatile int reusedTimes;
    /** Vert.x timer that closes the connection when it stays idle too long; guarded by the pool. */
    long idleTimer = -1;
    // server-side prepared statements live as long as the connection, like lua-resty-mysql's statement ids
    private final Map<Integer, PreparedStatement> statements = new HashMap<>();
    private int nextStatementId = 1;

    private MysqlConnection(MySQLConnection conn, MySQLConnectionFactory factory, ConnectionPool pool, Charset charset) {
        this.conn = conn;
        this.factory = factory;
        this.pool = pool;
        this.charset = charset;
        this.serverVersion = conn.databaseMetadata().fullVersion();
        OPEN.incrementAndGet();
        conn.closeHandler(v -> {
            if (gone()) {
                close(factory); // dropped by the server
            }
        });
    }

    /**
     * Opens a new physical connection for {@code pool}, whose caller holds a connection permit: the permit
     * goes back to the pool if the connect fails or times out; otherwise the new connection holds it.
     *
     * <p>The connect runs on a connection factory of its own, as {@link MySQLConnection#connect} does, but
     * kept here: the Vert.x connect completes only after the MySQL handshake and gives no handle on the
     * socket before, so when a server accepts the TCP connection and never sends its greeting, closing the
     * factory (its TCP client) is what closes the socket at our timeout, as nginx closes a cosocket whose
     * connect timed out.
     */
    static Future<MysqlConnection> open(Vertx vertx, ConnectOptions options, ConnectionPool pool, long timeoutMs) {
        MySQLConnectOptions vertxOptions = options.toVertx();
        if (vertxOptions.isUsingDomainSocket() && !vertx.isNativeTransportEnabled()) {
            // what MySQLConnection.connect answers before it opens anything
            pool.release(null);
            return Future.failedFuture("Native transport is not available");
        }
        Promise<MysqlConnection> result = Promise.promise();
        AtomicBoolean settled = new AtomicBoolean();
        MySQLConnectionFactory factory = new MySQLConnectionFactory((VertxInternal) vertx);
        long timer = vertx.setTimer(timeoutMs, t -> {
            if (settled.compareAndSet(false, true)) {
                close(factory); // the connection still in its handshake goes with it
                pool.release(null);
                result.fail(MysqlErrors.TIMEOUT);
            }
        });
        factory.connect(vertx.getOrCreateContext(), vertxOptions).map(MySQLConnection::cast).onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (!settled.compareAndSet(false, true)) {
                // timed out meanwhile: nobody wants it any more
                if (ar.succeeded()) {
                    ar.result().close().onComplete(v -> close(factory));
                }
                return;
            }
            if (ar.succeeded()) {
                result.complete(new MysqlConnection(ar.result(), factory, pool, options.charset()));
            } else {
                close(factory);
                pool.release(null);
                result.fail(ar.cause());
            }
        });
        return result.future();
    }

    private static void close(MySQLConnectionFactory factory) {
        factory.close(Promise.promise());
    }

    ConnectionPool pool() {
        return pool;
    }

    /** The connection's character set: text values are re-encoded in it to the bytes the server sent. */
    Charset charset() {
        return charset;
    }

    /** The version string of the server's handshake ({@code "5.5.5-10.11.6-MariaDB"}). */
    String serverVersion() {
        return serverVersion;
    }

    int reusedTimes() {
        return reusedTimes;
    }

    /** Counts one more hand-out from the pool. */
    void reused() {
        reusedTimes++;
    }

    /** True once the socket is gone: closed by us or by the server. */
    boolean isClosed() {
        return gone.get();
    }

    /** Runs a text-protocol query: COM_QUERY, every result of a multi-statement query chained by next(). */
    Future<RowSet<Row>> query(String sql) {
        return conn.query(sql).execute();
    }

    /** Prepares a server-side statement; the result is its id on this connection. */
    Future<Integer> prepare(String sql) {
        return conn.prepare(sql).map(ps -> {
            synchronized (statements) {
                int id = nextStatementId++;
                statements.put(id, ps);
                return id;
            }
        });
    }

    /** Executes a prepared statement (binary protocol); null when the id is unknown on this connection. */
    Future<RowSet<Row>> execute(int statementId, Tuple params) {
        PreparedStatement ps;
        synchronized (statements) {
            ps = statements.get(statementId);
        }
        return ps == null ? null : ps.query().execute(params);
    }

    /** Closes the connection (COM_QUIT) and gives its slot back to the pool; idempotent. */
    void close() {
        if (gone()) {
            conn.close().onComplete(v -> close(factory));
        }
    }

    /** Marks the connection gone and tells the pool, the first time only; true if this call did it. */
    private boolean gone() {
        if (!gone.compareAndSet(false, true)) {
            return false;
        }
        OPEN.decrementAndGet();
        pool.release(this);
        return true;
    }
}
