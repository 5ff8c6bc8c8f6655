package dev.resty4j.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Connecting, and everything that goes wrong on the way: refused, denied, unknown, slow. */
class MysqlConnectTest {

    @BeforeAll
    static void server() {
        MariaDb.require();
    }

    static MockResponse run(String lua) throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().workers(1).location("/t", l -> l.contentByLua("""
                local mysql = require "resty.mysql"
                local dump = require "mysqltest.dump"
                local db = mysql:new()
                """ + lua)))) {
            return t.get("/t").run();
        }
    }

    /** A loopback port nothing listens on. */
    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aClosedPortIsConnectionRefused() throws Exception {
        MockResponse r = run("""
                local ok, err, errcode, sqlstate = db:connect{ host = "127.0.0.1", port = %d, user = "root" }
                ngx.say(ok, " | ", err, " | ", errcode, " | ", sqlstate)
                ngx.say(db:query("select 1"))
                """.formatted(closedPort()));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("""
                nil | failed to connect: connection refused | nil | nil
                nilfailed to send query: cannot send query in the current context: nil
                """);
    }

    @Test
    void serverRefusalsCarryErrcodeAndSqlstate() throws Exception {
        MockResponse r = run("""
                local ok, err, errcode, sqlstate = db:connect{ host = "127.0.0.1", port = 3306, user = "r4j_nobody",
                                                                password = "secret", database = "test" }
                ngx.say(ok, " | ", err, " | ", errcode, " | ", sqlstate)
                ok, err, errcode, sqlstate = db:connect{ host = "127.0.0.1", port = 3306, user = "root",
                                                          database = "r4j_no_such_db" }
                ngx.say(ok, " | ", err, " | ", errcode, " | ", sqlstate)
                """);
        assertThat(r.body()).isEqualTo("""
                nil | Access denied for user 'r4j_nobody'@'127.0.0.1' | 1698 | 28000
                nil | Unknown database 'r4j_no_such_db' | 1049 | 42000
                """);
    }

    @Test
    void badOptionsAreReportedWithoutConnecting() throws Exception {
        MockResponse r = run("""
                ngx.say(db:connect{ user = "root" })
                ngx.say(db:connect{ %1$s, charset = "klingon" })
                ngx.say(db:connect{ %1$s, pool_size = 0 })
                ngx.say(db:connect{ host = "127.0.0.1", port = "x" })
                ngx.say(pcall(db.connect, db))
                local plain = setmetatable({}, { __index = mysql })
                ngx.say(plain:query("select 1"))
                """.formatted(MariaDb.OPTS));
        assertThat(r.body()).isEqualTo("""
                nilneither "host" nor "path" options are specified
                nilcharset 'klingon' is not supported
                nilbad "pool_size" option value: 0
                nilbad port number: x
                falsebad argument #1 to 'connect' (table expected)
                nilnot initialized
                """);
    }

    @Test
    void charsetsAndPortStrings() throws Exception {
        // latin1: the server sends é as one byte, and the script gets that byte
        MockResponse r = run("""
                local ok, err = db:connect{ host = "127.0.0.1", port = "3306", user = "root", database = "test",
                                            charset = "latin1" }
                ngx.say(ok, " ", err)
                ngx.say(dump(db:query("select convert(_utf8mb4'caf\\195\\169' using latin1) as w")))
                ok = db:connect{ %s, charset = "utf8" }
                ngx.say(dump(db:query("select _utf8mb4'caf\\195\\169' as w")))
                """.formatted(MariaDb.OPTS));
        assertThat(r.body()).isEqualTo("""
                1 nil
                [{w:"caf\\xe9"}]
                [{w:"caf\\xc3\\xa9"}]
                """);
    }

    @Test
    void unixDomainSocketPath() throws Exception {
        java.nio.file.Path sock = java.nio.file.Path.of("/run/mysqld/mysqld.sock");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(sock), "no MariaDB socket at " + sock);
        String lua = """
                local mysql = require "resty.mysql"
                local dump = require "mysqltest.dump"
                local db = mysql:new()
                local ok, err, errcode, sqlstate = db:connect{ path = "%s", user = "root", database = "test" }
                ngx.say(ok, " ", err, " ", errcode)
                if ok then ngx.say(dump(db:query("select 1 as one"))) end
                """.formatted(sock);
        // Vert.x reaches unix domain sockets only with its native transport
        Vertx nativeVertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        try (RestyTester t = RestyTester.of(Resty.builder().vertx(nativeVertx).workers(1).location("/t", l -> l.contentByLua(lua)))) {
            assertThat(nativeVertx.isNativeTransportEnabled()).isTrue();
            assertThat(t.get("/t").run().body()).isEqualTo("1 nil nil\n[{one:1}]\n");
        } finally {
            nativeVertx.close().await();
        }
        try (RestyTester t = RestyTester.of(Resty.builder().workers(1).location("/t", l -> l.contentByLua(lua)))) {
            assertThat(t.get("/t").run().body()).isEqualTo("nil failed to connect: native transport is not available nil\n");
        }
    }

    @Test
    void sslAgainstAServerWithoutSslFails() throws Exception {
        // JSSE initializes itself on first use, inside Netty's handshake on an event loop: do it here, off
        // the event loops, so a loaded machine does not trip Vert.x's blocked-thread check (a test failure)
        javax.net.ssl.SSLEngine warm = javax.net.ssl.SSLContext.getDefault().createSSLEngine();
        warm.setUseClientMode(true);
        warm.beginHandshake();
        warm.wrap(java.nio.ByteBuffer.allocate(0), java.nio.ByteBuffer.allocate(warm.getSession().getPacketBufferSize()));
        MockResponse r = run("""
                local ok, err = db:connect{ %s, ssl = true }
                ngx.say(ok, " | ", err)
                """.formatted(MariaDb.OPTS));
        assertThat(r.body()).isEqualTo("nil | ssl disabled on server\n");
    }

    @Test
    void connectTimesOutOnAServerThatNeverGreets() throws Exception {
        ServerSocket silent = new ServerSocket(0);
        List<Socket> accepted = new ArrayList<>();
        Thread acceptor = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept());
                }
            } catch (Exception done) {
                // closed
            }
        });
        try {
            MockResponse r = run("""
                    db:set_timeout(200)
                    local ok, err = db:connect{ host = "127.0.0.1", port = %d, user = "root" }
                    ngx.say(ok, " | ", err)
                    """.formatted(silent.getLocalPort()));
            assertThat(r.body()).isEqualTo("nil | failed to connect: timeout\n");
        } finally {
            silent.close();
            acceptor.join();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void aQueryTimeoutClosesTheConnectionAndLeavesTheStateAsLuaRestyMysqlDoes() throws Exception {
        MockResponse r = run("""
                db:set_timeout(300)
                db:connect{ %s }
                local res, err = db:query("select sleep(3)")
                ngx.say(res, " | ", err)
                ngx.say(db:query("select 1"))
                ngx.say(db:set_keepalive())
                ngx.say(db:close())
                db:set_timeout(5000)
                ngx.say(db:connect{ %1$s })
                ngx.say(dump(db:query("select 2 as two")), " ", db:get_reused_times())
                """.formatted(MariaDb.OPTS));
        assertThat(r.body()).isEqualTo("""
                nil | failed to receive packet header: timeout
                nilfailed to send query: cannot send query in the current context: 2
                nilcannot be reused in the current connection state: 2
                1
                1
                [{two:2}] 0
                """);
    }

    @Test
    void timeoutsDefaultToTheLuaSocketDirectives() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().workers(1).location("/t", l -> l
                .directive("lua_socket_read_timeout", List.of("200ms"))
                .contentByLua("""
                        local mysql = require "resty.mysql"
                        local db = mysql:new()
                        db:connect{ %s }
                        ngx.say(db:query("select sleep(3)"))
                        """.formatted(MariaDb.OPTS))))) {
            assertThat(t.get("/t").run().body()).isEqualTo("nilfailed to receive packet header: timeout\n");
        }
    }

    @Test
    void connectingAConnectedObjectClosesItsConnectionFirst() throws Exception {
        int before = MysqlPools.openConnections();
        MockResponse r = run("""
                db:connect{ %1$s }
                local id1 = db:query("select connection_id() as id")[1].id
                db:connect{ %1$s }
                local id2 = db:query("select connection_id() as id")[1].id
                ngx.say(id1 ~= id2, " ", db:get_reused_times())
                db:close()
                """.formatted(MariaDb.OPTS));
        assertThat(r.body()).isEqualTo("true 0\n");
        assertThat(MysqlPools.openConnections()).isEqualTo(before);
    }
}
