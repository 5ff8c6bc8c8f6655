package dev.resty4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.core.log.LogRecord;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Redis killed and started again while requests keep coming: every request ends (no worker waits forever),
 * a failed command comes back as {@code nil, err} to the script (never a script error), and once Redis is
 * back the pool hands out working connections again.
 */
class RedisRestartTest {

    private static final String SCRIPT = """
            local redis = require "resty.redis"
            local red = redis:new()
            red:set_timeouts(500, 500, 500)
            local ok, err = red:connect("127.0.0.1", %d, { pool_size = 10 })
            if not ok then
                ngx.say("connect failed: ", type(err), " ", err)
                return
            end
            local n, err = red:incr("restart:n")
            if not n then
                ngx.say("incr failed: ", type(err), " ", err)
                red:close()
                return
            end
            red:set_keepalive(10000, 10)
            ngx.say("ok")
            """;

    /** Keeps {@code inFlight} requests going until stopped, recording every response. */
    private static final class Load implements AutoCloseable {
        final Queue<CompletableFuture<MockResponse>> sent = new ConcurrentLinkedQueue<>();
        final Queue<String> bodies = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Load(RestyTester t, int inFlight) {
            Semaphore slots = new Semaphore(inFlight);
            thread = Thread.ofPlatform().name("redis-restart-load").start(() -> {
                while (running.get()) {
                    slots.acquireUninterruptibly();
                    CompletableFuture<MockResponse> f = t.get("/t").send();
                    sent.add(f);
                    f.whenComplete((r, e) -> {
                        bodies.add(r != null ? r.body() : "failed: " + e);
                        slots.release();
                    });
                }
            });
        }

        long count(Predicate<String> body) {
            return bodies.stream().filter(body).count();
        }

        /** Waits (up to 30 s) until {@code n} responses match. */
        void awaitCount(Predicate<String> body, long n) throws InterruptedException {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (count(body) < n && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(count(body)).isGreaterThanOrEqualTo(n);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    @Test
    void aRestartMidLoadReturnsErrorsThenThePoolRecovers() throws Exception {
        Predicate<String> ok = "ok\n"::equals;
        // nil, err from resty.redis: err is a message string ("connection refused", "closed", "timeout", ...)
        Predicate<String> failed = b -> b.matches("(connect|incr) failed: string \\S.*\n");
        try (PrivateRedis redis = PrivateRedis.start();
             RestyTester t = RestyTester.builder(Resty.builder().workers(2)
                             .location("/t", l -> l.contentByLua(SCRIPT.formatted(redis.port))))
                     .timeout(Duration.ofSeconds(20)).build()) {
            Load load = new Load(t, 50);
            try (load) {
                load.awaitCount(ok, 300);
                redis.kill();
                load.awaitCount(failed, 50);
                long okBeforeRestart = load.count(ok);
                redis.startProcess();
                load.awaitCount(ok, okBeforeRestart + 300);
            }
            // every request ended: a worker stuck on a dead connection would fail join() with the tester's timeout
            Set<String> distinct = new TreeSet<>();
            for (CompletableFuture<MockResponse> f : load.sent) {
                MockResponse r = f.join();
                assertThat(r.status()).isEqualTo(200);
                distinct.add(r.body());
            }
            assertThat(distinct).allMatch(ok.or(failed), "ok or nil, err").contains("ok\n");
            assertThat(t.logs()).extracting(LogRecord::message).noneMatch(m -> m.contains("runtime error"));

            // the pool recovered: after the restart, a full round of requests all succeed
            List<CompletableFuture<MockResponse>> after = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                after.add(t.get("/t").send());
            }
            for (CompletableFuture<MockResponse> f : after) {
                assertThat(f.join().body()).isEqualTo("ok\n");
            }
        }
    }
}
