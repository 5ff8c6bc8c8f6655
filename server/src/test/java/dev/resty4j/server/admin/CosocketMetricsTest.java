package dev.resty4j.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.config.ConfigLoader;
import dev.resty4j.server.RestyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timers and cosocket metrics on the admin listener's {@code /metrics}, driven by scripts against the real
 * Redis and MariaDB of the machine (unreachable services fail the requests, hence the test).
 */
class CosocketMetricsTest {

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final String CONF = """
            http {
                server {
                    listen 127.0.0.1:0;
                    location = /timer {
                        content_by_lua_block {
                            assert(ngx.timer.at(3600, function() end))
                            ngx.say(ngx.timer.pending_count())
                        }
                    }
                    location = /tcp {
                        content_by_lua_block {
                            local sock = ngx.socket.tcp()
                            assert(sock:connect("127.0.0.1", 6379))
                            assert(sock:send("PING\\r\\n"))
                            local line = assert(sock:receive())
                            assert(sock:setkeepalive())
                            ngx.say(line)
                        }
                    }
                    location = /redis {
                        content_by_lua_block {
                            local red = require("resty.redis"):new()
                            assert(red:connect("127.0.0.1", 6379))
                            assert(red:set("resty4j:metrics-test", "v"))
                            local v = assert(red:get("resty4j:metrics-test"))
                            assert(red:set_keepalive())
                            ngx.say(v)
                        }
                    }
                    location = /mysql {
                        content_by_lua_block {
                            local db = require("resty.mysql"):new()
                            assert(db:connect({host = "127.0.0.1", port = 3306, user = "root", password = "", database = "test"}))
                            local rows = assert(db:query("select 1 as one"))
                            assert(db:set_keepalive())
                            ngx.say(rows[1].one)
                        }
                    }
                    location = /http {
                        content_by_lua_block {
                            local httpc = require("resty.http").new()
                            local res = assert(httpc:request_uri("http://127.0.0.1:" .. ngx.var.server_port .. "/plain"))
                            ngx.say(res.status, " ", res.body)
                        }
                    }
                    location = /plain {
                        return 200 "plain";
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    static HttpResponse<String> get(int port, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void timersOperationsAndIdlePoolsPerBinding() throws Exception {
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, CONF);
        AdminServer admin = new AdminServer();
        try (RestyServer server = RestyServer.start(conf, "127.0.0.1:0", null, admin::configure, ConfigLoader.Options.strict());
             AdminServer listening = admin.listen(server.resty().vertx(), "127.0.0.1:0", server::resty)) {
            int port = server.port(0);
            assertThat(get(port, "/timer").body()).isEqualTo("1\n");
            assertThat(get(port, "/tcp").body()).isEqualTo("+PONG\n");
            assertThat(get(port, "/redis").body()).isEqualTo("v\n");
            assertThat(get(port, "/mysql").body()).isEqualTo("1\n");
            assertThat(get(port, "/http").body()).isEqualTo("200 plain\n");

            String text = get(admin.port(), "/metrics").body();
            assertThat(text)
                    .contains("resty4j_timers_pending{worker=\"0\"} 1.0")
                    .contains("resty4j_timers_running{worker=\"0\"} 0.0")
                    .contains("resty4j_cosocket_operations_total{binding=\"tcp\",operation=\"connect\"} 1.0")
                    .contains("resty4j_cosocket_operations_total{binding=\"tcp\",operation=\"send\"} 1.0")
                    .contains("resty4j_cosocket_operations_total{binding=\"tcp\",operation=\"receive\"} 1.0")
                    .contains("resty4j_cosocket_operations_total{binding=\"tcp\",operation=\"set_keepalive\"} 1.0")
                    .contains("resty4j_cosocket_operations_total{binding=\"redis\",operation=\"connect\"} 1.0")
                    .contains("resty4j_cosocket_operations_total{binding=\"redis\",operation=\"command\"} 2.0")
                    .contains("resty4j_cosocket_operations_total{binding=\"redis\",operation=\"set_keepalive\"} 1.0")
                    .contains("resty4j_cosocket_operations_total{binding=\"mysql\",operation=\"connect\"} 1.0")
                    .contains("resty4j_cosocket_operations_total{binding=\"mysql\",operation=\"query\"} 1.0")
                    .contains("resty4j_cosocket_operations_total{binding=\"mysql\",operation=\"set_keepalive\"} 1.0")
                    .contains("resty4j_cosocket_operations_total{binding=\"http\",operation=\"request_uri\"} 1.0")
                    .contains("resty4j_cosocket_pool_idle{binding=\"tcp\"} 1.0")
                    .contains("resty4j_cosocket_pool_idle{binding=\"redis\"} 1.0")
                    .contains("resty4j_cosocket_pool_idle{binding=\"mysql\"} 1.0")
                    .contains("resty4j_cosocket_pool_idle{binding=\"http\"} 1.0");

            String page = get(admin.port(), "/").body();
            assertThat(page).contains("<th>timers pending</th><th>timers running</th>")
                    .contains("<tr><td>0</td><td class=\"n\">0</td><td class=\"n\">1</td><td class=\"n\">0</td></tr>")
                    .contains("<table id=\"pools\">", "<tr><td>redis</td><td class=\"n\">1</td></tr>");
        }
    }
}
