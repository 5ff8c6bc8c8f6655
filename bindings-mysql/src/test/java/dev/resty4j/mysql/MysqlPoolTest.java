package dev.resty4j.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.core.worker.Worker;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** set_keepalive and the per-worker pools: reuse counts, names, sizes, idle timeouts, backlogs, recovery. */
class MysqlPoolTest {

    @BeforeAll
    static void server() {
        MariaDb.require();
    }

    /** One worker, so every request of a test shares its pools; {@code /t?pool=NAME} scripts below. */
    static RestyTester tester(String lua) throws Exception {
        return RestyTester.of(Resty.builder().workers(1).location("/t", l -> l.contentByLua("""
                local mysql = require "resty.mysql"
                local dump = require "mysqltest.dump"
                local db = mysql:new()
                db:set_timeout(5000)
                """ + lua)));
    }

    @Test
    void keptAliveConnectionsAreReusedAndCounted() throws Exception {
        try (RestyTester t = tester("""
                local ok, err = db:connect{ %s, pool = ngx.var.arg_pool }
                if not ok then ngx.say(err) return end
                local id = db:query("select connection_id() as id")[1].id
                ngx.say(db:get_reused_times(), " ", id)
                if ngx.var.arg_close then
                    ngx.say(db:close())
                else
                    ngx.say(db:set_keepalive(10000, 10))
                end
                ngx.say(db:get_reused_times())
                """.formatted(MariaDb.OPTS))) {
            String[] first = lines(t.get("/t?pool=a").run());
            assertThat(first[0]).startsWith("0 ");
            assertThat(first[1]).isEqualTo("1");
            assertThat(first[2]).isEqualTo("nilclosed");
            String id = first[0].substring(2);

            assertThat(lines(t.get("/t?pool=a").run())[0]).isEqualTo("1 " + id);
            assertThat(lines(t.get("/t?pool=a").run())[0]).isEqualTo("2 " + id);
            // another pool name: another connection
            assertThat(lines(t.get("/t?pool=b").run())[0]).startsWith("0 ").isNotEqualTo("0 " + id);
            // closed instead of kept: the next connect opens a new one
            assertThat(lines(t.get("/t?pool=a&close=1").run())).containsExactly("3 " + id, "1", "nilclosed");
            String[] after = lines(t.get("/t?pool=a").run());
            assertThat(after[0]).startsWith("0 ").isNotEqualTo("0 " + id);
        }
    }

    @Test
    void theDefaultPoolNameIsUserDatabaseHostPort() throws Exception {
        try (RestyTester t = tester("""
                db:connect{ %s }
                db:set_keepalive()
                """.formatted(MariaDb.OPTS))) {
            t.get("/t").run();
            assertThat(MysqlPools.idle(t.resty().worker(0), "root:test:127.0.0.1:3306")).isEqualTo(1);
        }
    }

    @Test
    void thePoolKeepsAtMostItsSizeIdleClosingTheLeastRecentlyUsed() throws Exception {
        int before = MysqlPools.openConnections();
        try (RestyTester t = tester("""
                local dbs = {}
                for i = 1, 3 do
                    dbs[i] = mysql:new()
                    dbs[i]:connect{ %s, pool = "evict" }
                end
                local first = dbs[1]:query("select connection_id() as id")[1].id
                for i = 1, 3 do
                    dbs[i]:set_keepalive(0, 2)
                end
                -- the two most recently kept ones stay; the first was evicted
                for i = 1, 2 do
                    db = mysql:new()
                    db:connect{ %1$s, pool = "evict" }
                    ngx.say(db:get_reused_times(), " ", db:query("select connection_id() as id")[1].id == first)
                end
                """.formatted(MariaDb.OPTS))) {
            MockResponse r = t.get("/t").run();
            assertThat(r.body()).isEqualTo("1 false\n1 false\n");
            Worker w = t.resty().worker(0);
            // the two reused ones were closed at the end of the request (never released)
            PoolTestSupport.await(() -> MysqlPools.connections(w, "evict") == 0, "the request's connections are closed");
            assertThat(MysqlPools.openConnections()).isEqualTo(before);
        }
    }

    @Test
    void idleConnectionsCloseAfterTheirMaxIdleTime() throws Exception {
        try (RestyTester t = tester("""
                db:connect{ %s, pool = "idle" }
                ngx.say(db:get_reused_times())
                db:set_keepalive(tonumber(ngx.var.arg_idle))
                """.formatted(MariaDb.OPTS))) {
            Worker w = t.resty().worker(0);
            t.get("/t?idle=50").run();
            PoolTestSupport.await(() -> MysqlPools.connections(w, "idle") == 0, "the idle connection expires");
            assertThat(t.get("/t?idle=0").run().body()).isEqualTo("0\n");
            // 0: kept without a time limit
            Thread.sleep(200);
            assertThat(MysqlPools.idle(w, "idle")).isEqualTo(1);
            assertThat(t.get("/t?idle=0").run().body()).isEqualTo("1\n");
        }
    }

