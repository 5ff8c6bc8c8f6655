package dev.resty4j.http;

import dev.resty4j.Resty;
import dev.resty4j.core.socket.SocketSettings;
import dev.resty4j.http.client.Connector;
import dev.resty4j.http.client.HttpClientApi;
import dev.resty4j.http.dns.DnsTransport;
import dev.resty4j.http.proxy.Upstream;
import dev.resty4j.http.proxy.UpstreamConfig;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * This module's state for one {@link Resty} instance: its configuration, name resolution, the Vert.x HTTP
 * client with the workers' connection pools, and the upstream groups.
 *
 * <p>Kept in a weak map keyed by the instance (the SPI gives extensions no place on it), so it goes away
 * with the instance; it holds no reference back to it.
 */
public final class HttpRuntime {

    private static final Map<Resty, HttpRuntime> RUNTIMES = Collections.synchronizedMap(new WeakHashMap<>());

    private final HttpConfig config;
    private final DnsTransport dns;
    private final NameResolver resolver;
    private final Connector connector;
    private final HttpClientApi client;
    private final Map<String, Upstream> upstreams;
    /** Locations are immutable: their socket settings are worked out once. */
    private final Map<dev.resty4j.Location, SocketSettings> socketSettings = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile SocketSettings httpLevelSockets;

    private HttpRuntime(Resty resty, HttpConfig config) {
        this.config = config;
        this.dns = new DnsTransport(resty.vertx());
        // (System's clock, not the instance's: nothing here may hold the instance, the key of its weak map entry)
        this.resolver = new NameResolver(config.hosts(), config.resolver(), dns, System::currentTimeMillis);
        HttpClientAgent agent = resty.vertx().httpClientBuilder().with(new HttpClientOptions()
                // requests go out on the connections the pools hand out; pipelining lets request_pipeline
                // queue several requests on one of them
                .setPipelining(true)
                .setPipeliningLimit(1000)
                .setKeepAlive(true)
                .setKeepAliveTimeout(0) // idle time is the pools' business
                .setDecompressionSupported(false)
                .setMaxHeaderSize(64 * 1024)
                .setMaxInitialLineLength(64 * 1024)).build();
        this.connector = new Connector(resty, agent, resolver,
                SocketSettings.of(resty, null).poolSize());
        this.client = new HttpClientApi(connector);
        resty.cosocketMetrics().idleConnections("http", connector::idleConnections);
        Map<String, Upstream> ups = new LinkedHashMap<>();
        for (UpstreamConfig u : config.upstreams().values()) {
            ups.put(u.name(), new Upstream(u, resty.workerCount()));
        }
        this.upstreams = Map.copyOf(ups);
    }

    /** Creates the runtime of a new instance (called once, from the extension's configure). */
    static HttpRuntime install(Resty resty, HttpConfig config) {
        HttpRuntime rt = new HttpRuntime(resty, config);
        RUNTIMES.put(resty, rt);
        return rt;
    }

    /** Releases the instance's connections (called when it closes). */
    static void close(Resty resty) {
        HttpRuntime rt = RUNTIMES.remove(resty);
        if (rt != null) {
            rt.connector.close();
        }
    }

    /** The runtime of an instance (one with default settings if the extension was not configured on it). */
    public static HttpRuntime of(Resty resty) {
        synchronized (RUNTIMES) {
            return RUNTIMES.computeIfAbsent(resty, r -> new HttpRuntime(r, HttpConfig.parse(r, java.util.List.of())));
        }
    }

    public HttpConfig config() {
        return config;
    }

    public DnsTransport dns() {
        return dns;
    }

    public NameResolver resolver() {
        return resolver;
    }

    public Connector connector() {
        return connector;
    }

    public HttpClientApi client() {
        return client;
    }

    /** The {@code lua_socket_*} settings for resty.http objects created in a location (null: outside requests). */
    public SocketSettings socketSettings(Resty resty, dev.resty4j.Location location) {
        if (location == null) {
            return httpLevelSockets(resty);
        }
        return socketSettings.computeIfAbsent(location, l -> SocketSettings.of(resty, l));
    }

    private SocketSettings httpLevelSockets(Resty resty) {
        SocketSettings s = httpLevelSockets;
        if (s == null) {
            httpLevelSockets = s = SocketSettings.of(resty, null);
        }
        return s;
    }

    /** The upstream group of that name, or null. */
    public Upstream upstream(String name) {
        return upstreams.get(name);
    }
}
