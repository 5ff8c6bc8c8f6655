package dev.resty4j.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many concurrent requests: bounded connections (pool_size + backlog), no platform thread per request, and
 * a database that goes away and comes back mid-load.
 */
class MysqlLoadTest {

    static final int WORKERS = 4;
    static final int POOL_SIZE = 8;

    @BeforeAll
    static void server() {
        MariaDb.require();
    }

    /** Each request: connect through the pool (size 8, backlog 2000), one query, keepalive. */
    static RestyTester tester(int port, long timeoutMs) throws Exception {
        return RestyTester.builder(Resty.builder().workers(WORKERS).location("/q", l -> l.contentByLua("""
                        local mysql = require "resty.mysql"
                        local db = mysql:new()
                        db:set_timeout(%d)
                        local ok, err = db:connect{ host = "127.0.0.1", port = %d, user = "root", database = "test",
                                                    pool = "load", pool_size = %d, backlog = 2000 }
                        if not ok then
                            ngx.say("err ", err)
                            return
                        end
                        local n = tonumber(ngx.var.arg_n)
                        local res, err = db:query("select " .. n .. " + 1 as r, sleep(0.002) as s")
                        if not res then
                            ngx.say("err ", err)
                            return
                        end
                        ngx.say("ok ", res[1].r)
                        db:set_keepalive(10000, %3$d)
                        """.formatted(timeoutMs, port, POOL_SIZE))))
                .timeout(Duration.ofSeconds(60))
                .build();
    }

    /** Samples the platform thread count and the open MySQL connections while a load runs. */
    static final class Sampler implements AutoCloseable {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final AtomicInteger maxThreads = new AtomicInteger();
        final AtomicInteger maxConnections = new AtomicInteger();
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread thread;

        Sampler() {
            thread = Thread.ofPlatform().daemon().name("sampler").start(() -> {
                while (running.get()) {
                    // ThreadMXBean counts platform threads only: virtual threads (our fibers) are not in it
                    maxThreads.accumulateAndGet(threads.getThreadCount(), Math::max);
                    maxConnections.accumulateAndGet(MysqlPools.openConnections(), Math::max);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        /** Stops sampling; the maxima are final afterwards. */
        void stop() {
            running.set(false);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            stop();
        }
    }

    @Test
    void twoThousandConcurrentRequestsShareABoundedPoolWithoutAThreadEach() throws Exception {
        int before = MysqlPools.openConnections();
        try (RestyTester t = tester(MariaDb.PORT, 30_000)) {
            // warm up: classes loaded, one connection per worker's pool
            for (int i = 0; i < WORKERS; i++) {
                assertThat(t.get("/q?n=0").run().body()).isEqualTo("ok 1\n");
            }
            int baselineThreads = ManagementFactory.getThreadMXBean().getThreadCount();
            List<CompletableFuture<MockResponse>> all = new ArrayList<>();
            try (Sampler s = new Sampler()) {
                for (int i = 0; i < 2000; i++) {
                    all.add(t.get("/q?n=" + i).send());
                }
                for (int i = 0; i < all.size(); i++) {
                    MockResponse r = all.get(i).get(60, TimeUnit.SECONDS);
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.body()).isEqualTo("ok " + (i + 1) + "\n");
                }
                s.stop();
                System.out.println("MEASURE threads baseline=" + baselineThreads + " peak=" + s.maxThreads.get() + " conns peak=" + (s.maxConnections.get() - before));
                // at most pool_size connections per worker were ever open
                assertThat(s.maxConnections.get() - before).isBetween(1, WORKERS * POOL_SIZE);
                // 2,000 requests in flight never meant 2,000 threads: they wait as virtual threads
                assertThat(s.maxThreads.get() - baselineThreads).isLessThan(50);
            }
            for (int w = 0; w < WORKERS; w++) {
                assertThat(MysqlPools.connections(t.resty().worker(w), "load")).isBetween(1, POOL_SIZE);
            }
        }
    }

    @Test
    void anUnreachableServerGivesErrorsNotHungRequests() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (RestyTester t = tester(port, 2000)) {
            List<CompletableFuture<MockResponse>> all = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                all.add(t.get("/q?n=" + i).send());
            }
            for (CompletableFuture<MockResponse> f : all) {
                assertThat(f.get(60, TimeUnit.SECONDS).body()).isEqualTo("err failed to connect: connection refused\n");
            }
            for (int w = 0; w < WORKERS; w++) {
                assertThat(MysqlPools.connections(t.resty().worker(w), "load")).isZero();
                assertThat(MysqlPools.waiting(t.resty().worker(w), "load")).isZero();
            }
        }
    }

