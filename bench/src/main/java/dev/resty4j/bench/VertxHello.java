package dev.resty4j.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * The floor for {@code bench/run.sh}: a plain Vert.x "hello" server with no scripting layer, two verticle
 * instances (two event loops, as resty4j and nginx get two workers). resty4j hello / this = the cost of the
 * scripting layer ({@code ratio vertx-overhead}).
 *
 * <p>Run: {@code java -cp ... dev.resty4j.bench.VertxHello [PORT] [INSTANCES]} (default 18090, 2).
 */
public final class VertxHello extends VerticleBase {

    private static final Buffer HELLO = Buffer.buffer("hello\n");

    private final int port;

    private VertxHello(int port) {
        this.port = port;
    }

    @Override
    public Future<?> start() {
        return vertx.createHttpServer().requestHandler(req -> req.response().end(HELLO)).listen(port, "127.0.0.1");
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 18090;
        int instances = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true)); // as ./resty4j serve
        vertx.deployVerticle(() -> new VertxHello(port), new DeploymentOptions().setInstances(instances))
                .onSuccess(id -> System.out.println("vertx-hello: " + instances + " verticles on port " + port))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }
}
