package dev.resty4j.examples;

import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's Redis on 127.0.0.1:6379, which seed 02 and the session example name literally. Unreachable: the test is skipped,
 * except under {@code CI=true}, where it fails.
 */
public final class LocalRedis implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final Redis client = Redis.createClient(vertx, new RedisOptions()
            .setConnectionString("redis://127.0.0.1:6379").setProtocolNegotiation(false));

    public static LocalRedis require() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 6379), 1000);
        } catch (Exception e) {
            if ("true".equals(System.getenv("CI"))) {
                fail("Redis is not reachable on 127.0.0.1:6379 (CI=true: the service must run): " + e);
            }
            Assumptions.abort("Redis is not reachable on 127.0.0.1:6379, skipping: " + e.getMessage());
        }
        return new LocalRedis();
    }

    /** Sends a command; byte-valued arguments are given as ISO-8859-1 strings (one char per byte). */
    public Response send(String cmd, String... args) {
        Request r = Request.cmd(Command.create(cmd));
        for (String a : args) {
            r.arg(a.getBytes(StandardCharsets.ISO_8859_1));
        }
        return client.send(r).await();
    }

    /** The keys matching a SCAN pattern. */
    public java.util.List<String> keys(String pattern) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        String cursor = "0";
        do {
            Response r = send("scan", cursor, "match", pattern, "count", "1000");
            cursor = r.get(0).toString();
            r.get(1).forEach(k -> keys.add(k.toString()));
        } while (!cursor.equals("0"));
        return keys;
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}
