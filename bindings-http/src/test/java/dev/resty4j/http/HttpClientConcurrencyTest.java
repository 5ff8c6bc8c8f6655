package dev.resty4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Many scripts calling request_uri at once: fibers, not threads, and connections bounded by the pool. */
class HttpClientConcurrencyTest {

    static Vertx vertx;
    static Backend slow;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        // answers after a short while, so that the requests overlap
        slow = Backend.start(vertx, req -> vertx.setTimer(20, t -> req.response().end("item " + req.getParam("i"))));
        // Warm up first: Netty's buffer allocator initialises JFR event classes on first use, which under
        // the load below can hold event loops past Vert.x's blocked-thread limit (a one-time JVM cost).
        Resty.Builder b = Resty.builder().workers(1).location("/w", l -> l.contentByLua(
                "ngx.print(require('resty.http').new():request_uri('http://svc.test/item?i=0').body)"));
        RestyHttp.mapHost(b, "svc.test", slow.address());
        try (RestyTester t = RestyTester.of(b)) {
            t.get("/w").run();
        }
    }

    @AfterAll
    static void stop() {
        slow.close();
        vertx.close().await();
    }

    @Test
    void fiveThousandConcurrentRequestUriCallsWithBoundedConnections() throws Exception {
        Resty.Builder b = Resty.builder().workers(2).location("/fan", l -> l.contentByLua("""
                local httpc = require("resty.http").new()
                local res, err = httpc:request_uri("http://svc.test/item?i=" .. ngx.var.arg_i, {
                    pool_size = 20, backlog = 5000, keepalive_pool = 20,
                })
                if not res then
                    ngx.status = 500
                    ngx.say(err)
                    return
                end
                ngx.print(res.body)
                """));
        RestyHttp.mapHost(b, "svc.test", slow.address());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (RestyTester t = RestyTester.builder(b).timeout(Duration.ofSeconds(120)).build()) {
            int before = threads.getThreadCount();
            threads.resetPeakThreadCount();
            List<CompletableFuture<MockResponse>> all = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                all.add(t.get("/fan?i=" + i).timeout(Duration.ofSeconds(120)).send());
            }
            for (int i = 0; i < all.size(); i++) {
                MockResponse r = all.get(i).join();
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("item " + i);
            }
            // 2 workers x pool_size 20: never more connections than that, however many requests wait
            assertThat(slow.maxOpenConnections.get()).isLessThanOrEqualTo(40);
            assertThat(slow.requests.get()).isGreaterThanOrEqualTo(5000);
            // the waiting requests are parked virtual threads: platform threads stay few
            assertThat(threads.getPeakThreadCount() - before).isLessThan(100);
        }
    }

    @Test
    void aFullBacklogRefusesFurtherConnects() throws Exception {
        Resty.Builder b = Resty.builder().workers(1).location("/one", l -> l.contentByLua("""
                local httpc = require("resty.http").new()
                local ok, err = httpc:connect{ scheme = "http", host = "svc.test", pool_size = 1, backlog = 0 }
                if not ok then
                    ngx.say("connect: ", err)
                    return
                end
                ngx.sleep(0.3) -- hold the only connection of the pool a while
                local res = httpc:request{ path = "/item", query = { i = 1 } }
                ngx.say(res:read_body())
                httpc:set_keepalive()
                """));
        RestyHttp.mapHost(b, "svc.test", slow.address());
        try (RestyTester t = RestyTester.of(b)) {
            CompletableFuture<MockResponse> first = t.get("/one").send();
            Thread.sleep(100); // let the first request take the connection
            MockResponse second = t.get("/one").run();
            assertThat(first.join().body()).isEqualTo("item 1\n");
            assertThat(second.body()).isEqualTo("connect: too many waiting connect operations\n");
        }
    }
}
