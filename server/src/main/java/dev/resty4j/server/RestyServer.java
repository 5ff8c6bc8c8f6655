package dev.resty4j.server;

import dev.resty4j.ReloadableResty;
import dev.resty4j.Resty;
import dev.resty4j.config.ConfigException;
import dev.resty4j.config.ConfigLoader;
import dev.resty4j.core.ServerConfig;
import dev.resty4j.core.engine.ScriptException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The standalone server: an nginx-style config loaded into a {@link Resty}, one Vert.x {@code HttpServer}
 * per {@code server} block, listening where the block's {@code listen} says (or where the caller overrides).
 * {@link #reload()} re-reads the config file as nginx does on {@code SIGHUP} (see {@link ReloadableResty}).
 */
public final class RestyServer implements AutoCloseable {

    /** Keys of shared random ports (see {@link #listen}), distinct per server block in this JVM. */
    private static final java.util.concurrent.atomic.AtomicInteger RANDOM_PORT_KEYS = new java.util.concurrent.atomic.AtomicInteger();

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final ReloadableResty resty;
    /** The first listener of each server block (its port is the block's). */
    private final List<HttpServer> servers = new ArrayList<>();
    /** Every listener created here: one per worker and server block, each on its worker's event loop. */
    private final List<HttpServer> listeners = new ArrayList<>();

    private RestyServer(Vertx vertx, boolean ownsVertx, ReloadableResty resty) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.resty = resty;
    }

    /**
     * Loads and starts.
     *
     * @param listenOverride "HOST:PORT" for the first server block, or null to use the config's
     * @param customize      adjusts the loaded configuration before it is built (log level, sinks, workers), or null
     */
    public static RestyServer start(Path conf, String listenOverride, Vertx vertx, Consumer<Resty.Builder> customize,
                                    ConfigLoader.Options options)
            throws ConfigException, ScriptException {
        boolean owns = vertx == null;
        // the epoll transport where the platform has it (bench/NOTES.md), else NIO
        Vertx v = owns ? Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true)) : vertx;
        try {
            // Every version (the first, and each reload) is read from the file and customized the same way.
            ReloadableResty resty = ReloadableResty.start(v, () -> {
                Resty.Builder b = ConfigLoader.load(conf, options);
                if (customize != null) {
                    customize.accept(b);
                }
                return b;
            });
            RestyServer s = new RestyServer(v, owns, resty);
            try {
                s.listen(listenOverride);
            } catch (RuntimeException e) {
                resty.close(); // e.g. the port is taken: run exit_worker, free the workers
                throw e;
            }
            return s;
        } catch (ConfigException | ScriptException | RuntimeException e) {
            if (owns) {
                v.close();
            }
            throw e;
        }
    }

    private void listen(String override) {
        List<ServerConfig> blocks = resty.current().servers();
        for (int i = 0; i < blocks.size(); i++) {
            ServerConfig sc = blocks.get(i);
            String host = sc.listenHost();
            int port = sc.listenPort();
            if (i == 0 && override != null) {
                int colon = override.lastIndexOf(':');
                host = colon > 0 ? override.substring(0, colon) : "0.0.0.0";
                port = Integer.parseInt(colon >= 0 ? override.substring(colon + 1) : override);
            }
            // Port 0 (any free port) with several listeners: Vert.x shares one random port among the servers
            // that ask for the same negative port, while an explicit port cannot join a port-0 listener.
            if (port == 0 && resty.current().workerCount() > 1) {
                port = -RANDOM_PORT_KEYS.incrementAndGet();
            }
            HttpServerOptions opts = new HttpServerOptions().setHost(host).setPort(port)
                    .setMaxHeaderSize(32 * 1024).setMaxInitialLineLength(16 * 1024)
                    // resty4j serves no WebSockets: without these Vert.x leaves the WebSocket extension
                    // handler, which inspects every request and response, out of the pipeline
                    .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false);
            // As nginx has one event loop per worker process: one listener per worker, each created on its
            // worker's event loop, so Vert.x accepts that listener's connections there and the worker's fibers
            // run on the same thread (Resty.nextWorker picks the worker by loop). Vert.x shares the port among
            // the listeners and spreads connections round-robin. With a single listener one event loop parses
            // and writes for every connection and is the bottleneck (bench/NOTES.md).
            io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler = resty.handler(i);
            for (int w = 0; w < resty.current().workerCount(); w++) {
                HttpServerOptions o = new HttpServerOptions(opts);
                io.vertx.core.Promise<HttpServer> bound = io.vertx.core.Promise.promise();
                resty.current().worker(w).loop().runOnContext(v ->
                        vertx.createHttpServer(o).requestHandler(handler).listen().onComplete(bound));
                HttpServer server = bound.future().await();
                if (w == 0) {
                    servers.add(server);
                }
                listeners.add(server);
            }
        }
    }

    /** The version currently serving new requests. */
    public Resty resty() {
        return resty.current();
    }

    /**
     * Re-reads the config file and swaps the new version in; in-flight requests finish on the old one.
     *
     * @throws ConfigException or ScriptException when the new config is broken: the old one keeps serving
     */
    public Resty reload() throws ConfigException, ScriptException {
        return resty.reload();
    }

    /** 1, then +1 per successful reload. */
    public int generation() {
        return resty.generation();
    }

    /** The port the i-th server block actually listens on. */
    public int port(int i) {
        return servers.get(i).actualPort();
    }

    @Override
    public void close() {
        for (HttpServer s : listeners) {
            s.close().await();
        }
        resty.close();
        if (ownsVertx) {
            vertx.close().await();
        }
    }
}
