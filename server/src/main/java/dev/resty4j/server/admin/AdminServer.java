package dev.resty4j.server.admin;

import dev.resty4j.Resty;
import dev.resty4j.core.metrics.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Supplier;

/**
 * The admin listener of {@code ./resty4j serve --admin HOST:PORT}, apart from the traffic listeners:
 * {@code GET /metrics} answers Prometheus' text format (resty4j's Micrometer meters and the JVM's), and
 * {@code GET /} a small HTML status page (workers, locations, shared dicts, recent errors). Create it
 * before building the instance and let it {@link #configure} the builder, so metrics and the error
 * buffer are wired in from the start (and again for each reloaded instance).
 */
public final class AdminServer implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerMetrics metrics = new MicrometerMetrics(registry);
    private final RecentErrors errors = new RecentErrors(50);
    private final long startedMillis = System.currentTimeMillis();
    private HttpServer server;

    public AdminServer() {
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
    }

    /** Wires the metrics and the recent-errors buffer into an instance being built. */
    public void configure(Resty.Builder b) {
        b.metrics(metrics).logSink(errors);
    }

    /**
     * Starts listening on {@code hostPort} ("HOST:PORT", port 0 for any free one).
     *
     * @param resty the instance to show; a supplier because a reload replaces it
     */
    public AdminServer listen(Vertx vertx, String hostPort, Supplier<Resty> resty) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon > 0 ? hostPort.substring(0, colon) : "127.0.0.1";
        int port = Integer.parseInt(colon >= 0 ? hostPort.substring(colon + 1) : hostPort);
        StatusPage page = new StatusPage(registry, errors, startedMillis);
        server = vertx.createHttpServer().requestHandler(req -> handle(req, page, resty)).listen(port, host).await();
        return this;
    }

    private void handle(HttpServerRequest req, StatusPage page, Supplier<Resty> resty) {
        switch (req.path()) {
            case "/metrics" -> req.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape());
            case "/" -> req.response().putHeader("Content-Type", "text/html; charset=utf-8")
                    .end(page.render(resty.get()));
            default -> req.response().setStatusCode(404).end("not found: " + req.path() + "\n");
        }
    }

    public int port() {
        return server.actualPort();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().await();
        }
        registry.close();
    }
}
