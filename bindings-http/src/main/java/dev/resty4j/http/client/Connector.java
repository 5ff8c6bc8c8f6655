package dev.resty4j.http.client;

import dev.resty4j.http.NameResolver;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpConnectOptions;
import dev.resty4j.http.NginxValues;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Opens HTTP connections for resty.http and proxy_pass: takes them from the calling worker's pool when one
 * is idle there, else resolves the name ({@link NameResolver}) and connects through Vert.x's HTTP client
 * (un-pooled connections: pooling follows ngx_lua's rules, in {@link ConnectionPool}).
 *
 * <p>Pools are per worker, as in nginx, where each worker process has its own: a worker's requests reuse
 * its connections, and pool limits ({@code pool_size}, {@code backlog}) apply per worker.
 */
public final class Connector {

    /**
     * Where to connect: the logical host (Host header, SNI) and port, and TLS settings.
     *
     * @param trustedCertificate PEM file of the CAs to verify against ({@code lua_ssl_trusted_certificate}),
     *                           or null for the JDK's
     * @param tunnel             an HTTP proxy to reach the host through with {@code CONNECT}, or null
     */
    public record Target(String host, int port, boolean ssl, boolean sslVerify, String serverName,
                         String trustedCertificate, ProxyOptions tunnel) {

        public Target(String host, int port, boolean ssl, boolean sslVerify, String serverName) {
            this(host, port, ssl, sslVerify, serverName, null, null);
        }
    }

    private final Vertx vertx;
    private final HttpClientAgent agent;
    private final NameResolver resolver;
    private final WorkerIo[] workers;
    private final int defaultPoolSize;
    private final long sweeper;

    public Connector(dev.resty4j.Resty resty, HttpClientAgent agent, NameResolver resolver, int defaultPoolSize) {
        this.vertx = resty.vertx();
        int workers = resty.workerCount();
        this.agent = agent;
        this.resolver = resolver;
        this.defaultPoolSize = defaultPoolSize;
        this.workers = new WorkerIo[workers];
        for (int i = 0; i < workers; i++) {
            this.workers[i] = new WorkerIo(resty.worker(i));
        }
        // keepalive timeouts of idle connections, checked once a second for every pool
        this.sweeper = vertx.setPeriodic(1000, id -> {
            for (WorkerIo w : this.workers) {
                w.pools.values().forEach(ConnectionPool::sweep);
            }
        });
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Idle pooled connections of every worker (the metrics' pool gauge). */
    public int idleConnections() {
        int n = 0;
        for (WorkerIo w : workers) {
            for (ConnectionPool p : w.pools.values()) {
                n += p.idleConnections();
            }
        }
        return n;
    }

    /** Closes every pool's idle connections and the HTTP client (the instance is closing). */
    public void close() {
        vertx.cancelTimer(sweeper);
        for (WorkerIo w : workers) {
            w.pools.values().forEach(ConnectionPool::shutdown);
        }
        agent.close();
    }

    /** The worker's pool of that name, created with the given size and backlog (-1: unset) on first use. */
    public ConnectionPool pool(int worker, String name, int size, int backlog) {
        WorkerIo w = workers[worker];
        return w.pools.computeIfAbsent(name, n -> new ConnectionPool(w, n, size, backlog, defaultPoolSize));
    }

    /**
     * A connection to {@code target} from the named pool of the worker (a pooled one, or a new one).
     * {@code connectTimeoutMs} bounds name resolution plus connecting, and a wait for a place in a full pool.
     */
    public Future<PooledConnection> connect(int worker, Target target, String poolName, int poolSize, int backlog,
                                            long connectTimeoutMs) {
        ConnectionPool pool = pool(worker, poolName, poolSize, backlog);
        return pool.acquire(() -> open(workers[worker], target, connectTimeoutMs), connectTimeoutMs);
    }

    /**
     * Resolves the name, then connects on the worker's event loop (so that the connection, and every
     * request on it, lives there), all within the connect timeout.
     */
    private Future<HttpClientConnection> open(WorkerIo worker, Target t, long timeoutMs) {
        // through a tunnel, the proxy resolves the name
        Future<NginxValues.HostPort> address = t.tunnel() != null
                ? Future.succeededFuture(new NginxValues.HostPort(t.host(), t.port())) : resolver.resolve(t.host(), t.port());
        Future<HttpClientConnection> f = address.compose(addr -> {
            HttpConnectOptions o = options(t, addr, timeoutMs);
            Promise<HttpClientConnection> p = Promise.promise();
            worker.loop.runOnContext(v -> agent.connect(o).onComplete(p));
            return p.future();
        });
        // A connect that completes after its timeout must not leak its socket.
        return Timeouts.within(worker.deadlines, f, timeoutMs, () -> f.onSuccess(HttpClientConnection::close));
    }

    private static HttpConnectOptions options(Target t, NginxValues.HostPort addr, long timeoutMs) {
        HttpConnectOptions o = new HttpConnectOptions()
                .setHost(t.serverName() != null ? t.serverName() : t.host())
                .setPort(t.port())
                .setSsl(t.ssl());
        if (t.tunnel() != null) {
            o.setProxyOptions(t.tunnel());
        } else {
            o.setServer(SocketAddress.inetSocketAddress(addr.port(), addr.host()));
        }
        if (timeoutMs > 0) {
            o.setConnectTimeout(timeoutMs);
        }
        if (t.ssl()) {
            ClientSSLOptions ssl = new ClientSSLOptions().setTrustAll(!t.sslVerify())
                    .setHostnameVerificationAlgorithm(t.sslVerify() ? "HTTPS" : "");
            if (t.sslVerify() && t.trustedCertificate() != null) {
                ssl.setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(t.trustedCertificate()));
            }
            o.setSslOptions(ssl);
        }
        return o;
    }
}