    @Test
    void closingTheInstanceClosesItsIdleConnectionsWhileVertxLivesOn() throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        int before = MysqlPools.openConnections();
        try {
            RestyTester t = RestyTester.of(Resty.builder().vertx(vertx).workers(1).location("/t", l -> l.contentByLua("""
                    local db = require("resty.mysql"):new()
                    assert(db:connect{ %s, pool = "retired" })
                    ngx.say(db:set_keepalive(60000, 10))
                    """.formatted(MariaDb.OPTS))));
            assertThat(t.get("/t").run().body()).isEqualTo("1\n");
            assertThat(MysqlPools.openConnections()).isEqualTo(before + 1);
            // as after a reload: the old instance goes, the shared Vert.x stays
            t.close();
            PoolTestSupport.await(() -> MysqlPools.openConnections() == before, "the idle connection is closed");
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void connectionsLeftOpenCloseWhenTheRequestEnds() throws Exception {
        int before = MysqlPools.openConnections();
        try (RestyTester t = tester("""
                db:connect{ %s, pool = "leak" }
                ngx.say(db:query("select 1 as one")[1].one)
                """.formatted(MariaDb.OPTS))) {
            Worker w = t.resty().worker(0);
            for (int i = 0; i < 5; i++) {
                assertThat(t.get("/t").run().body()).isEqualTo("1\n");
            }
            assertThat(MysqlPools.connections(w, "leak")).isZero();
            PoolTestSupport.await(() -> MysqlPools.openConnections() == before, "the connections are closed");
        }
    }

    @Test
    void backlogQueuesConnectsBeyondThePoolSize() throws Exception {
        try (RestyTester t = tester("""
                local opts = { %s, pool = "bl", pool_size = 1, backlog = 1 }
                db:set_timeout(tonumber(ngx.var.arg_timeout) or 5000)
                local ok, err = db:connect(opts)
                if not ok then ngx.say(err) return end
                if ngx.var.arg_hold then ngx.sleep(tonumber(ngx.var.arg_hold)) end
                ngx.say("reused ", db:get_reused_times())
                db:set_keepalive()
                """.formatted(MariaDb.OPTS))) {
            Worker w = t.resty().worker(0);
            CompletableFuture<MockResponse> holder = t.get("/t?hold=1").send();
            PoolTestSupport.await(() -> MysqlPools.connections(w, "bl") == 1, "the holder has the pool's only connection");
            CompletableFuture<MockResponse> queued = t.get("/t").send();
            PoolTestSupport.await(() -> MysqlPools.waiting(w, "bl") == 1, "the second connect queues");
            // the backlog (1) is full
            assertThat(t.get("/t").run().body()).isEqualTo("failed to connect: too many waiting connect operations\n");
            assertThat(holder.get().body()).isEqualTo("reused 0\n");
            // the holder's set_keepalive hands its connection to the queued connect
            assertThat(queued.get().body()).isEqualTo("reused 1\n");
            assertThat(MysqlPools.connections(w, "bl")).isEqualTo(1);

            // a queued connect gives up after its connect timeout
            holder = t.get("/t?hold=1").send();
            PoolTestSupport.await(() -> MysqlPools.idle(w, "bl") == 0, "the holder has the connection again");
            assertThat(t.get("/t?timeout=100").run().body()).isEqualTo("failed to connect: timeout\n");
            assertThat(holder.get().body()).isEqualTo("reused 2\n");
            assertThat(MysqlPools.waiting(w, "bl")).isZero();
        }
    }

    @Test
    void aConnectionTheServerDropsWhileIdleLeavesThePool() throws Exception {
        try (RestyTester t = tester("""
                db:connect{ %s, pool = "kill" }
                local id = db:query("select connection_id() as id")[1].id
                ngx.say(db:get_reused_times(), " ", id)
                db:set_keepalive()
                """.formatted(MariaDb.OPTS))) {
            Worker w = t.resty().worker(0);
            String[] first = t.get("/t").run().body().trim().split(" ");
            assertThat(first[0]).isEqualTo("0");
            MariaDb.sql("kill " + first[1]);
            PoolTestSupport.await(() -> MysqlPools.connections(w, "kill") == 0, "the pool notices the server closed it");
            String[] second = t.get("/t").run().body().trim().split(" ");
            assertThat(second[0]).isEqualTo("0");
            assertThat(second[1]).isNotEqualTo(first[1]);
        }
    }

    private static String[] lines(MockResponse r) {
        assertThat(r.status()).isEqualTo(200);
        return r.body().split("\n");
    }
}
