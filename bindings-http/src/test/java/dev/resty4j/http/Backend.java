package dev.resty4j.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on loopback for the tests, counting the connections and requests it gets. */
final class Backend implements AutoCloseable {

    final HttpServer server;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger openConnections = new AtomicInteger();
    final AtomicInteger maxOpenConnections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();

    private Backend(Vertx vertx, Handler<HttpServerRequest> handler) {
        this.server = vertx.createHttpServer()
                .connectionHandler(c -> {
                    connections.incrementAndGet();
                    maxOpenConnections.accumulateAndGet(openConnections.incrementAndGet(), Math::max);
                    c.closeHandler(v -> openConnections.decrementAndGet());
                })
                .requestHandler(req -> {
                    requests.incrementAndGet();
                    handler.handle(req);
                });
    }

    static Backend start(Vertx vertx, Handler<HttpServerRequest> handler) {
        Backend b = new Backend(vertx, handler);
        b.server.listen(0, "127.0.0.1").await();
        return b;
    }

    int port() {
        return server.actualPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.close().await();
    }

    /** A port nobody listens on (connections to it are refused). */
    static int closedPort(Vertx vertx) {
        HttpServer s = vertx.createHttpServer().requestHandler(r -> { }).listen(0, "127.0.0.1").await();
        int port = s.actualPort();
        s.close().await();
        return port;
    }
}
