package dev.resty4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.testsupport.FaultDrill;
import dev.resty4j.testsupport.FaultProxy;
import dev.resty4j.testsupport.FaultProxy.Mode;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, "Faults": resty.http through a fault-injecting proxy in front of a loopback HTTP backend. Every
 * fault gives the script {@code nil, err} within its timeout, the worker keeps serving meanwhile, the
 * keepalive pool recovers once the fault is lifted, and no connection is left open behind (counted at the
 * proxy and at the backend).
 */
class HttpFaultTest {

    private static final int BURST = 20;

    private static final String SCRIPT = """
            local http = require "resty.http"
            local httpc = http.new()
            httpc:set_timeout(1500)
            local res, err = httpc:request_uri("http://127.0.0.1:" .. PROXY_PORT .. "/x",
                    { keepalive_timeout = 10000, keepalive_pool = 4 })
            if not res then ngx.say("failed: ", err) return end
            if res.status ~= 200 or res.body ~= "backend" then ngx.say("failed: got ", res.status, " ", res.body) return end
            ngx.say("ok")
            """;

    @Test
    void everyFaultIsAnErrorTheWorkerSurvivesAndThePoolRecovers() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (Backend backend = Backend.start(vertx, req -> req.response().end("backend"));
             FaultProxy proxy = FaultProxy.start("127.0.0.1", backend.port());
             FaultDrill drill = new FaultDrill(proxy, SCRIPT, null)) {
            assertThat(drill.healthy()).isEqualTo("ok\n");
            int requests = 0;
            for (int round = 0; round < 2; round++) { // round 0 hits the pooled connection, round 1 fresh ones too
                for (Mode mode : new Mode[] {Mode.BLACK_HOLE, Mode.LATENCY, Mode.RESET, Mode.HALF_CLOSE}) {
                    FaultDrill.Outcome o = drill.run(mode, 3000);
                    requests++;
                    assertThat(o.status()).as(mode + " " + o.body()).isEqualTo(200);
                    assertThat(o.body()).as(mode.toString()).startsWith("failed: ");
                    if (mode == Mode.BLACK_HOLE || mode == Mode.LATENCY) {
                        assertThat(o.body()).as(mode.toString()).isEqualTo("failed: timeout\n");
                        assertThat(o.pingAnsweredMeanwhile()).as("/ping answered while " + mode + " waited").isTrue();
                    } else {
                        assertThat(o.body()).as(mode.toString()).isIn("failed: closed\n", "failed: connection reset by peer\n");
                    }
                    assertThat(drill.healthy()).as("after " + mode).isEqualTo("ok\n");
                    assertThat(drill.awaitOpenAtMost(4)).as("connections open after " + mode).isLessThanOrEqualTo(4);
                }
                proxy.resetAll(); // the pooled connection dies under the pool's feet
                assertThat(drill.healthy()).isIn("ok\n", "failed: closed\n", "failed: connection reset by peer\n");
                assertThat(drill.healthy()).isEqualTo("ok\n");
            }
            // bursts: many scripts hit by the same fault at once, all waiting on the one worker
            for (Mode mode : new Mode[] {Mode.RESET, Mode.HALF_CLOSE, Mode.BLACK_HOLE}) {
                java.util.List<String> bodies = drill.burst(mode, 0, BURST);
                assertThat(bodies.subList(0, BURST)).as("burst of " + mode).allMatch(b -> b.startsWith("200 failed: "));
                if (mode == Mode.BLACK_HOLE) {
                    assertThat(bodies.subList(0, BURST)).allMatch(b -> b.contains("timeout"));
                    assertThat(bodies).as("/ping answered during the burst").contains("pong meanwhile");
                }
                assertThat(drill.healthy()).isIn("ok\n", "failed: closed\n", "failed: connection reset by peer\n");
                assertThat(drill.healthy()).as("after a burst of " + mode).isEqualTo("ok\n");
                assertThat(drill.awaitOpenAtMost(4)).as("connections open after a burst of " + mode).isLessThanOrEqualTo(4);
                requests += BURST;
            }
            assertThat(drill.awaitOpenAtMost(1)).as("connections open at the proxy once idle").isLessThanOrEqualTo(1);
            drill.close();
            assertThat(drill.awaitOpenAtMost(0)).as("connections open at the proxy after the instance closed").isZero();
            long end = System.nanoTime() + 10_000_000_000L;
            while (backend.openConnections.get() > 0 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertThat(backend.openConnections.get()).as("connections open at the backend after close").isZero();
            System.out.println("faults injected, resty.http: " + proxy.faultsInjected() + " (" + requests
                    + " fault requests, " + proxy.acceptedConnections() + " connections)");
            assertThat(drill.log).as("log").noneMatch(l -> l.contains("runtime error"));
        } finally {
            vertx.close().await();
        }
    }
}
