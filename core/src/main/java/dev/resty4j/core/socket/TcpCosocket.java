package dev.resty4j.core.socket;

import dev.resty4j.core.api.Contexts;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.request.RequestContext;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOption;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.SocketAddress;
import java.net.BindException;
import java.net.InetAddress;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLSession;

/**
 * One {@code ngx.socket.tcp()} object, with lua-nginx-module's semantics and error strings: connect (with
 * keepalive pools and the connect backlog), TLS upgrade, send, the receive family, setkeepalive, close.
 *
 * <p>Operations return Vert.x futures; engines wait for them with {@code Worker.await}, so a script blocks
 * only its own fiber. A failure a script should see as {@code nil, err} fails the future with
 * {@link CosocketError}; misuse OpenResty raises as a Lua error ("bad request") is thrown as
 * {@link NgxApiException} before anything happens.
 *
 * <p>The socket belongs to the request that connected it: other requests get "bad request", and the
 * connection is closed when that request ends if the script left it open. Only one read and one write
 * may be in progress at a time ("socket busy reading"), as in OpenResty.
 */
public final class TcpCosocket {

    private final Cosockets mgr;
    /** Timeouts set by the script in ms; 0 = the lua_socket_*_timeout in force. */
    private long connectTimeout;
    private long sendTimeout;
    private long readTimeout;
    private String bindAddress;

    private RequestContext owner;
    private RequestContext cleanupRegistered;
    /** The owning request has ended: a connect still in flight must not leave a connection behind. */
    private volatile boolean ownerEnded;
    private SocketSettings settings = SocketSettings.DEFAULTS;
    private volatile TcpConnection conn;
    private String poolKey;
    private volatile boolean connecting;
    private volatile boolean reading;
    private volatile boolean writing;

    TcpCosocket(Cosockets mgr) {
        this.mgr = mgr;
    }

    // ------------------------------------------------------------------ settings

    /** {@code settimeout(ms)}: connect, send and read timeouts at once (0 = the configured ones). */
    public void setTimeout(long ms) {
        setTimeouts(ms, ms, ms);
    }

    /** {@code settimeouts(connect, send, read)} in ms (0 = the configured one). */
    public void setTimeouts(long connect, long send, long read) {
        if (connect < 0 || connect >= (1L << 31) || send < 0 || send >= (1L << 31) || read < 0 || read >= (1L << 31)) {
            throw new NgxApiException("bad timeout value");
        }
        this.connectTimeout = connect;
        this.sendTimeout = send;
        this.readTimeout = read;
    }

    private long connectTimeout() {
        return connectTimeout > 0 ? connectTimeout : settings.connectTimeout();
    }

    private long sendTimeout() {
        return sendTimeout > 0 ? sendTimeout : settings.sendTimeout();
    }

    private long readTimeout() {
        return readTimeout > 0 ? readTimeout : settings.readTimeout();
    }

    /** {@code bind(ip)}: the local address later connects use. */
    public Future<Integer> bind(RequestContext req, String ip) {
        mgr.debug(req, "lua tcp socket bind ip: " + ip);
        if (!Cosockets.isIpLiteral(ip)) {
            return fail("bad address");
        }
        bindAddress = ip;
        return Future.succeededFuture(1);
    }

    // ------------------------------------------------------------------ connect

