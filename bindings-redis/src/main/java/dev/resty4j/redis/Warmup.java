package dev.resty4j.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads and links the classes of the Redis connect and command paths once per JVM, before scripts run.
 * A cold JVM needs one to three seconds for the first Redis connection (Netty's connect path, the RESP
 * encoder and parser), far beyond the 100 ms connect timeouts scripts commonly set, so without this the
 * first requests after a start would fail with "timeout". The warm-up talks to an in-process fake
 * server (any command gets {@code +OK}), so it needs no Redis.
 */
final class Warmup {

    private static final AtomicBoolean DONE = new AtomicBoolean();

    private Warmup() {
    }

    static void once(Vertx vertx) {
        if (!DONE.compareAndSet(false, true)) {
            return;
        }
        Future<Void> f = run(vertx);
        if (Context.isOnEventLoopThread() || Context.isOnWorkerThread()) {
            return; // cannot block here: let it finish in the background
        }
        try {
            f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // a failed warm-up only costs the first connection its class loading
        }
    }

    private static Future<Void> run(Vertx vertx) {
        NetServer server = vertx.createNetServer().connectHandler(so -> so.handler(b -> so.write(Buffer.buffer("+OK\r\n"))));
        return server.listen(0, "127.0.0.1").compose(s -> {
            Redis client = Redis.createClient(vertx, new RedisOptions()
                    .setConnectionString("redis://127.0.0.1:" + s.actualPort()).setProtocolNegotiation(false));
            return client.connect()
                    .compose(c -> c.send(Request.cmd(Command.GET).arg("warmup")).eventually(() -> c.close()))
                    .eventually(client::close);
        }).eventually(server::close).mapEmpty();
    }
}
