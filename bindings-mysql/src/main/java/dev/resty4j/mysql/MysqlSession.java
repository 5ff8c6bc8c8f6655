package dev.resty4j.mysql;

import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.socket.SocketSettings;
import dev.resty4j.core.worker.Worker;
import dev.resty4j.mysql.ResultConverter.Protocol;
import dev.resty4j.spi.NativeHandle;
import dev.resty4j.spi.NativeNull;
import dev.resty4j.spi.NativeResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code resty.mysql} object: lua-resty-mysql's API and its state machine, engine-neutral. Methods
 * take and return neutral values ({@link NativeResult} for {@code ok, err, errcode, sqlstate}); those that
 * talk to the server return a Vert.x {@link Future} the engine awaits, suspending only the script.
 *
 * <p><b>States</b>, as lua-resty-mysql's: none ({@code nil}) until connected; {@code 1} connected;
 * {@code 2} after a query is sent until its last result is read. Error strings quote the state the way
 * lua-resty-mysql does ({@code "cannot send query in the current context: 2"}).
 *
 * <p><b>Multiple results.</b> The Vert.x client sends a query with COM_QUERY and the
 * CLIENT_MULTI_STATEMENTS capability, so {@code "select 1; select 2"} runs as one request and Vert.x
 * collects every result before completing it. {@code query}/{@code read_result} then hand the results out
 * one per call, returning {@code "again"} as the second value while more follow, exactly the protocol
 * scripts use with lua-resty-mysql. The differences: results are buffered (the whole response is read
 * before the first result is returned), and when a later statement fails, Vert.x fails the whole query, so
 * the error comes from the first {@code query}/{@code read_result} and the results of the statements
 * before it (which did run) are not returned.
 *
 * <p><b>Timeouts.</b> {@code set_timeout} bounds each connect (including a wait in the pool's backlog),
 * each query's whole response, and each prepare/execute; until it is called, {@code lua_socket_connect_timeout}
 * and {@code lua_socket_read_timeout} do. A timed-out query leaves its connection closed
 * (its response can no longer be told apart from the next one) and the state at 2, as lua-resty-mysql
 * does, so the object can only be closed or connected again.
 *
 * <p><b>Requests.</b> A connection the script neither closes nor keeps alive is closed when the request
 * that connected it ends, as nginx closes a request's cosockets. Objects must not be shared by concurrent
 * requests (lua-resty-mysql forbids it too).
 *
 * <p>Confined to the fiber of the script using it, except that Vert.x completes its futures; the state a
 * callback changes is only read after the fiber resumes from awaiting that future.
 */
public final class MysqlSession implements NativeHandle {

    private static final int STATE_NONE = 0;
    private static final int STATE_CONNECTED = 1;
    private static final int STATE_COMMAND_SENT = 2;

    private final Vertx vertx;
    /** The lua_socket_* directives in force where the object was created: defaults until set_timeout. */
    private final SocketSettings settings;
    private long connectTimeoutMs;
    private long readTimeoutMs;
    private boolean compact;
    private int state = STATE_NONE;
    private MysqlConnection conn;
    /** The response of the query sent and not read yet. */
    private Future<RowSet<Row>> inFlight;
    /** The next result of a multi-result response, after {@code "again"}. */
    private RowSet<Row> pendingNext;
    private String serverVersion;
    /** The request whose end closes the connection if the script leaves it open. */
    private RequestContext cleanupFor;

    public MysqlSession(Vertx vertx, SocketSettings settings) {
        this.vertx = vertx;
        this.settings = settings;
        this.connectTimeoutMs = settings.connectTimeout();
        this.readTimeoutMs = settings.readTimeout();
    }

    @Override
    public String typeName() {
        return "resty.mysql";
    }

    /** {@code db:set_timeout(ms)}: for every later operation, connect included. */
    public void setTimeout(Object ms) {
        if (ms instanceof Number n) {
            long t = (long) n.doubleValue();
            // as ngx_lua, a non-positive timeout falls back to the lua_socket_* directives
            connectTimeoutMs = t > 0 ? t : settings.connectTimeout();
            readTimeoutMs = t > 0 ? t : settings.readTimeout();
        }
    }

    /** {@code db:set_compact_arrays(bool)}: rows as arrays rather than tables keyed by column name. */
    public void setCompactArrays(Object on) {
        compact = ConnectOptions.truthy(on);
    }

    /** {@code db:server_ver()}: the server's version string, or null before the first connect. */
    public String serverVersion() {
        return serverVersion;
    }

    // ------------------------------------------------------------------ connect, keepalive, close

    /**
     * {@code db:connect(opts)}: takes an idle connection from the pool, or opens one (waiting in the pool's
     * backlog first if it has one and is full). Returns {@code 1}, or {@code nil, err[, errcode, sqlstate]}.
     *
     * @param request the request to tie an unreleased connection to, or null outside requests
     */
    public Object connect(Worker worker, RequestContext request, Map<?, ?> opts) {
        Object parsed = ConnectOptions.parse(opts);
        if (parsed instanceof String err) {
            return NativeResult.error(err);
        }
        ConnectOptions o = (ConnectOptions) parsed;
        // as tcpsock:connect, connecting a connected object closes its connection first
        dropConnection();
        compact = o.compactArrays();
        closeAtEndOf(request);
        ConnectionPool pool = MysqlPools.of(worker).pool(worker, o, settings.poolSize());
        long timeout = connectTimeoutMs;
        return pool.acquire(timeout)
                .compose(c -> c != null ? Future.succeededFuture(c) : MysqlConnection.open(vertx, o, pool, timeout))
                .transform(ar -> {
                    if (ar.succeeded()) {
                        conn = ar.result();
                        state = STATE_CONNECTED;
                        serverVersion = conn.serverVersion();
                        return Future.succeededFuture(NativeResult.of(1.0));
                    }
                    String err = MysqlErrors.connectError(ar.cause(), o);
                    NativeResult server = err == null ? MysqlErrors.serverError(ar.cause()) : null;
                    return Future.succeededFuture(server != null ? server : NativeResult.error(err));
                });
    }

    /**
     * {@code db:set_keepalive(max_idle_timeout, pool_size)}: puts the connection into its pool for reuse
     * and leaves the object closed. A nil timeout is {@code lua_socket_keepalive_timeout}, 0 keeps it
     * forever; a nil size is {@code lua_socket_pool_size}, used only if the pool has no size yet.
     */
    public NativeResult setKeepalive(Object maxIdleMs, Object poolSize) {
        if (state != STATE_CONNECTED) {
            return NativeResult.error("cannot be reused in the current connection state: " + stateName());
        }
        long idle = settings.keepaliveTimeout();
        if (maxIdleMs != null) {
            Integer n = ConnectOptions.integer(maxIdleMs);
            if (n == null || n < 0) {
                return NativeResult.error("bad \"timeout\" argument: " + maxIdleMs);
            }
            idle = n;
        }
        int size = settings.poolSize();
        if (poolSize != null) {
            Integer n = ConnectOptions.integer(poolSize);
            if (n == null || n <= 0) {
                return NativeResult.error("bad \"pool_size\" option value: " + poolSize);
            }
            size = n;
        }
        state = STATE_NONE;
        MysqlConnection c = conn;
        conn = null;
        if (c == null || c.isClosed()) {
            return NativeResult.error("closed");
        }
        c.pool().keepalive(c, idle, size);
        return NativeResult.of(1.0);
    }

    /** {@code db:get_reused_times()}: how often the connection came from the pool (0: a new one). */
    public NativeResult reusedTimes() {
        return conn == null ? NativeResult.error("closed") : NativeResult.of((double) conn.reusedTimes());
    }

    /** {@code db:close()}: closes the connection; {@code 1}, or {@code nil, "closed"} if there is none. */
    public NativeResult close() {
        state = STATE_NONE;
        if (conn == null) {
            return NativeResult.error("closed");
        }
        dropConnection();
        return NativeResult.of(1.0);
    }

    // ------------------------------------------------------------------ queries

    /** {@code db:send_query(sql)}: sends the query; the number of bytes sent, or {@code nil, err}. */
    public NativeResult sendQuery(String sql) {
        if (state != STATE_CONNECTED) {
            return NativeResult.error("cannot send query in the current context: " + stateName());
        }
        if (conn.isClosed()) {
            return NativeResult.error("closed");
        }
        pendingNext = null;
        inFlight = conn.query(sql);
        state = STATE_COMMAND_SENT;
        // the COM_QUERY packet: 4-byte header, command byte, the SQL
        return NativeResult.of((double) (5 + sql.length()));
    }

    /**
     * {@code db:read_result()}: the next result of the query sent: {@code res}, {@code res, "again"} while
     * more follow, or {@code nil, err, errcode, sqlstate}.
     */
    public Object readResult() {
        if (state != STATE_COMMAND_SENT) {
            return NativeResult.error("cannot read result in the current context: " + stateName());
        }
        if (pendingNext != null) {
            RowSet<Row> next = pendingNext;
            pendingNext = null;
            return deliver(next);
        }
        Future<RowSet<Row>> response = inFlight;
        inFlight = null;
        if (response == null) {
            // an earlier timeout closed the connection under the unread response
            return NativeResult.error("failed to receive packet header: closed");
        }
        MysqlConnection c = conn;
        return within(response, c).transform(ar -> Future.succeededFuture(ar.succeeded() ? deliver(ar.result())
                : failure("failed to receive packet header: ", ar.cause())));
    }

    /** {@code db:query(sql)}: send_query, then the first read_result. */
    public Object query(String sql) {
        NativeResult sent = sendQuery(sql);
        if (sent.values().get(0) == null) {
            return NativeResult.error("failed to send query: " + sent.values().get(1));
        }
        return readResult();
    }

    private NativeResult deliver(RowSet<Row> rs) {
        RowSet<Row> next = rs.next();
        Object res = ResultConverter.convert(rs, Protocol.TEXT, compact, conn.charset(), next != null);
        if (next != null) {
            pendingNext = next;
            return NativeResult.of(res, "again");
        }
        state = STATE_CONNECTED;
        return NativeResult.of(res);
    }

    // ------------------------------------------------------------------ prepared statements (extension)

    /**
     * {@code db:prepare(sql)}: prepares a server-side statement (with {@code ?} placeholders) on the current
     * connection; its id, or {@code nil, err, errcode, sqlstate}. Ids are per connection, from 1, and stay
     * valid while the connection lives (also across set_keepalive).
     */
    public Object prepare(String sql) {
        if (state != STATE_CONNECTED) {
            return NativeResult.error("cannot send query in the current context: " + stateName());
        }
        MysqlConnection c = conn;
        if (c.isClosed()) {
            return NativeResult.error("closed");
        }
        return within(c.prepare(sql), c).transform(ar -> Future.succeededFuture(ar.succeeded()
                ? NativeResult.of((double) ar.result()) : failure("failed to prepare: ", ar.cause())));
    }

    /**
     * {@code db:execute(statement_id, ...)}: runs a prepared statement with the given parameters (binary
     * protocol); the result as {@code query} gives it (with the binary protocol's number conversions).
     */
    public Object execute(Object statementId, List<Object> params) {
        if (state != STATE_CONNECTED) {
            return NativeResult.error("cannot send query in the current context: " + stateName());
        }
        MysqlConnection c = conn;
        if (c.isClosed()) {
            return NativeResult.error("closed");
        }
        Integer id = ConnectOptions.integer(statementId);
        Future<RowSet<Row>> response = id == null ? null : c.execute(id, tuple(params));
        if (response == null) {
            return NativeResult.error("unknown statement id: " + (id != null ? id.toString() : String.valueOf(statementId)));
        }
        return within(response, c).transform(ar -> Future.succeededFuture(ar.succeeded()
                ? NativeResult.of(ResultConverter.convert(ar.result(), Protocol.BINARY, compact, c.charset(), false))
                : failure("failed to execute: ", ar.cause())));
    }

    /** Script values as statement parameters: integral numbers bind as integers, strings as their bytes. */
    private static Tuple tuple(List<Object> params) {
        Tuple t = Tuple.tuple();
        for (Object p : params) {
            if (p == null || p == NativeNull.NULL) {
                t.addValue(null);
            } else if (p instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p63) {
                t.addLong(d.longValue());
            } else if (p instanceof byte[] b) {
                t.addBuffer(Buffer.buffer(b));
            } else if (p instanceof Number || p instanceof Boolean || p instanceof String) {
                // strings are byte strings; the connection writes them as ISO-8859-1, i.e. their bytes
                t.addValue(p);
            } else {
                t.addValue(String.valueOf(p));
            }
        }
        return t;
    }

    // ------------------------------------------------------------------ helpers

    /** A server error as is (the connection stays usable); anything else in nginx's socket-error words. */
    private NativeResult failure(String prefix, Throwable t) {
        NativeResult server = MysqlErrors.serverError(t);
        if (server != null) {
            if (state == STATE_COMMAND_SENT) {
                state = STATE_CONNECTED;
            }
            return server;
        }
        return NativeResult.error(prefix + MysqlErrors.socketError(t, null));
    }

    /**
     * {@code response} bounded by the timeout. On timeout the connection is closed: the late response
     * must not be taken for the answer to a later query.
     */
    private <T> Future<T> within(Future<T> response, MysqlConnection c) {
        if (response.isComplete()) {
            return response;
        }
        Promise<T> result = Promise.promise();
        AtomicBoolean settled = new AtomicBoolean();
        long timer = vertx.setTimer(readTimeoutMs, t -> {
            if (settled.compareAndSet(false, true)) {
                c.close();
                result.fail(MysqlErrors.TIMEOUT);
            }
        });
        response.onComplete(ar -> {
            if (settled.compareAndSet(false, true)) {
                vertx.cancelTimer(timer);
                result.handle(ar);
            }
        });
        return result.future();
    }

    /** Registers (once per request) the end-of-request close of a connection the script left open. */
    private void closeAtEndOf(RequestContext request) {
        if (request == null || request == cleanupFor) {
            return;
        }
        cleanupFor = request;
        request.addCleanup(() -> {
            if (cleanupFor == request) {
                cleanupFor = null;
                state = STATE_NONE;
                dropConnection();
            }
        });
    }

    private void dropConnection() {
        inFlight = null;
        pendingNext = null;
        if (conn != null) {
            conn.close();
            conn = null;
        }
        state = STATE_NONE;
    }

    /** The state as lua-resty-mysql prints it in errors: a number, or {@code nil}. */
    private String stateName() {
        return state == STATE_NONE ? "nil" : Integer.toString(state);
    }
}