    /**
     * A TCP proxy in front of MariaDB that can be stopped (listener and every connection closed, as a
     * server going down does) and started again on the same port: a database restart without touching
     * the shared server.
     */
    static final class Proxy implements AutoCloseable {
        final Vertx vertx = Vertx.vertx();
        final NetClient client = vertx.createNetClient();
        final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
        NetServer server;
        int port;

        Proxy start() {
            server = vertx.createNetServer().connectHandler(in -> {
                in.pause();
                sockets.add(in);
                client.connect(MariaDb.PORT, MariaDb.HOST).onComplete(ar -> {
                    if (ar.failed()) {
                        in.close();
                        return;
                    }
                    NetSocket out = ar.result();
                    sockets.add(out);
                    in.handler(out::write);
                    out.handler(in::write);
                    in.closeHandler(v -> out.close());
                    out.closeHandler(v -> in.close());
                    in.resume();
                });
            }).listen(port, "127.0.0.1").await();
            port = server.actualPort();
            return this;
        }

        void stop() {
            server.close().await();
            for (NetSocket s : sockets) {
                s.close();
            }
            sockets.clear();
        }

        @Override
        public void close() {
            vertx.close().await();
        }
    }

    @Test
    void theDatabaseGoingAwayMidLoadGivesErrorsAndThePoolRecovers() throws Exception {
        try (Proxy proxy = new Proxy().start(); RestyTester t = tester(proxy.port, 3000)) {
            List<CompletableFuture<MockResponse>> during = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                during.add(t.get("/q?n=" + i).send());
            }
            // let the load get going, then take the database away under it, and keep sending meanwhile
            PoolTestSupport.await(() -> during.stream().filter(CompletableFuture::isDone).count() >= 20,
                    "the load is under way");
            proxy.stop();
            for (int i = 600; i < 700; i++) {
                during.add(t.get("/q?n=" + i).send());
            }
            Thread.sleep(300);
            proxy.start();

            int ok = 0;
            int failed = 0;
            for (int i = 0; i < during.size(); i++) {
                // every request finishes: with its answer or with an error, none hangs
                String body = during.get(i).get(60, TimeUnit.SECONDS).body();
                if (body.startsWith("ok ")) {
                    assertThat(body).isEqualTo("ok " + (i + 1) + "\n");
                    ok++;
                } else {
                    // refused while down; closed or timed out when caught mid-way (a connect caught
                    // between accept and close only times out)
                    assertThat(body).matches("err (failed to connect: (connection refused|timeout)"
                            + "|failed to receive packet header: (closed|timeout)|failed to send query: closed)\n");
                    failed++;
                }
            }
            System.out.println("MEASURE ok=" + ok + " failed=" + failed);
            assertThat(failed).as("requests that hit the outage").isPositive();
            assertThat(ok).as("requests served before the outage").isPositive();

            // the pools recover: every request after the restart succeeds, on every worker
            List<CompletableFuture<MockResponse>> after = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                after.add(t.get("/q?n=" + i).send());
            }
            for (int i = 0; i < after.size(); i++) {
                assertThat(after.get(i).get(60, TimeUnit.SECONDS).body()).isEqualTo("ok " + (i + 1) + "\n");
            }
            for (int w = 0; w < WORKERS; w++) {
                assertThat(MysqlPools.connections(t.resty().worker(w), "load")).isBetween(1, POOL_SIZE);
            }
        }
    }
}
