package dev.resty4j.redis;

import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The Redis server the tests run against (127.0.0.1:6379), with a key prefix per test so that tests (and
 * other people's test runs on the same server) never see each other's keys; {@link #close} deletes them.
 * When Redis is unreachable the test is skipped, except under CI=true, where it fails.
 */
final class RealRedis implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    static final int PORT = 6379;

    final String prefix = "r4jt:" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final Vertx vertx = Vertx.vertx();
    private final Redis client = Redis.createClient(vertx, new RedisOptions()
            .setConnectionString("redis://" + HOST + ":" + PORT).setProtocolNegotiation(false));

    static RealRedis require() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 1000);
        } catch (Exception e) {
            if ("true".equals(System.getenv("CI"))) {
                fail("Redis is not reachable on " + HOST + ":" + PORT + " (CI=true: the service must run): " + e);
            }
            Assumptions.abort("Redis is not reachable on " + HOST + ":" + PORT + ", skipping: " + e.getMessage());
        }
        return new RealRedis();
    }

    Response send(String cmd, Object... args) {
        Request r = Request.cmd(Command.create(cmd));
        for (Object a : args) {
            r.arg(String.valueOf(a).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return client.send(r).await();
    }

    String get(String key) {
        Response r = send("get", key);
        return r == null ? null : r.toString();
    }

    /** Connections whose CLIENT SETNAME is {@code name}. */
    int connectionsNamed(String name) {
        int n = 0;
        for (String line : send("client", "list").toString().split("\n")) {
            if (line.contains(" name=" + name + " ")) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        List<String> keys = new ArrayList<>();
        String cursor = "0";
        do {
            Response r = send("scan", cursor, "match", prefix + "*", "count", 1000);
            cursor = r.get(0).toString();
            r.get(1).forEach(k -> keys.add(k.toString()));
        } while (!cursor.equals("0"));
        if (!keys.isEmpty()) {
            send("del", keys.toArray());
        }
        client.close();
        vertx.close().await();
    }
}