    /**
     * {@code connect(host, port, opts)} or {@code connect("unix:/path", opts)}.
     *
     * @param port       null when none was given
     * @param customPool the {@code pool} option, or null for "host:port"
     * @param poolSize   the {@code pool_size} option, 0 when absent
     * @param backlog    the {@code backlog} option, -1 when absent
     */
    public Future<Integer> connect(RequestContext req, String host, Integer port, String customPool, int poolSize,
                                   int backlog) {
        Contexts.check(req, Contexts.YIELDABLE);
        mgr.counted("connect");
        boolean unix = host.regionMatches(true, 0, "unix:", 0, 5);
        if (port != null) {
            if (port < 0 || port > 65535) {
                return fail("bad port number: " + port);
            }
        } else if (!unix) {
            return fail("missing the port number");
        }
        if (owner != null && owner != req) {
            throw new NgxApiException("bad request");
        }
        Future<Integer> busy = busy(true, true, true);
        if (busy != null) {
            return busy;
        }
        if (conn != null) {
            finalizeConnection(); // reconnect without shutting down, as nginx allows
        }
        owner = req;
        ownerEnded = false;
        settings = mgr.settings(req);
        registerCleanup(req);
        String target = port == null ? host : host + ":" + port;
        poolKey = customPool != null ? customPool : target;
        if (backlog >= 0 && poolSize <= 0) {
            poolSize = settings.poolSize(); // a backlog alone uses the default pool size
        }
        ConnectionPool pool = mgr.pool(poolKey, poolSize, backlog);

        Future<TcpConnection> opened;
        if (pool != null) {
            TcpConnection reused = pool.takeIdle();
            if (reused != null) {
                conn = reused;
                return Future.succeededFuture(1);
            }
            opened = pool.admit(connectTimeout(), req, target).compose(v -> {
                TcpConnection again = pool.takeIdle();
                if (again != null) {
                    pool.release(); // this attempt no longer needs its own slot
                    return Future.succeededFuture(again);
                }
                return open(req, host, port, unix).andThen(ar -> {
                    if (ar.failed()) {
                        pool.release();
                    } else {
                        ar.result().pool = pool;
                    }
                });
            });
        } else {
            opened = open(req, host, port, unix);
        }
        connecting = true;
        return opened.transform(ar -> {
            connecting = false;
            if (ar.failed()) {
                return Future.failedFuture(ar.cause());
            }
            TcpConnection c = ar.result();
            if (ownerEnded) {
                // The request ended while connecting: nobody will use this connection.
                closeConnection(c);
                return fail("closed");
            }
            conn = c;
            return Future.succeededFuture(1);
        });
    }

    /** Resolves and connects; failures are already in OpenResty's words (and logged as nginx does). */
    private Future<TcpConnection> open(RequestContext req, String host, Integer port, boolean unix) {
        if (unix) {
            String path = host.substring(5);
            return connectTo(req, SocketAddress.domainSocketAddress(path), host);
        }
        return mgr.resolve(host).transform(ar -> {
            if (ar.failed()) {
                return Future.failedFuture(new CosocketError(host + " could not be resolved " + resolverError(ar.cause())));
            }
            InetAddress ip = ar.result();
            String name = (ip.getAddress().length == 16 ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress()) + ":" + port;
            return connectTo(req, SocketAddress.inetSocketAddress(port, ip.getHostAddress()), name);
        });
    }

    private static String resolverError(Throwable t) {
        return SocketErrors.isUnknownHost(t) ? "(3: Host not found)" : "(110: Operation timed out)";
    }

