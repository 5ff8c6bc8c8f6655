package dev.resty4j.mysql;

import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The MariaDB the tests run against (127.0.0.1:3306, root without password, database {@code test}):
 * reachability (a failure with CI=true, a skip otherwise), unique table names, and SQL run from Java to
 * prepare and check what the scripts do.
 */
public final class MariaDb {

    static final String HOST = "127.0.0.1";
    static final int PORT = 3306;

    /** The Lua options table for db:connect, to splice into scripts. */
    static final String OPTS = "host = '127.0.0.1', port = 3306, user = 'root', password = '', database = 'test'";

    /**
     * The start of most test scripts: a connected {@code db} (5s timeout) and {@code dump} for results;
     * a failed connect ends the script with a line saying so.
     */
    static final String PRELUDE = """
            local mysql = require "resty.mysql"
            local dump = require "mysqltest.dump"
            local db = mysql:new()
            db:set_timeout(5000)
            local ok, err, errcode, sqlstate = db:connect{ %s }
            if not ok then
                ngx.say("failed to connect: ", err, ": ", errcode, " ", sqlstate)
                return
            end
            """.formatted(OPTS);

    private static final AtomicInteger TABLES = new AtomicInteger();
    private static Vertx vertx;
    private static MySQLConnection admin;

    private MariaDb() {
    }

    /** Fails (CI=true) or skips the calling test when the server is not there. */
    public static void require() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 2000);
        } catch (IOException e) {
            String msg = "MariaDB at " + HOST + ":" + PORT + " is unreachable (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) {
                fail(msg + "; CI=true requires it");
            }
            Assumptions.abort(msg + "; skipping (set CI=true to fail instead)");
        }
    }

    /** A table name no other test (or run) uses. */
    public static String table(String what) {
        return "r4j_" + what + "_" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
    }

    /** Runs SQL on the tests' own connection (not through the binding). */
    public static synchronized RowSet<Row> sql(String sql) {
        try {
            if (admin == null) {
                vertx = Vertx.vertx();
                admin = MySQLConnection.connect(vertx, new MySQLConnectOptions().setHost(HOST).setPort(PORT)
                        .setUser("root").setPassword("").setDatabase("test")).await(10, TimeUnit.SECONDS);
            }
            return admin.query(sql).execute().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("admin SQL failed: " + sql + ": " + e, e);
        }
    }

    public static void drop(String table) {
        sql("drop table if exists " + table);
    }
}
