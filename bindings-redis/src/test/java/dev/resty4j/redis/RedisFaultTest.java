package dev.resty4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.testsupport.FaultDrill;
import dev.resty4j.testsupport.FaultProxy;
import dev.resty4j.testsupport.FaultProxy.Mode;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, "Faults": resty.redis through a fault-injecting proxy in front of the real Redis. Every fault
 * gives the script {@code nil, err} within its timeouts, the worker keeps serving meanwhile, the pool
 * recovers once the fault is lifted, and no connection is left open behind.
 */
class RedisFaultTest {

    private static final int BURST = 20;

    private static final String SCRIPT = """
            local redis = require "resty.redis"
            local red = redis:new()
            red:set_timeouts(1000, 1000, 1500)
            local ok, err = red:connect("127.0.0.1", PROXY_PORT)
            if not ok then ngx.say("failed: connect: ", err) return end
            local res, err = red:ping()
            if not res then ngx.say("failed: ", err) return end
            ok, err = red:set_keepalive(10000, 4)
            if not ok then ngx.say("failed: keepalive: ", err) return end
            ngx.say("ok")
            """;

    @Test
    void everyFaultIsAnErrorTheWorkerSurvivesAndThePoolRecovers() throws Exception {
        try (RealRedis redis = RealRedis.require();
             FaultProxy proxy = FaultProxy.start(RealRedis.HOST, RealRedis.PORT);
             FaultDrill drill = new FaultDrill(proxy, SCRIPT, null)) {
            assertThat(drill.healthy()).isEqualTo("ok\n");
            int requests = 0;
            for (int round = 0; round < 2; round++) { // the first round hits a pooled connection, the second fresh ones too
                for (Mode mode : new Mode[] {Mode.BLACK_HOLE, Mode.LATENCY, Mode.RESET, Mode.HALF_CLOSE}) {
                    FaultDrill.Outcome o = drill.run(mode, 2500);
                    assertThat(o.status()).as(mode + " " + o.body()).isEqualTo(200);
                    assertThat(o.body()).as(mode.toString()).startsWith("failed: ");
                    assertThat(o.body()).as(mode.toString()).containsAnyOf(
                            mode == Mode.BLACK_HOLE || mode == Mode.LATENCY ? new String[] {"timeout"}
                                    : new String[] {"failed: closed\n", "failed: connection reset by peer\n"});
                    if (mode == Mode.BLACK_HOLE || mode == Mode.LATENCY) {
                        assertThat(o.pingAnsweredMeanwhile()).as("/ping answered while " + mode + " waited").isTrue();
                    }
                    assertThat(drill.healthy()).as("after " + mode).isEqualTo("ok\n");
                    assertThat(drill.awaitOpenAtMost(4)).as("connections open after " + mode).isLessThanOrEqualTo(4);
                    requests++;
                }
                proxy.resetAll(); // and the pooled connection dies under the pool's feet
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
                // a black-holed connect is stuck in the client's handshake (its PING): closed at the timeout too
                assertThat(drill.awaitOpenAtMost(4)).as("connections open after a burst of " + mode).isLessThanOrEqualTo(4);
                requests += BURST;
            }
            drill.close();
            assertThat(drill.awaitOpenAtMost(0)).as("connections open after the instance closed").isZero();
            System.out.println("faults injected, resty.redis: " + proxy.faultsInjected() + " (" + requests + " fault requests, "
                    + proxy.acceptedConnections() + " connections)");
            assertThat(drill.log).as("log").noneMatch(l -> l.contains("runtime error"));
        }
    }
}
