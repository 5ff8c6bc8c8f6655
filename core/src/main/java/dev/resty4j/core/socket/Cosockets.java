package dev.resty4j.core.socket;

import dev.resty4j.Location;
import dev.resty4j.Resty;
import dev.resty4j.core.api.Contexts;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.worker.Worker;
import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cosocket machinery of one worker VM, as lua-nginx-module keeps it per Lua VM: the keepalive pools,
 * the Vert.x clients, and the event loop every socket of the worker runs on (one worker, one event loop,
 * like an nginx worker). Engines create one per VM and hand out {@link TcpCosocket} and
 * {@link UdpCosocket} objects from it.
 *
 * <p>Host names are resolved with Vert.x's resolver (hosts file, then the system's DNS servers),
 * asynchronously. Unlike nginx, no {@code resolver} directive is needed; its address is not used.
 */
public final class Cosockets {

    private final Worker worker;
    private final Resty resty;
    private final VertxInternal vertx;
    private final ContextInternal loop;
    private final Deadlines deadlines;
    private final Map<String, NetClient> clients = new ConcurrentHashMap<>();
    /** Guarded by this. */
    private final Map<String, ConnectionPool> pools = new HashMap<>();
    private final Map<Location, SocketSettings> settingsByLocation = new ConcurrentHashMap<>();
    private volatile SocketSettings httpSettings;

    public Cosockets(Worker worker) {
        this.worker = worker;
        this.resty = worker.resty();
        this.vertx = (VertxInternal) resty.vertx();
        this.loop = worker.loop(); // where the worker's fibers run: completions resume them without a thread hop
        this.deadlines = worker.deadlines();
        resty.cosocketMetrics().idleConnections("tcp", this::idleConnections);
    }

    /** Idle connections in this worker's keepalive pools (the {@code tcp} binding's pool gauge). */
    public int idleConnections() {
        synchronized (this) {
            int n = 0;
            for (ConnectionPool p : pools.values()) {
                n += p.idleCount();
            }
            return n;
        }
    }

    /** Counts an {@code ngx.socket.tcp} operation for the metrics. */
    void counted(String operation) {
        resty.cosocketMetrics().operation("tcp", operation);
    }

    /** {@code ngx.socket.tcp()}: a new, unconnected TCP cosocket (only where scripts may yield). */
    public TcpCosocket tcp(RequestContext req) {
        Contexts.check(req, Contexts.YIELDABLE);
        return new TcpCosocket(this);
    }

    /** {@code ngx.socket.udp()}: a new UDP cosocket (only where scripts may yield). */
    public UdpCosocket udp(RequestContext req) {
        Contexts.check(req, Contexts.YIELDABLE);
        return new UdpCosocket(this);
    }

    /** Closes the idle pooled connections and the clients (worker shutdown). */
    public void close() {
        List<ConnectionPool> all;
        synchronized (this) {
            all = new ArrayList<>(pools.values());
            pools.clear();
        }
        all.forEach(ConnectionPool::closeIdle);
        clients.values().forEach(NetClient::close);
        clients.clear();
    }

    // ------------------------------------------------------------------ for the socket classes

    Worker worker() {
        return worker;
    }

    ContextInternal loop() {
        return loop;
    }

    Deadlines deadlines() {
        return deadlines;
    }

    /** The directives in force for the request's location. */
    SocketSettings settings(RequestContext req) {
        Location loc = req == null ? null : req.location();
        if (loc == null) {
            SocketSettings s = httpSettings;
            if (s == null) {
                s = SocketSettings.of(resty, null);
                httpSettings = s;
            }
            return s;
        }
        return settingsByLocation.computeIfAbsent(loc, l -> SocketSettings.of(resty, l));
    }

    /** The client to connect with, bound to {@code localAddress} when not null ({@code tcpsock:bind}). */
    NetClient client(String localAddress) {
        return clients.computeIfAbsent(localAddress == null ? "" : localAddress, a -> {
            NetClientOptions o = new NetClientOptions().setTcpNoDelay(true);
            if (!a.isEmpty()) {
                o.setLocalAddress(a);
            }
            return vertx.createNetClient(o);
        });
    }

    /** The address of {@code host}: parsed when it is an IP literal, else resolved without blocking. */
    Future<InetAddress> resolve(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (NetUtil.isValidIpV4Address(h) || NetUtil.isValidIpV6Address(h)) {
            return Future.succeededFuture(NetUtil.createInetAddressFromIpAddressString(h));
        }
        return vertx.nameResolver().resolve(h);
    }

    /** True for an IP address literal (what {@code bind} accepts). */
    static boolean isIpLiteral(String s) {
        return NetUtil.isValidIpV4Address(s) || NetUtil.isValidIpV6Address(s);
    }

    /** The pool for {@code key}, created with {@code size} when missing and {@code size > 0}; else null. */
    ConnectionPool pool(String key, int size, int backlog) {
        synchronized (this) {
            ConnectionPool p = pools.get(key);
            if (p == null && size > 0) {
                p = new ConnectionPool(this, key, size, backlog);
                pools.put(key, p);
                debug(null, "lua tcp socket keepalive create connection pool for key \"" + key + "\"");
            }
            return p;
        }
    }

    void forgetPool(ConnectionPool p) {
        synchronized (this) {
            pools.remove(p.key, p);
        }
    }

    /** A socket error line, unless {@code lua_socket_log_errors off}. */
    void logError(RequestContext req, String message) {
        if (settings(req).logErrors()) {
            log(LogLevel.ERR, req, message);
        }
    }

    void debug(RequestContext req, String message) {
        if (resty.logger().enabled(LogLevel.DEBUG)) {
            log(LogLevel.DEBUG, req, message);
        }
    }

    private void log(LogLevel level, RequestContext req, String message) {
        resty.logger().log(level, req != null && req.method() != null ? req : null, message);
    }
}
