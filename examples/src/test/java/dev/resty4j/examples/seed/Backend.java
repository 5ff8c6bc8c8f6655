package dev.resty4j.examples.seed;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A service on loopback the seeds talk to (user-service, metrics-service, the upstream backend); it records the requests it gets. */
final class Backend implements AutoCloseable {

    /** What the backend saw of one request. */
    record Seen(String method, String uri, MultiMap headers) { }

    private final HttpServer server;
    final List<Seen> seen = new CopyOnWriteArrayList<>();

    private Backend(HttpServer server) {
        this.server = server;
    }

    static Backend start(Vertx vertx, Handler<HttpServerRequest> handler) {
        Backend b = new Backend(vertx.createHttpServer());
        b.server.requestHandler(req -> {
            b.seen.add(new Seen(req.method().name(), req.uri(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers())));
            handler.handle(req);
        }).listen(0, "127.0.0.1").await();
        return b;
    }

    /** A backend answering every request 200 "backend ok". */
    static Backend ok(Vertx vertx) {
        return start(vertx, req -> req.response().end("backend ok"));
    }

    String address() {
        return "127.0.0.1:" + server.actualPort();
    }

    /** An address nobody listens on: connections to it are refused. */
    static String closedAddress(Vertx vertx) {
        HttpServer s = vertx.createHttpServer().requestHandler(r -> { }).listen(0, "127.0.0.1").await();
        int port = s.actualPort();
        s.close().await();
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.close().await();
    }
}
