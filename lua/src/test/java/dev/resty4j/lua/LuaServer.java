package dev.resty4j.lua;

import dev.resty4j.Resty;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.log.LogRecord;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A resty4j instance with one worker on a real Vert.x HTTP server, for end-to-end tests: real requests,
 * and every error-log line kept for assertions.
 */
final class LuaServer implements AutoCloseable {

    final Vertx vertx = Vertx.vertx();
    final Resty resty;
    final List<String> log = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private boolean closed;

    LuaServer(Consumer<Resty.Builder> config) throws Exception {
        Resty.Builder b = Resty.builder().vertx(vertx).workers(1).logLevel(LogLevel.NOTICE)
                .logSink((LogRecord r) -> log.add(r.line()));
        config.accept(b);
        resty = b.build();
        server = vertx.createHttpServer().requestHandler(resty.handler()).listen(0).await();
    }

    /** A server with one location {@code /t} whose content handler is {@code lua}. */
    static LuaServer content(String lua) throws Exception {
        return new LuaServer(b -> b.location("/t", l -> l.contentByLua(lua)));
    }

    int port() {
        return server.actualPort();
    }

    HttpResponse<String> get(String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .timeout(Duration.ofSeconds(20)).build();
        return client.send(req, HttpResponse.BodyHandlers.ofString());
    }

    String body(String path) throws Exception {
        return get(path).body();
    }

    /** Log lines containing {@code text}. */
    List<String> logLines(String text) {
        return log.stream().filter(l -> l.contains(text)).toList();
    }

    /** Waits (up to 10 s) for a log line matching {@code p}; true when one appeared. */
    boolean awaitLog(Predicate<String> p) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            if (log.stream().anyMatch(p)) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    /** Closes resty (firing pending timers prematurely), then the server and Vert.x. */
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
