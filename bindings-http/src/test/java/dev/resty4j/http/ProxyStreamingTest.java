package dev.resty4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.core.log.LogRecord;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** proxy_pass streams: a 100 MB response goes through the filters without being held in memory. */
class ProxyStreamingTest {

    static final long TOTAL = 100L * 1024 * 1024;
    static final int CHUNK = 64 * 1024;

    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    /** Writes TOTAL bytes as fast as the connection takes them (never more than its write queue). */
    static final class Producer {
        final AtomicLong written = new AtomicLong();
        final AtomicBoolean waitingForDrain = new AtomicBoolean();

        void pump(HttpServerResponse resp, Buffer chunk) {
            waitingForDrain.set(false);
            while (!resp.writeQueueFull() && written.get() < TOTAL) {
                resp.write(chunk);
                written.addAndGet(chunk.length());
            }
            if (written.get() >= TOTAL) {
                resp.end();
            } else {
                waitingForDrain.set(true);
                resp.drainHandler(v -> pump(resp, chunk));
            }
        }
    }

    @ParameterizedTest(name = "{0} host")
    @ValueSource(strings = {"vertx", "netty"})
    void aHundredMegabyteResponseStreamsWithBoundedBufferingAndFilters(String host) throws Exception {
        Producer producer = new Producer();
        Buffer chunk = Buffer.buffer(new byte[CHUNK]);
        for (int i = 0; i < CHUNK; i++) {
            chunk.setByte(i, (byte) ('a' + i % 26));
        }
        Backend big = Backend.start(vertx, req -> {
            if (req.path().equals("/upload")) {
                req.body().onSuccess(b -> req.response().end("got " + b.length()));
                return;
            }
            HttpServerResponse resp = req.response().putHeader("Content-Length", Long.toString(TOTAL));
            producer.pump(resp, chunk);
        });
        List<LogRecord> logs = Collections.synchronizedList(new ArrayList<>());
        try (big; RestyServer s = new RestyServer(vertx, """
                client_max_body_size 10m;
                server {
                    location / {
                        proxy_pass http://%s;
                        header_filter_by_lua_block { ngx.header["X-Proxied"] = "yes" }
                        body_filter_by_lua_block { ngx.ctx.n = (ngx.ctx.n or 0) + #ngx.arg[1] }
                        log_by_lua_block { ngx.log(ngx.ERR, "proxied bytes: ", ngx.ctx.n) }
                    }
                }
                """.formatted(big.address()), b -> b.logSink(logs::add), host.equals("netty"))) {
            HttpClient client = vertx.createHttpClient();
            AtomicLong received = new AtomicLong();
            Promise<Void> paused = Promise.promise();
            Promise<Void> ended = Promise.promise();
            HttpClientResponse resp = client.request(HttpMethod.GET, s.port(), "127.0.0.1", "/big")
                    .compose(r -> r.send()).map(r -> r.pause()).await(); // paused until our handlers are in place
            assertThat(resp.getHeader("X-Proxied")).isEqualTo("yes");
            assertThat(resp.getHeader("Content-Length")).isEqualTo(Long.toString(TOTAL));
            resp.handler(b -> {
                if (received.addAndGet(b.length()) >= 1024 * 1024 && !paused.future().isComplete()) {
                    resp.pause(); // the client stops reading after the first megabyte
                    paused.complete();
                }
            });
            resp.endHandler(v -> ended.complete());
            resp.exceptionHandler(ended::tryFail);
            resp.resume();
            paused.future().await(20, TimeUnit.SECONDS);

            // With the client stalled, the backend must end up blocked too, far from done: the proxy holds
            // back instead of reading the whole response into memory.
            long stable = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                long w = producer.written.get();
                Thread.sleep(300);
                if (producer.waitingForDrain.get() && producer.written.get() == w) {
                    stable = w;
                    break;
                }
            }
            assertThat(stable).as("backend blocked while the client is paused").isPositive();
            assertThat(stable - received.get()).as("bytes buffered between backend and client").isLessThan(TOTAL / 2);

            resp.resume();
            ended.future().await(60, TimeUnit.SECONDS);
            assertThat(received.get()).isEqualTo(TOTAL);
            long deadlineLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (logs.stream().noneMatch(l -> l.message().contains("proxied bytes")) && System.nanoTime() < deadlineLog) {
                Thread.sleep(20);
            }
            assertThat(logs).anyMatch(l -> l.message().contains("proxied bytes: " + TOTAL));

            // request bodies go upstream too
            String upload = client.request(HttpMethod.POST, s.port(), "127.0.0.1", "/upload")
                    .compose(r -> r.send(Buffer.buffer(new byte[5 * 1024 * 1024])))
                    .compose(HttpClientResponse::body).await().toString();
            assertThat(upload).isEqualTo("got " + 5 * 1024 * 1024);
            client.close().await();
        }
    }
}
