package dev.resty4j.lua.lib;

import dev.resty4j.Resty;
import dev.resty4j.core.log.LogRecord;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A Resty instance behind a real Vert.x HTTP server on port 0, for end-to-end tests of Lua libraries. */
final class LuaServer implements AutoCloseable {

    final List<LogRecord> logs = new CopyOnWriteArrayList<>();
    private final Vertx vertx = Vertx.vertx();
    private final Resty resty;
    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    LuaServer(Consumer<Resty.Builder> config) throws Exception {
        Resty.Builder b = Resty.builder().vertx(vertx).logSink(logs::add);
        config.accept(b);
        resty = b.build();
        server = vertx.createHttpServer().requestHandler(resty.handler()).listen(0).await();
    }

    /** A server with one location {@code /t} running {@code content} in the content phase. */
    static LuaServer content(String content) throws Exception {
        return new LuaServer(b -> b.location("/t", l -> l.contentByLua(content)));
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(request(path), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return client.sendAsync(request(path), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path)).build();
    }

    /** The body of {@code GET /t}. */
    String body() throws Exception {
        return get("/t").body();
    }

    @Override
    public void close() {
        resty.close();
        vertx.close().await();
    }
}
