package dev.resty4j.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.testsupport.FaultDrill;
import dev.resty4j.testsupport.FaultProxy;
import dev.resty4j.testsupport.FaultProxy.Mode;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, "Faults": resty.mysql through a fault-injecting proxy in front of the real MariaDB. Every fault
 * gives the script {@code nil, err} within its timeout, the worker keeps serving meanwhile, the pool recovers
 * once the fault is lifted, and no connection is left open behind (counted at the proxy and by the binding).
 */
class MysqlFaultTest {

    private static final int BURST = 20;

    private static final String SCRIPT = """
            local mysql = require "resty.mysql"
            local db = mysql:new()
            db:set_timeout(1500)
            local ok, err = db:connect{ host = "127.0.0.1", port = PROXY_PORT, user = "root", password = "",
                                        database = "test", pool_size = 4 }
            if not ok then ngx.say("failed: ", err) return end
            local res, err = db:query("select 1 as one")
            if not res then ngx.say("failed: ", err) return end
            ok, err = db:set_keepalive(10000, 4)
            if not ok then ngx.say("failed: keepalive: ", err) return end
            ngx.say("ok")
            """;

    @Test
    void everyFaultIsAnErrorTheWorkerSurvivesAndThePoolRecovers() throws Exception {
        MariaDb.require();
        int openBefore = MysqlPools.openConnections();
        try (FaultProxy proxy = FaultProxy.start(MariaDb.HOST, MariaDb.PORT);
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
                        assertThat(o.body()).as(mode.toString()).contains("timeout");
                        assertThat(o.pingAnsweredMeanwhile()).as("/ping answered while " + mode + " waited").isTrue();
                    } else {
                        assertThat(o.body()).as(mode.toString()).containsAnyOf("closed", "connection reset by peer");
                    }
                    assertThat(drill.healthy()).as("after " + mode).isEqualTo("ok\n");
                    assertThat(drill.awaitOpenAtMost(4)).as("connections open after " + mode).isLessThanOrEqualTo(4);
                }
                proxy.resetAll(); // the pooled connection dies under the pool's feet
                assertThat(drill.healthy()).isIn("ok\n", "failed: closed\n", "failed: connection reset by peer\n",
                        "failed: failed to send query: closed\n", "failed: failed to receive packet header: closed\n");
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
                // a black-holed connect waits for the server's greeting: closed at the timeout too
                assertThat(drill.awaitOpenAtMost(4)).as("connections open after a burst of " + mode).isLessThanOrEqualTo(4);
                requests += BURST;
            }
            drill.close();
            assertThat(drill.awaitOpenAtMost(0)).as("connections open at the proxy after the instance closed").isZero();
            assertThat(MysqlPools.openConnections()).as("connections the binding holds after close").isEqualTo(openBefore);
            System.out.println("faults injected, resty.mysql: " + proxy.faultsInjected() + " (" + requests
                    + " fault requests, " + proxy.acceptedConnections() + " connections)");
            assertThat(drill.log).as("log").noneMatch(l -> l.contains("runtime error"));
        }
    }
}
