package dev.resty4j.redis;

import dev.resty4j.Resty;
import dev.resty4j.core.worker.Worker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Redis state of one {@link Resty} instance: one Vert.x Redis client per endpoint (thread-safe,
 * shared by the workers; it only opens connections for us) and the cosocket pools of each worker.
 *
 * <p>Pools hang off the worker ({@code Map<Worker, WorkerPools>}) because nginx's cosocket pools are per
 * worker process: a script's {@code pool_size} is per worker, and a connection is only ever reused by the
 * worker that opened it, so pool operations never contend across workers.
 */
final class RedisBinding {

    private static final Map<Resty, RedisBinding> ALL = new ConcurrentHashMap<>();

    /** Upper bound of connections the Vert.x client tracks per endpoint (ours are never returned to it). */
    private static final int MAX_CONNECTIONS_PER_ENDPOINT = 32_768;

    private final Vertx vertx;
    private final Map<String, Redis> clients = new ConcurrentHashMap<>();
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
            b.pools.values().forEach(WorkerPools::close);
            b.clients.values().forEach(Redis::close);
        }
    }

    Vertx vertx() {
        return vertx;
    }

    WorkerPools pools(Worker worker) {
        return pools.computeIfAbsent(worker, w -> new WorkerPools(vertx));
    }

    /** Opens a new connection to the endpoint ({@code host:port} or a {@code unix:} path). */
    Future<RedisConnection> open(Endpoint e) {
        return clients.computeIfAbsent(e.key(), k -> Redis.createClient(vertx, options(e))).connect();
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
                .setMaxPoolSize(MAX_CONNECTIONS_PER_ENDPOINT)
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
