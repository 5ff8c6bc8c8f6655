package dev.resty4j.redis;

import dev.resty4j.Resty;
import dev.resty4j.core.worker.Worker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The Redis state of one {@link Resty} instance: one Vert.x Redis client per open connection (it only
 * opens the connection and speaks its protocol; see {@link #open}) and the cosocket pools of each worker.
 *
 * <p>Pools hang off the worker ({@code Map<Worker, WorkerPools>}) because nginx's cosocket pools are per
 * worker process: a script's {@code pool_size} is per worker, and a connection is only ever reused by the
 * worker that opened it, so pool operations never contend across workers.
 */
final class RedisBinding {

    private static final Map<Resty, RedisBinding> ALL = new ConcurrentHashMap<>();
    /** Clients kept per endpoint for later connects once their connection closed (see {@link #reuseClient}). */
    private static final int SPARE_CLIENTS_PER_ENDPOINT = 64;
    /** Upper bound of connections one Vert.x client tracks (ours are never returned to its pool). */
    private static final int MAX_CONNECTIONS_PER_CLIENT = 32_768;

    private final Vertx vertx;
    /** The Vert.x client of each connection, open or being opened (see {@link #open}). */
    private final Set<Redis> clients = ConcurrentHashMap.newKeySet();
    /** Open clients whose connection closed normally, by endpoint: the next connects reuse them. */
    private final Map<String, Deque<Redis>> spareClients = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final Map<Worker, WorkerPools> pools = new ConcurrentHashMap<>();

    private final dev.resty4j.core.metrics.CosocketMetrics metrics;

    private RedisBinding(Vertx vertx, dev.resty4j.core.metrics.CosocketMetrics metrics) {
        this.vertx = vertx;
        this.metrics = metrics;
    }

    static RedisBinding of(Resty resty) {
        return ALL.computeIfAbsent(resty, r -> {
            RedisBinding b = new RedisBinding(r.vertx(), r.cosocketMetrics());
            r.cosocketMetrics().idleConnections("redis", b::idleConnections);
            return b;
        });
    }

    /** Idle pooled connections of every worker (the metrics' pool gauge). */
    int idleConnections() {
        int n = 0;
        for (WorkerPools p : pools.values()) {
            n += p.idleCount();
        }
        return n;
    }

    /** Counts a {@code resty.redis} operation for the metrics. */
    void counted(String operation) {
        metrics.operation("redis", operation);
    }

    /** Releases the instance's pooled connections and clients (called when it closes). */
    static void close(Resty resty) {
        RedisBinding b = ALL.remove(resty);
        if (b != null) {
            b.closed = true;
            b.pools.values().forEach(WorkerPools::close);
            b.clients.forEach(Redis::close);
        }
    }

    Vertx vertx() {
        return vertx;
    }

    WorkerPools pools(Worker worker) {
        return pools.computeIfAbsent(worker, w -> new WorkerPools(w.deadlines()));
    }

    /**
     * Starts opening a new connection to the endpoint ({@code host:port} or a {@code unix:} path), with a
     * Vert.x client of its own. The client completes its connect only after its handshake (a PING), and
     * gives no handle on the socket before that: when a server accepts the TCP connection but never
     * answers, closing that connection's own client is the one way to close the socket, as nginx closes a
     * cosocket whose connect timed out. A client shared by the endpoint's connections could not be closed
     * for one of them. A client whose connection closed normally opens the next one (creating and closing
     * a client per connection costs a third of the throughput of scripts that connect without keepalive).
     */
    Opening open(Endpoint e) {
        Deque<Redis> spare = spareClients.get(e.key());
        Redis client = spare == null ? null : spare.pollFirst();
        if (client == null) {
            client = Redis.createClient(vertx, options(e));
            clients.add(client);
        }
        return new Opening(e.key(), client, client.connect());
    }

    /** Closes the client of a connection that failed, timed out or completed too late (idempotent). */
    void closeClient(Redis client) {
        if (clients.remove(client)) {
            client.close();
        }
    }

    /**
     * The connection of this client closed (its socket is gone): the client opens a later connection to
     * the same endpoint. A client closed meanwhile (its connect timed out) stays closed.
     */
    void reuseClient(Opening o) {
        if (!clients.contains(o.client())) {
            return;
        }
        Deque<Redis> spare = spareClients.computeIfAbsent(o.endpointKey(), k -> new ConcurrentLinkedDeque<>());
        if (closed || spare.size() >= SPARE_CLIENTS_PER_ENDPOINT) {
            closeClient(o.client());
            return;
        }
        spare.addFirst(o.client());
        if (closed && spare.remove(o.client())) { // the instance closed meanwhile
            closeClient(o.client());
        }
    }

    /** A connection being opened, and the client that owns its socket. */
    record Opening(String endpointKey, Redis client, Future<RedisConnection> connection) {
    }

    private static RedisOptions options(Endpoint e) {
        NetClientOptions net = new NetClientOptions().setTcpNoDelay(true);
        if (e.ssl()) {
            net.setSsl(true).setTrustAll(!e.sslVerify()).setHostnameVerificationAlgorithm(e.sslVerify() ? "HTTPS" : "");
        }
        return new RedisOptions()
                .setConnectionString(e.connectionString())
                .setNetClientOptions(net)
                // RESP2 as lua-resty-redis speaks it: no HELLO 3 (whose map, double and boolean replies would
                // change what scripts get back); a PING checks a new connection instead
                .setProtocolNegotiation(false)
                .setMaxPoolSize(MAX_CONNECTIONS_PER_CLIENT)
                .setMaxPoolWaiting(-1)
                .setPoolCleanerInterval(-1);
    }

    /** Where to connect. */
    record Endpoint(String host, int port, boolean ssl, boolean sslVerify, String serverName) {

        boolean unix() {
            return host.startsWith("unix:");
        }

        String key() {
            return connectionString() + (ssl ? "|" + sslVerify + "|" + serverName : "");
        }

        String connectionString() {
            if (unix()) {
                return "unix://" + host.substring("unix:".length());
            }
            String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
            return (ssl ? "rediss://" : "redis://") + h + ":" + port;
        }
    }
}
