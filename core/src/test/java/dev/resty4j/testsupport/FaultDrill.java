package dev.resty4j.testsupport;

import dev.resty4j.Resty;
import dev.resty4j.core.log.LogRecord;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Drives a binding through {@link FaultProxy} faults on the real Vert.x host: one worker (so a blocked
 * worker would show), a location {@code /fault} whose script talks to the backend through the proxy and
 * prints {@code ok} or {@code failed: ERR}, and {@code /ping}, a trivial location that must answer while a
 * faulty request waits.
 */
public final class FaultDrill implements AutoCloseable {

    /** What one faulty request gave, and whether {@code /ping} answered while it was still waiting. */
    public record Outcome(int status, String body, boolean pingAnsweredMeanwhile) {
    }

    public final FaultProxy proxy;
    public final List<String> log = new CopyOnWriteArrayList<>();
    private final Vertx vertx = Vertx.vertx();
    private final Resty resty;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private boolean closed;

    /**
     * @param proxy  the proxy in front of the backend
     * @param script the {@code /fault} Lua script (it finds the proxy port in the global {@code PROXY_PORT})
     * @param config anything else the instance needs (shared dicts, directives), may be null
     */
    public FaultDrill(FaultProxy proxy, String script, Consumer<Resty.Builder> config) throws Exception {
        this.proxy = proxy;
        Resty.Builder b = Resty.builder().vertx(vertx).workers(1).logSink((LogRecord r) -> log.add(r.line()))
                .location("/fault", l -> l.contentByLua("local PROXY_PORT = " + proxy.port() + "\n" + script))
                .location("/ping", l -> l.contentByLua("ngx.say('pong')"));
        if (config != null) {
            config.accept(b);
        }
        resty = b.build();
        server = vertx.createHttpServer().requestHandler(resty.handler()).listen(0, "127.0.0.1").await();
    }

    public HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One {@code /fault} request under {@code mode}; {@code /ping} is sent once the proxy holds its connection. */
    public Outcome run(FaultProxy.Mode mode, long latencyMs) throws Exception {
        proxy.mode(mode, latencyMs);
        int acceptedBefore = proxy.acceptedConnections();
        long faultsBefore = proxy.faultsInjected();
        CompletableFuture<HttpResponse<String>> fault = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/fault"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        // wait until the script reached the backend (a new connection, or a fault on a pooled one)
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!fault.isDone() && proxy.acceptedConnections() == acceptedBefore && proxy.faultsInjected() == faultsBefore
                && System.nanoTime() < end) {
            Thread.sleep(2);
        }
        boolean meanwhile = false;
        if (!fault.isDone()) {
            HttpResponse<String> ping = get("/ping");
            meanwhile = ping.statusCode() == 200 && ping.body().equals("pong\n") && !fault.isDone();
        }
        HttpResponse<String> r = fault.get(30, TimeUnit.SECONDS);
        proxy.mode(FaultProxy.Mode.PASS);
        return new Outcome(r.statusCode(), r.body(), meanwhile);
    }

    /**
     * {@code n} concurrent {@code /fault} requests under {@code mode} (many scripts waiting on one worker at
     * once); returns their bodies, {@code /ping}'s included as the last element when it answered meanwhile.
     */
    public List<String> burst(FaultProxy.Mode mode, long latencyMs, int n) throws Exception {
        proxy.mode(mode, latencyMs);
        List<CompletableFuture<HttpResponse<String>>> all = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/fault"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<String> bodies = new java.util.ArrayList<>();
        HttpResponse<String> ping = get("/ping");
        boolean meanwhile = ping.body().equals("pong\n") && all.stream().anyMatch(f -> !f.isDone());
        for (CompletableFuture<HttpResponse<String>> f : all) {
            HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
            bodies.add(r.statusCode() + " " + r.body());
        }
        proxy.mode(FaultProxy.Mode.PASS);
        if (meanwhile) {
            bodies.add("pong meanwhile");
        }
        return bodies;
    }

    /** {@code /fault} with the proxy passing everything: the body ({@code ok\n} when all is well). */
    public String healthy() throws Exception {
        proxy.mode(FaultProxy.Mode.PASS);
        return get("/fault").body();
    }

    /** Waits (up to 10 s) until at most {@code n} client connections are open at the proxy; returns the count. */
    public int awaitOpenAtMost(int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (proxy.openConnections() > n && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        return proxy.openConnections();
    }

    /** Closes the instance (its pools with it), the server and Vert.x; the proxy stays the caller's. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        resty.close();
        server.close().await();
        vertx.close().await();
    }
}
