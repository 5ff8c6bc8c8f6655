package dev.resty4j.http;

import dev.resty4j.Resty;
import dev.resty4j.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** A resty4j instance from config text, served on loopback by the Vert.x host (or the Netty host), and a client for it. */
final class RestyServer implements AutoCloseable {

    final Resty resty;
    final HttpServer server;
    final dev.resty4j.host.netty.NettyServer netty;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    RestyServer(Vertx vertx, String config, Consumer<Resty.Builder> extra) throws Exception {
        this(vertx, config, extra, false);
    }

    RestyServer(Vertx vertx, String config, Consumer<Resty.Builder> extra, boolean nettyHost) throws Exception {
        Resty.Builder b = ConfigLoader.load(config, "nginx.conf", Path.of("."), ConfigLoader.Options.strict());
        extra.accept(b);
        this.resty = b.vertx(vertx).build();
        if (nettyHost) {
            this.netty = dev.resty4j.host.netty.NettyServer.start(resty, "127.0.0.1", 0);
            this.server = null;
        } else {
            this.netty = null;
            this.server = vertx.createHttpServer().requestHandler(resty.handler()).listen(0, "127.0.0.1").await();
        }
    }

    int port() {
        return server != null ? server.actualPort() : netty.port(0);
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().await();
        } else {
            netty.close();
        }
        resty.close();
    }
}
