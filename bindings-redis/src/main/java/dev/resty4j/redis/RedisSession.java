package dev.resty4j.redis;

import dev.resty4j.core.api.ArgsCodec;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.socket.Deadlines;
import dev.resty4j.core.worker.Worker;
import dev.resty4j.spi.NativeHandle;
import dev.resty4j.spi.NativeNull;
import dev.resty4j.spi.NativeResult;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code resty.redis} object ({@code redis:new()}): the engine-neutral implementation of
 * lua-resty-redis's semantics. Every I/O method returns a Future of the values the Lua method returns
 * (a single value, or {@link NativeResult} for {@code nil, err} / {@code false, err}); argument errors
 * the original raises are thrown as {@link NgxApiException}.
 *
 * <p>Error shapes, as in lua-resty-redis: a Redis error reply gives {@code false, "ERR …"} and leaves the
 * connection usable; a connection failure gives {@code nil, err} ({@code "timeout"}, {@code "closed"},
 * {@code "connection refused"}, …) and closes the connection (except a read timeout in subscribe mode or
 * of a blocking {@code blpop}/{@code brpop}). Nothing is ever raised for either.
 *
 * <p>Used from one fiber at a time (a script's object); Future continuations run on the Vert.x event
 * loop while that fiber is parked waiting for them.
 */
public final class RedisSession implements NativeHandle {

    /** Cosocket timeout defaults (lua_socket_connect/send/read_timeout: 60s). */
    static final long DEFAULT_TIMEOUT_MS = 60_000;
    /** lua_socket_keepalive_timeout's default. */
    static final long DEFAULT_KEEPALIVE_MS = 60_000;

    private final RedisBinding binding;
    private final WorkerPools pools;
    /** The worker's timer tree: an operation's timeout costs no Vert.x timer of its own. */
    private final Deadlines deadlines;
    private long connectTimeout = DEFAULT_TIMEOUT_MS;
    private long sendTimeout = DEFAULT_TIMEOUT_MS;
    private long readTimeout = DEFAULT_TIMEOUT_MS;

    /** The connection, or null while closed (never connected, closed, or kept alive). */
    private RedisConn conn;
    private String host = "";
    private boolean subscribed;
    private boolean inMulti;
    private boolean inMultiSaved;
    private boolean blocking;
    /** Commands queued by init_pipeline, or null outside pipelining. */
    private List<Request> pipeline;
    /** Channels (SUBSCRIBE) and patterns (PSUBSCRIBE) subscribed to, as the replies counted them. */
    private int channels;
    private int patterns;
    /** Messages read while waiting for a (un)subscribe confirmation, for the next read_reply calls. */
    private ArrayDeque<Object> buffered;
    /** Number of connect calls, and which one attached the current connection (for the request-end close). */
    private int connects;
    private int attachedBy;

    RedisSession(RedisBinding binding, Worker worker) {
        this.binding = binding;
        this.pools = binding.pools(worker);
        this.deadlines = worker.deadlines();
    }

    @Override
    public String typeName() {
        return "resty.redis";
    }

    // ------------------------------------------------------------------------------------------ timeouts

    public void setTimeout(long ms) {
        connectTimeout = sendTimeout = readTimeout = ms;
    }

    public void setTimeouts(long connect, long send, long read) {
        connectTimeout = connect;
        sendTimeout = send;
        readTimeout = read;
    }

    // ------------------------------------------------------------------------------------------ connect

    /** Options of {@code connect} (lua-resty-redis's opts table, already read into Java values). */
    public record ConnectOptions(String pool, Integer poolSize, Integer backlog, boolean ssl, boolean sslVerify,
                                 String serverName, String db, String password, String username) {

        static final ConnectOptions NONE = new ConnectOptions(null, null, null, false, false, null, null, null, null);

        static ConnectOptions from(Map<String, Object> t) {
            if (t == null) {
                return NONE;
            }
            String password = text(t.get("password"));
            if (password != null && password.isEmpty()) {
                password = null;
            }
            String username = text(t.get("username"));
            if (password == null || (username != null && username.isEmpty())) {
                username = null;
            }
            return new ConnectOptions(text(t.get("pool")), integer(t.get("pool_size")), integer(t.get("backlog")),
                    Boolean.TRUE.equals(t.get("ssl")), Boolean.TRUE.equals(t.get("ssl_verify")),
                    text(t.get("server_name")), text(t.get("db")), password, username);
        }

        private static String text(Object v) {
            return v == null ? null : Args.text(v);
        }

        private static Integer integer(Object v) {
            if (v == null) {
                return null;
            }
            if (v instanceof Number n) {
                return n.intValue();
            }
            throw new NgxApiException("bad option value: " + v);
        }
    }

    /**
     * {@code connect(host, port, opts)} / {@code connect("unix:/path", opts)}: takes an idle connection of
     * the pool when there is one (then AUTH/SELECT of the options are skipped, as they were done when it
     * was opened), else opens one, within the connect timeout. Returns 1, or nil and the error.
     */
    public Future<Object> connect(String host, int port, ConnectOptions opts) {
        binding.counted("connect");
        if (conn != null) {
            // a cosocket connect on a connected object closes the old connection first
            closeConn();
        }
        this.host = host;
        int seq = ++connects;
        // A connection the script neither closes nor keeps alive is closed when its request ends, as nginx
        // closes a request's cosockets. Registered here, on the script's fiber: the connection itself may
        // be attached on an event-loop thread.
        Worker.onFiberExit(() -> {
            if (conn != null && attachedBy == seq) {
                closeConn();
            }
        });
        subscribed = false;
        inMulti = false;
        blocking = false;
        channels = patterns = 0;
        buffered = null;
        boolean unix = host.startsWith("unix:");
        String poolName = opts.pool();
        if (poolName == null) {
            poolName = unix ? host : host + ":" + port;
            if (opts.username() != null) {
                poolName += "/" + opts.username();
            }
            if (opts.db() != null) {
                poolName += "/" + opts.db();
            }
        }
        RedisConn idle = pools.takeIdle(poolName);
        if (idle != null) {
            attach(idle, true, seq);
            return Future.succeededFuture(1L);
        }
        ConnectionPool pool = null;
        if (opts.poolSize() != null || opts.backlog() != null) {
            int size = opts.poolSize() != null ? opts.poolSize() : ConnectionPool.DEFAULT_SIZE;
            if (size <= 0) {
                throw new NgxApiException("bad argument #3 to 'connect' (bad \"pool_size\" option value: " + size + ")");
            }
            int backlog = opts.backlog() != null ? opts.backlog() : -1;
            if (opts.backlog() != null && backlog < 0) {
                throw new NgxApiException("bad argument #3 to 'connect' (bad \"backlog\" option value: " + backlog + ")");
            }
            pool = pools.pool(poolName, size, backlog);
        } else {
            pool = pools.existing(poolName); // a pool created earlier keeps its limits
        }
        RedisBinding.Endpoint endpoint = new RedisBinding.Endpoint(host, port, opts.ssl(), opts.sslVerify(), opts.serverName());
        String name = poolName;
        Future<RedisConn> got;
        if (pool != null && pool.limitsConnections()) {
            ConnectionPool limited = pool;
            long started = System.nanoTime();
            got = pools.reserve(limited, connectTimeout).compose(handed -> {
                if (handed != null) {
                    return Future.succeededFuture(handed);
                }
                long left = connectTimeout <= 0 ? 0 : Math.max(1, connectTimeout - (System.nanoTime() - started) / 1_000_000);
                return open(endpoint, name, left).andThen(ar -> {
                    if (ar.succeeded()) {
                        ar.result().countedIn = limited;
                    } else {
                        pools.unreserve(limited);
                    }
                });
            });
        } else {
            got = open(endpoint, name, connectTimeout);
        }
        return got.transform(ar -> {
            if (ar.failed()) {
                return Future.succeededFuture(NativeResult.error(CosocketErrors.message(ar.cause(), host)));
            }
            RedisConn c = ar.result();
            // a connection handed over by a set_keepalive while this connect was queued is a reused one
            boolean reused = c.used;
            attach(c, reused, seq);
            if (reused || (opts.password() == null && opts.db() == null)) {
                return Future.succeededFuture(1L);
            }
            return setUp(opts);
        });
    }

    /** AUTH and SELECT of the connect options, on a new connection only. */
    private Future<Object> setUp(ConnectOptions opts) {
        Future<Object> f = Future.succeededFuture(1L);
        if (opts.password() != null) {
            List<Object> args = opts.username() != null ? List.of(opts.username(), opts.password()) : List.of(opts.password());
            f = f.compose(x -> send(request("auth", args.toArray())).map(r -> (Object) 1L).recover(t -> {
                closeConn();
                return Future.succeededFuture(NativeResult.error("failed to authenticate: " + errorText(t)));
            }));
        }
        if (opts.db() != null) {
            f = f.compose(x -> {
                if (x instanceof NativeResult) {
                    return Future.succeededFuture(x);
                }
                return send(request("select", opts.db())).map(r -> (Object) 1L).recover(t -> {
                    closeConn();
                    return Future.succeededFuture(NativeResult.error("failed to select database " + opts.db() + ": " + errorText(t)));
                });
            });
        }
        return f;
    }

    private Future<RedisConn> open(RedisBinding.Endpoint endpoint, String poolName, long timeout) {
        RedisBinding.Opening opening = binding.open(endpoint);
        Future<RedisConn> f = opening.connection().map(vc -> new RedisConn(vc, poolName, pools, () -> binding.reuseClient(opening)));
        // a connection that failed or timed out (possibly stuck in its handshake) goes with its client;
        // one that completes after the timeout is closed then
        return CosocketErrors.within(deadlines, f, timeout, RedisConn::close)
                .onFailure(t -> binding.closeClient(opening.client()));
    }

    private void attach(RedisConn c, boolean reused, int seq) {
        if (reused) {
            c.reusedTimes++;
        }
        c.used = true;
        conn = c;
        attachedBy = seq;
    }

    // ------------------------------------------------------------------------------------------ commands

    /** Any Redis command ({@code red:get(k)}, {@code red:client("setname", n)}, …). */
    public Future<Object> command(String name, Object[] args) {
        binding.counted("command");
        String cmd = name.toLowerCase(Locale.ROOT);
        switch (cmd) {
            case "multi" -> inMulti = true;
            case "exec", "discard" -> inMulti = false;
            case "blpop", "brpop" -> blocking = true;
            case "subscribe", "psubscribe" -> {
                if (pipeline == null) {
                    return subscribe(cmd, args);
                }
            }
            case "unsubscribe", "punsubscribe" -> {
                if (!subscribed) {
                    return Future.succeededFuture(NativeResult.error("not subscribed"));
                }
                if (pipeline == null) {
                    return unsubscribe(cmd, args);
                }
            }
            default -> { }
        }
        Request req = request(name, args);
        if (pipeline != null) {
            pipeline.add(req);
            return Future.succeededFuture(NativeResult.of());
        }
        if (conn == null) {
            return Future.succeededFuture(NativeResult.error(CosocketErrors.CLOSED));
        }
        return send(req).transform(ar -> {
            if (ar.succeeded()) {
                return afterMessages(Replies.toNeutral(ar.result()), ar.result());
            }
            return Future.succeededFuture(failure(ar.cause()));
        });
    }

    /**
     * While subscribed, a pub/sub message may arrive where a command's reply was expected: keep it for
     * read_reply and take the real reply, which Redis pushes after it.
     */
    private Future<Object> afterMessages(Object value, Response r) {
        if (!subscribed || !isMessage(Replies.kind(r))) {
            return Future.succeededFuture(value);
        }
        buffer(value);
        return readPushed(true).compose(next -> afterMessages(Replies.toNeutral(next), next),
                t -> Future.succeededFuture(failure(t)));
    }

    /**
     * Sends one command on the connection within the read timeout; a timeout closes the connection (except
     * in subscribe mode and for blocking pops), so does any failure but a Redis error reply. One promise,
     * one listener and one deadline: this runs for every command of every request.
     */
    private Future<Response> send(Request req) {
        RedisConn c = conn;
        if (c == null) {
            return Future.failedFuture(CosocketErrors.error(CosocketErrors.CLOSED));
        }
        boolean keepOnTimeout = subscribed || blocking;
        return deadlines.bound(c.wire.send(req), replyTimeout(), () -> CosocketErrors.error(CosocketErrors.TIMEOUT),
                keepOnTimeout ? null : () -> dropConn(c), null, cause -> {
                    Throwable t = arityChecked(req, cause);
                    if (!Replies.isRedisError(t)) {
                        dropConn(c);
                    }
                    return t;
                });
    }

    /**
     * Vert.x checks a command's arity before sending it; answer what Redis itself would have, as an error
     * reply.
     */
    private static Future<Response> checked(Request req, Future<Response> reply) {
        return reply.recover(t -> Future.failedFuture(arityChecked(req, t)));
    }

    private static Throwable arityChecked(Request req, Throwable t) {
        return isInvalid(t)
                ? new ErrorReply("ERR wrong number of arguments for '" + req.command().toString().toLowerCase(Locale.ROOT)
                        + "' command")
                : t;
    }

    /** A Redis error reply made up on this side (see {@link #checked}). */
    static final class ErrorReply extends RuntimeException {
        ErrorReply(String message) {
            super(message, null, false, false);
        }
    }

    /** The result of a failed command: {@code false, err} for a Redis error reply, {@code nil, err} else. */
    private NativeResult failure(Throwable t) {
        if (Replies.isRedisError(t)) {
            return NativeResult.of(false, errorText(t));
        }
        return NativeResult.error(CosocketErrors.message(t, host));
    }

    private String errorText(Throwable t) {
        if (Replies.isRedisError(t)) {
            return t.getMessage();
        }
        return CosocketErrors.message(t, host);
    }

    private static boolean isInvalid(Throwable t) {
        return t.getMessage() != null && t.getMessage().startsWith("Redis command is not valid");
    }

    private static boolean isTimeout(Throwable t) {
        return CosocketErrors.TIMEOUT.equals(t.getMessage());
    }

    /** Send and read timeouts together bound a round trip (writes are buffered, so reads dominate). */
    private long replyTimeout() {
        if (readTimeout <= 0) {
            return 0;
        }
        return readTimeout;
    }

    // ------------------------------------------------------------------------------------------ pipelines

    public void initPipeline() {
        pipeline = new ArrayList<>();
        inMultiSaved = inMulti;
    }

    public void cancelPipeline() {
        pipeline = null;
        inMulti = inMultiSaved;
    }

    /** Sends the queued commands at once; replies come back as one list ({@code {false, err}} for errors). */
    public Future<Object> commitPipeline() {
        binding.counted("commit_pipeline");
        List<Request> reqs = pipeline;
        if (reqs == null) {
            return Future.succeededFuture(NativeResult.error("no pipeline"));
        }
        pipeline = null;
        RedisConn c = conn;
        if (c == null) {
            return Future.succeededFuture(NativeResult.error(CosocketErrors.CLOSED));
        }
        // sent one by one, not as a Vert.x batch: a batch fails whole on the first error reply, while a
        // pipeline answers each command; Vert.x writes each at once, so they still go out back to back
        List<Future<Response>> replies = new ArrayList<>(reqs.size());
        for (Request r : reqs) {
            replies.add(checked(r, c.wire.send(r)));
        }
        Future<Object> all = Future.join(replies).map(x -> (Object) null);
        return CosocketErrors.within(deadlines, all, replyTimeout(), null).transform(ar -> {
            if (ar.failed() && isTimeout(ar.cause())) {
                dropConn(c);
                return Future.succeededFuture(NativeResult.error(CosocketErrors.TIMEOUT));
            }
            List<Object> out = new ArrayList<>(replies.size());
            for (Future<Response> f : replies) {
                if (f.succeeded()) {
                    out.add(Replies.toNeutral(f.result()));
                } else if (Replies.isRedisError(f.cause())) {
                    out.add(Replies.errorPair(errorText(f.cause())));
                } else {
                    dropConn(c);
                    return Future.succeededFuture(NativeResult.error(CosocketErrors.message(f.cause(), host)));
                }
            }
            return Future.succeededFuture(out);
        });
    }

    // ------------------------------------------------------------------------------------------ pub/sub

    private Future<Object> subscribe(String cmd, Object[] args) {
        if (conn == null) {
            return Future.succeededFuture(NativeResult.error(CosocketErrors.CLOSED));
        }
        subscribed = true;
        int n = args.length;
        // SUBSCRIBE's confirmations are pushed replies: Vert.x completes the send once written
        return send(request(cmd, args)).transform(ar -> {
            if (ar.failed()) {
                return Future.succeededFuture(failure(ar.cause()));
            }
            return collectConfirmations(Math.max(n, 1), new ArrayList<>(), false)
                    .map(list -> n <= 1 ? list.get(0) : (Object) list);
        }).recover(t -> Future.succeededFuture(failure(t)));
    }

    private Future<Object> unsubscribe(String cmd, Object[] args) {
        if (conn == null) {
            return Future.succeededFuture(NativeResult.error(CosocketErrors.CLOSED));
        }
        int n = args.length;
        return send(request(cmd, args)).transform(ar -> {
            if (ar.failed()) {
                return Future.succeededFuture(failure(ar.cause()));
            }
            return collectConfirmations(n, new ArrayList<>(), true).map(list -> list.size() == 1 ? list.get(0) : (Object) list);
        }).recover(t -> Future.succeededFuture(failure(t)));
    }

    /**
     * Reads (un)subscribe confirmations: {@code n} of them, or for an argument-less unsubscribe until no
     * subscription of that kind is left. Messages read meanwhile are kept for read_reply.
     */
    private Future<List<Object>> collectConfirmations(int n, List<Object> got, boolean unsub) {
        return readPushed(false).compose(r -> {
            String kind = Replies.kind(r);
            Object value = Replies.toNeutral(r);
            if (isMessage(kind)) {
                buffer(value);
                return collectConfirmations(n, got, unsub);
            }
            got.add(value);
            if (unsub) {
                unsubscribed(kind, r);
            } else {
                subscribedTo(kind);
            }
            boolean done = unsub
                    ? (n > 0 ? got.size() >= n : remaining(kind) == 0)
                    : got.size() >= n;
            if (done || (unsub && remaining(kind) == 0)) {
                return Future.succeededFuture(got);
            }
            return collectConfirmations(n, got, unsub);
        });
    }

    /** {@code read_reply}: the next pub/sub message (a buffered one first); a timeout keeps the connection. */
    public Future<Object> readReply() {
        if (!subscribed) {
            return Future.succeededFuture(NativeResult.error("not subscribed"));
        }
        if (buffered != null && !buffered.isEmpty()) {
            Object msg = buffered.poll();
            return Future.succeededFuture(msg);
        }
        if (conn == null) {
            return Future.succeededFuture(NativeResult.error(CosocketErrors.CLOSED));
        }
        return readPushed(true).transform(ar -> {
            if (ar.failed()) {
                return Future.succeededFuture(NativeResult.error(CosocketErrors.message(ar.cause(), host)));
            }
            Response r = ar.result();
            String kind = Replies.kind(r);
            if ("unsubscribe".equals(kind) || "punsubscribe".equals(kind)) {
                unsubscribed(kind, r);
            }
            return Future.succeededFuture(Replies.toNeutral(r));
        });
    }

    /** The next pushed reply within the read timeout; a timeout keeps the connection when {@code keep}. */
    private Future<Response> readPushed(boolean keep) {
        RedisConn c = conn;
        if (c == null) {
            return Future.failedFuture(CosocketErrors.error(CosocketErrors.CLOSED));
        }
        Future<Response> next = c.nextPushed();
        return CosocketErrors.within(deadlines, next, replyTimeout(), c::unread).onFailure(t -> {
            c.abandonWait(next);
            // in subscribe mode a read timeout is a normal polling result: the connection stays
            if (!(isTimeout(t) && (keep || subscribed))) {
                dropConn(c);
            }
        });
    }

    private void subscribedTo(String kind) {
        if ("subscribe".equals(kind)) {
            channels++;
        } else if ("psubscribe".equals(kind)) {
            patterns++;
        }
    }

    private void unsubscribed(String kind, Response r) {
        if (!"unsubscribe".equals(kind) && !"punsubscribe".equals(kind)) {
            return;
        }
        if ("unsubscribe".equals(kind)) {
            channels = Math.max(0, channels - 1);
        } else {
            patterns = Math.max(0, patterns - 1);
        }
        // messages of the channel (or pattern) just left are not delivered any more
        if (buffered != null && r.size() > 1 && r.get(1) != null) {
            String type = "unsubscribe".equals(kind) ? "message" : "pmessage";
            String from = r.get(1).toString();
            buffered.removeIf(m -> m instanceof List<?> l && l.size() > 1
                    && type.equals(text(l.get(0))) && from.equals(text(l.get(1))));
        }
        if (r.size() > 2 && r.get(2) != null && r.get(2).toLong() == 0) {
            subscribed = false;
        }
    }

    private int remaining(String kind) {
        return "punsubscribe".equals(kind) ? patterns : channels;
    }

    private void buffer(Object message) {
        if (buffered == null) {
            buffered = new ArrayDeque<>();
        }
        buffered.add(message);
    }

    private static boolean isMessage(String kind) {
        return "message".equals(kind) || "pmessage".equals(kind);
    }

    private static String text(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(o);
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    /**
     * {@code set_keepalive(max_idle_ms, pool_size)}: back into this worker's pool; the object is closed
     * afterwards. Refused in subscribe mode ("subscribed state") and inside MULTI ("in transaction").
     */
    public Object setKeepalive(Long maxIdleMs, Integer poolSize) {
        binding.counted("set_keepalive");
        if (subscribed) {
            return NativeResult.error("subscribed state");
        }
        if (inMulti) {
            return NativeResult.error("in transaction");
        }
        RedisConn c = conn;
        if (c == null || c.isClosed()) {
            conn = null;
            return NativeResult.error(CosocketErrors.CLOSED);
        }
        if (poolSize != null && poolSize <= 0) {
            throw new NgxApiException("bad argument #2 to 'setkeepalive' (bad \"pool_size\" option value: " + poolSize + ")");
        }
        conn = null;
        if (c.hasUnread()) {
            // a connection with unread pushed replies would hand them to its next user
            c.close();
            return NativeResult.error("unread data in buffer");
        }
        pools.keepalive(c, maxIdleMs == null ? DEFAULT_KEEPALIVE_MS : maxIdleMs,
                poolSize == null ? ConnectionPool.DEFAULT_SIZE : poolSize);
        return 1L;
    }

    public Object getReusedTimes() {
        RedisConn c = conn;
        if (c == null) {
            return NativeResult.error(CosocketErrors.CLOSED);
        }
        return (long) c.reusedTimes;
    }

    public Object close() {
        binding.counted("close");
        if (conn == null) {
            return NativeResult.error(CosocketErrors.CLOSED);
        }
        closeConn();
        return 1L;
    }

    private void closeConn() {
        RedisConn c = conn;
        conn = null;
        if (c != null) {
            c.close();
        }
    }

    /** Closes the connection after a failure, unless the object moved on to another one meanwhile. */
    private void dropConn(RedisConn c) {
        c.close();
        if (conn == c) {
            conn = null;
        }
    }

    // ------------------------------------------------------------------------------------------ requests

    /** A Redis request from a command name and script values, converted as lua-resty-redis does. */
    static Request request(String name, Object... args) {
        Request req = Request.cmd(Command.create(name));
        int n = args.length;
        while (n > 0 && args[n - 1] == null) {
            n--; // Lua's {...} drops trailing nils
        }
        for (int i = 0; i < n; i++) {
            req.arg(Args.bytes(args[i]));
        }
        return req;
    }

    /** Conversions of script values to command arguments. */
    static final class Args {
        private Args() {
        }

        /** lua-resty-redis sends {@code tostring(arg)}, except 15+ digit integers in full. */
        static byte[] bytes(Object v) {
            if (v instanceof byte[] b) {
                return b;
            }
            return text(v).getBytes(StandardCharsets.ISO_8859_1);
        }

        static String text(Object v) {
            if (v instanceof String s) {
                return s;
            }
            if (v instanceof byte[] b) {
                return new String(b, StandardCharsets.ISO_8859_1);
            }
            if (v instanceof Double d) {
                if (d == Math.rint(d) && Math.abs(d) < 0x1p63) {
                    return Long.toString(d.longValue());
                }
                return ArgsCodec.formatNumber(d);
            }
            if (v instanceof Number n) {
                return ArgsCodec.formatNumber(n.doubleValue());
            }
            if (v == null) {
                return "nil";
            }
            if (v == NativeNull.NULL) {
                return "userdata: NULL";
            }
            if (v instanceof Boolean b) {
                return b.toString();
            }
            return "table";
        }
    }
}
