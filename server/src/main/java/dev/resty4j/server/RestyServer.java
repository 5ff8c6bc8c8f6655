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

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final ReloadableResty resty;
    private final List<HttpServer> servers = new ArrayList<>();

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
        Vertx v = owns ? Vertx.vertx() : vertx;
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
            HttpServerOptions opts = new HttpServerOptions().setHost(host).setPort(port)
                    .setMaxHeaderSize(32 * 1024).setMaxInitialLineLength(16 * 1024);
            servers.add(vertx.createHttpServer(opts).requestHandler(resty.handler(i)).listen().await());
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
        for (HttpServer s : servers) {
            s.close().await();
        }
        resty.close();
        if (ownsVertx) {
            vertx.close().await();
        }
    }
}
