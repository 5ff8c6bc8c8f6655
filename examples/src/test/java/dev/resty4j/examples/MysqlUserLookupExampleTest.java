package dev.resty4j.examples;

import dev.resty4j.mysql.MariaDb;
import dev.resty4j.mysql.MysqlPools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.config.ConfigLoader;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example {@code examples/conf/mysql-user-lookup.conf}, served as {@code ./resty4j serve} would serve it
 * (one worker, so the per-worker cache is observable) over real HTTP, with its users in MariaDB. The test
 * changes only the listen address and the users table's name (a fresh table per run).
 */
class MysqlUserLookupExampleTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void server() {
        MariaDb.require();
    }

    @Test
    void usersComeFromMariaDbOnceThenFromTheCache() throws Exception {
        Path conf = Path.of("conf/mysql-user-lookup.conf").toAbsolutePath();
        String users = MariaDb.table("users");
        MariaDb.sql("create table " + users + " (id int primary key, name varchar(100), email varchar(200))");
        MariaDb.sql("insert into " + users + " values (1, 'Ada Lovelace', 'ada@example.org'), (2, 'Alan Turing', 'alan@example.org')");
        String text = Files.readString(conf).replace("set $users_table users;", "set $users_table " + users + ";");
        List<String> errorLog = new CopyOnWriteArrayList<>();
        Resty.Builder b = ConfigLoader.load(text, conf.toString(), conf.getParent(), ConfigLoader.Options.strict())
                .workers(1).logSink(rec -> errorLog.add(rec.line()));
        try (Resty resty = b.build()) {
            HttpServer http = resty.vertx().createHttpServer().requestHandler(resty.handler(0)).listen(0, "127.0.0.1").await();
            String base = "http://127.0.0.1:" + http.actualPort();

            HttpResponse<String> r = get(base + "/users/1");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(r.headers().firstValue("X-Cache")).hasValue("MISS");
            assertThat(new JsonObject(r.body())).isEqualTo(user(1, "Ada Lovelace", "ada@example.org"));

            // the cache answers now, even after the row changed
            MariaDb.sql("update " + users + " set name = 'Ada King' where id = 1");
            r = get(base + "/users/1");
            assertThat(r.headers().firstValue("X-Cache")).hasValue("HIT");
            assertThat(new JsonObject(r.body())).isEqualTo(user(1, "Ada Lovelace", "ada@example.org"));

            r = get(base + "/users/2");
            assertThat(r.headers().firstValue("X-Cache")).hasValue("MISS");
            assertThat(new JsonObject(r.body())).isEqualTo(user(2, "Alan Turing", "alan@example.org"));

            // unknown users are 404, and cached as unknown
            r = get(base + "/users/999");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.headers().firstValue("X-Cache")).hasValue("MISS");
            assertThat(get(base + "/users/999").headers().firstValue("X-Cache")).hasValue("HIT");
            assertThat(get(base + "/users/x").statusCode()).isEqualTo(404);

            // one pooled connection served every lookup
            assertThat(MysqlPools.idle(resty.worker(0), "root:test:127.0.0.1:3306")).isEqualTo(1);

            // the database failing is a 502, logged
            MariaDb.drop(users);
            r = get(base + "/users/3");
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(errorLog).anyMatch(l -> l.contains("[error]")
                    && l.contains("user query failed: Table 'test." + users + "' doesn't exist: 1146 42S02"));
            http.close().await();
        } finally {
            MariaDb.drop(users);
        }
    }

    private static JsonObject user(int id, String name, String email) {
        return new JsonObject().put("id", id).put("name", name).put("email", email);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