    private Future<TcpConnection> connectTo(RequestContext req, SocketAddress address, String name) {
        long timeout = connectTimeout();
        String local = bindAddress;
        Promise<TcpConnection> promise = Promise.promise();
        // Connect from the worker's event loop so the handlers are installed before any data is delivered.
        mgr.loop().runOnContext(v -> mgr.client(local)
                .connect(new ConnectOptions().setRemoteAddress(address).setTimeout((int) Math.min(timeout, Integer.MAX_VALUE)))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        promise.complete(TcpConnection.attach(ar.result(), mgr.loop(), mgr.deadlines()));
                    } else {
                        promise.fail(connectError(req, ar.cause(), name, local));
                    }
                }));
        return promise.future();
    }

    private CosocketError connectError(RequestContext req, Throwable t, String name, String local) {
        if (SocketErrors.isTimeout(t)) {
            mgr.logError(req, "lua tcp socket connect timed out, when connecting to " + name);
            return new CosocketError("timeout");
        }
        SocketErrors.Errno e = SocketErrors.errno(t);
        boolean bindFailed = local != null && rootIs(t, BindException.class);
        mgr.logError(req, (bindFailed ? "bind(" + local + ") failed " : "connect() failed ") + e.logText());
        return new CosocketError(SocketErrors.luaText(t));
    }

    // ------------------------------------------------------------------ TLS

    /**
     * {@code sslhandshake(reused_session, server_name, ssl_verify)}: upgrades the connection to TLS. The
     * result is the session (an opaque object) or {@code Boolean.TRUE} when {@code returnSession} is false.
     * With {@code verify}, the peer certificate must chain to {@code lua_ssl_trusted_certificate} (or, when
     * that is not set, to the JVM's trusted CAs) and, when a server name is given, match it.
     */
    public Future<Object> sslHandshake(RequestContext req, boolean returnSession, String serverName, boolean verify) {
        if (conn == null || conn.readClosed || conn.writeClosed) {
            return fail("closed");
        }
        checkOwner(req);
        Future<Object> busy = busy(true, true, true);
        if (busy != null) {
            return busy;
        }
        Contexts.check(req, Contexts.YIELDABLE);
        TcpConnection c = conn;
        if (c.socket.isSsl()) {
            return Future.succeededFuture(returnSession ? c.socket.sslSession() : Boolean.TRUE);
        }
        long timeout = connectTimeout();
        Future<Void> upgraded = TlsOptions.get(mgr.loop().owner(), verify, settings.trustedCertificate(), serverName != null)
                .compose(options -> {
                    Promise<Void> promise = Promise.promise();
                    long timer = mgr.loop().setTimer(timeout, id -> promise.tryFail(new CosocketError("timeout")));
                    mgr.loop().runOnContext(v -> c.socket.upgradeToSsl(options, serverName, null).onComplete(ar -> {
                        mgr.loop().owner().cancelTimer(timer);
                        if (ar.succeeded()) {
                            promise.tryComplete();
                        } else {
                            promise.tryFail(ar.cause());
                        }
                    }));
                    return promise.future();
                });
        connecting = true;
        return upgraded.transform(ar -> {
            connecting = false;
            if (ar.succeeded()) {
                SSLSession session = c.socket.sslSession();
                return Future.succeededFuture(returnSession ? session : Boolean.TRUE);
            }
            String err = handshakeError(req, ar.cause(), serverName);
            if (conn == c) {
                finalizeConnection();
            }
            return fail(err);
        });
    }

    private String handshakeError(RequestContext req, Throwable t, String serverName) {
        if (t instanceof CosocketError ce) {
            return ce.getMessage();
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
            if (c instanceof CertificateException && (m.contains("no subject alternative") || m.contains("doesn't match"))) {
                mgr.logError(req, "lua ssl certificate does not match host \"" + serverName + "\"");
                return "certificate host mismatch";
            }
            if (m.contains("pkix path") || m.contains("unable to find valid certification path")) {
                String err = "20: unable to get local issuer certificate";
                mgr.logError(req, "lua ssl certificate verify error: (" + err + ")");
                return err;
            }
        }
        return "handshake failed";
    }

    // ------------------------------------------------------------------ send

    /** {@code send(data)}: the number of bytes sent, once all are written. */
    public Future<Integer> send(RequestContext req, byte[] data) {
        mgr.counted("send");
        if (conn == null || conn.writeClosed) {
            mgr.logError(req, "attempt to send data on a closed socket: " + describe());
            return fail("closed");
        }
        checkOwner(req);
        Future<Integer> busy = busy(true, false, true);
        if (busy != null) {
            return busy;
        }
        if (data.length == 0) {
            return Future.succeededFuture(0);
        }
        Contexts.check(req, Contexts.YIELDABLE);
        TcpConnection c = conn;
        writing = true;
        return c.write(data, sendTimeout()).transform(ar -> {
            writing = false;
            if (ar.succeeded()) {
                return Future.succeededFuture(data.length);
            }
            String err;
            if (ar.cause() instanceof CosocketError ce) {
                err = ce.getMessage();
                mgr.logError(req, "lua tcp socket write timed out");
            } else {
                err = SocketErrors.luaText(ar.cause());
            }
            c.writeClosed = true;
            return fail(err);
        });
    }

    // ------------------------------------------------------------------ receive

    /** {@code receive("*l")} (and {@code receive()}). */
    public Future<byte[]> receiveLine(RequestContext req) {
        return read(req, ReadFilter.line());
    }

    /** {@code receive("*a")}. */
    public Future<byte[]> receiveAll(RequestContext req) {
        return read(req, ReadFilter.all());
    }

    /** {@code receive(n)}; {@code n == 0} yields "" at once. */
    public Future<byte[]> receive(RequestContext req, long n) {
        return read(req, ReadFilter.bytes(n));
    }

    /** {@code receiveany(max)}. */
    public Future<byte[]> receiveAny(RequestContext req, long max) {
        return read(req, ReadFilter.any(max));
    }

    /** {@code receiveuntil(pattern, {inclusive = ...})}: the iterator's state. */
    public ReceiveUntil receiveUntil(byte[] pattern, boolean inclusive) {
        return new ReceiveUntil(this, pattern, inclusive);
    }

    Future<byte[]> untilRead(RequestContext req, ReceiveUntil until, long size) {
        if (conn == null || conn.readClosed) {
            return fail("closed");
        }
        checkOwner(req);
        Future<byte[]> busy = busy(true, true, false);
        if (busy != null) {
            return busy;
        }
        if (until.takeEnded()) {
            return Future.succeededFuture(null);
        }
        return startRead(req, until.filter(size));
    }

    private Future<byte[]> read(RequestContext req, ReadFilter filter) {
        mgr.counted("receive");
        if (conn == null || conn.readClosed) {
            mgr.logError(req, "attempt to receive data on a closed socket: " + describe());
            return fail("closed");
        }
        checkOwner(req);
        Future<byte[]> busy = busy(true, true, false);
        if (busy != null) {
            return busy;
        }
        return startRead(req, filter);
    }

    private Future<byte[]> startRead(RequestContext req, ReadFilter filter) {
        TcpConnection c = conn;
        Future<byte[]> f = c.read(filter, readTimeout(), () -> mgr.logError(req, "lua tcp socket read timed out"));
        if (f.isComplete()) {
            return f;
        }
        Contexts.check(req, Contexts.YIELDABLE);
        reading = true;
        return f.andThen(ar -> reading = false);
    }

    // ------------------------------------------------------------------ keepalive, close, options

    /**
     * {@code setkeepalive(timeout, size)}: parks the connection in the worker's pool for its key and
     * detaches it from this object, which then reads as closed.
     *
     * @param timeoutMs idle timeout (0 = never), null for {@code lua_socket_keepalive_timeout}
     * @param poolSize  pool size when the pool does not exist yet, null for {@code lua_socket_pool_size}
     */
    public Future<Integer> setKeepalive(RequestContext req, Long timeoutMs, Integer poolSize) {
        mgr.counted("set_keepalive");
        if (conn == null || conn.readClosed || conn.writeClosed) {
            return fail("closed");
        }
        checkOwner(req);
        Future<Integer> busy = busy(true, true, true);
        if (busy != null) {
            return busy;
        }
        TcpConnection c = conn;
        if (c.buffered() > 0) {
            return fail("unread data in buffer");
        }
        if (c.dead()) {
            return fail("invalid connection");
        }
        if (mgr.worker().exiting()) {
            finalizeConnection();
            return Future.succeededFuture(1);
        }
        int size = poolSize != null ? poolSize : settings.poolSize();
        ConnectionPool pool = mgr.pool(poolKey, size, -1);
        if (pool == null) {
            throw new NgxApiException("bad \"pool_size\" option value: " + size);
        }
        conn = null;
        pool.park(c, timeoutMs != null ? timeoutMs : settings.keepaliveTimeout());
        return Future.succeededFuture(1);
    }

    /** {@code getreusedtimes()}. */
    public Future<Integer> reusedTimes() {
        if (conn == null || (conn.readClosed && conn.writeClosed)) {
            return fail("closed");
        }
        return Future.succeededFuture(conn.reused);
    }

    /** {@code close()}. */
    public Future<Integer> close(RequestContext req) {
        mgr.counted("close");
        if (conn == null || (conn.readClosed && conn.writeClosed)) {
            return fail("closed");
        }
        checkOwner(req);
        Future<Integer> busy = busy(true, true, true);
        if (busy != null) {
            return busy;
        }
        finalizeConnection();
        return Future.succeededFuture(1);
    }

    /** {@code setoption(name, value)}: keepalive, reuseaddr, tcp-nodelay, sndbuf, rcvbuf. */
    public Future<Boolean> setOption(String name, int value) {
        ChannelConfig cfg = channelConfig();
        if (cfg == null) {
            return fail("closed");
        }
        boolean ok = switch (name) {
            case "keepalive" -> cfg.setOption(ChannelOption.SO_KEEPALIVE, value != 0);
            case "reuseaddr" -> cfg.setOption(ChannelOption.SO_REUSEADDR, value != 0);
            case "tcp-nodelay" -> cfg.setOption(ChannelOption.TCP_NODELAY, value != 0);
            case "sndbuf" -> cfg.setOption(ChannelOption.SO_SNDBUF, value);
            case "rcvbuf" -> cfg.setOption(ChannelOption.SO_RCVBUF, value);
            default -> throw new IllegalArgumentException(name);
        };
        return ok ? Future.succeededFuture(true) : fail("unsupported option " + name);
    }

    /** {@code getoption(name)}. */
    public Future<Integer> getOption(String name) {
        ChannelConfig cfg = channelConfig();
        if (cfg == null) {
            return fail("closed");
        }
        Object v = switch (name) {
            case "keepalive" -> cfg.getOption(ChannelOption.SO_KEEPALIVE);
            case "reuseaddr" -> cfg.getOption(ChannelOption.SO_REUSEADDR);
            case "tcp-nodelay" -> cfg.getOption(ChannelOption.TCP_NODELAY);
            case "sndbuf" -> cfg.getOption(ChannelOption.SO_SNDBUF);
            case "rcvbuf" -> cfg.getOption(ChannelOption.SO_RCVBUF);
            default -> throw new IllegalArgumentException(name);
        };
        int n = v instanceof Boolean b ? (b ? 1 : 0) : v instanceof Integer i ? i : 0;
        return Future.succeededFuture(n);
    }

    /** The option names {@link #setOption} knows. */
    public static boolean isOption(String name) {
        return switch (name) {
            case "keepalive", "reuseaddr", "tcp-nodelay", "sndbuf", "rcvbuf" -> true;
            default -> false;
        };
    }

    private ChannelConfig channelConfig() {
        if (conn == null || !(conn.socket instanceof NetSocketInternal s)) {
            return null;
        }
        return s.channelHandlerContext().channel().config();
    }

    // ------------------------------------------------------------------ internals

    private void checkOwner(RequestContext req) {
        if (owner != req) {
            throw new NgxApiException("bad request");
        }
    }

    /** OpenResty's "socket busy …" result when an operation of that kind is in progress, else null. */
    private <T> Future<T> busy(boolean checkConnect, boolean checkRead, boolean checkWrite) {
        if (checkConnect && connecting) {
            return fail("socket busy connecting");
        }
        if (checkRead && reading) {
            return fail("socket busy reading");
        }
        if (checkWrite && writing) {
            return fail("socket busy writing");
        }
        return null;
    }

    private void registerCleanup(RequestContext req) {
        if (cleanupRegistered != req) {
            cleanupRegistered = req;
            req.addCleanup(() -> requestEnded(req));
        }
    }

    /** The owning request ended: close what the script left open, so nothing leaks. */
    private void requestEnded(RequestContext req) {
        if (owner == req) {
            ownerEnded = true;
            finalizeConnection();
        }
    }

    private void finalizeConnection() {
        TcpConnection c = conn;
        conn = null;
        if (c != null) {
            closeConnection(c);
        }
    }

    private static void closeConnection(TcpConnection c) {
        c.close();
        if (c.pool != null) {
            ConnectionPool p = c.pool;
            c.pool = null;
            p.release();
        }
    }

    private String describe() {
        TcpConnection c = conn;
        return "u:" + Integer.toHexString(System.identityHashCode(this)) + ", c:"
                + (c == null ? "0000000000000000" : Integer.toHexString(System.identityHashCode(c)))
                + ", ft:0 eof:" + (c != null && c.dead() ? 1 : 0);
    }

    private static boolean rootIs(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static <T> Future<T> fail(String message) {
        return Future.failedFuture(new CosocketError(message));
    }
}
