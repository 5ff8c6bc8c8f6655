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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --admin}: Prometheus text and the status page, scraped over HTTP from the admin listener. */
class AdminServerTest {

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final String CONF = """
            worker_processes 2;
            http {
                lua_shared_dict counters 1m;
                lua_shared_dict tiny 12k;
                server {
                    listen 127.0.0.1:0;
                    location = /count {
                        content_by_lua_block { ngx.say(ngx.shared.counters:incr("hits", 1, 0)) }
                    }
                    location = /boom {
                        content_by_lua_block { error("kaboom") }
                    }
                    location = /oops {
                        content_by_lua_block { error("oops <b>") }
                    }
                    location = /fill {
                        content_by_lua_block {
                            local d = ngx.shared.tiny
                            local forcible = false
                            for i = 1, 200 do
                                local ok, err, f = d:set("k" .. i, string.rep("x", 500))
                                forcible = forcible or f
                            end
                            ngx.say(forcible)
                        }
                    }
                }
            }
            """;

    @TempDir
    static Path dir;
    static RestyServer server;
    static AdminServer admin;

    @BeforeAll
    static void start() throws Exception {
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, CONF);
        admin = new AdminServer();
        server = RestyServer.start(conf, "127.0.0.1:0", null, admin::configure, ConfigLoader.Options.strict());
        admin.listen(server.resty().vertx(), "127.0.0.1:0", server::resty);
    }

    @AfterAll
    static void stop() {
        admin.close();
        server.close();
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsEndpointServesPrometheusText() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(get(server.port(0), "/count").statusCode()).isEqualTo(200);
        }
        assertThat(get(server.port(0), "/boom").statusCode()).isEqualTo(500);
        assertThat(get(server.port(0), "/fill").body()).isEqualTo("true\n");

        HttpResponse<String> r = get(admin.port(), "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        String text = r.body();
        assertThat(text)
                .contains("resty4j_requests_total{location=\"= /count\",status=\"200\"} 3.0")
                .contains("resty4j_requests_total{location=\"= /boom\",status=\"500\"} 1.0")
                .contains("resty4j_phase_duration_seconds_count{location=\"= /count\",phase=\"content\"} 3")
                .contains("resty4j_phase_duration_seconds_bucket{location=\"= /count\",phase=\"content\",le=\"+Inf\"} 3")
                .contains("resty4j_script_errors_total{location=\"= /boom\",phase=\"content\"} 1.0")
                .contains("resty4j_shdict_capacity_bytes{dict=\"counters\"} 1048576.0")
                .contains("resty4j_worker_fibers{worker=\"1\"}")
                .contains("resty4j_workers 2.0");
        assertThat(gauge(text, "resty4j_shdict_evictions_total{dict=\"tiny\"}")).isPositive();
        assertThat(gauge(text, "resty4j_shdict_used_bytes{dict=\"counters\"}")).isPositive();
        assertThat(gauge(text, "resty4j_shdict_free_bytes{dict=\"counters\"}")).isLessThan(1048576.0);
    }

    @Test
    void statusPageShowsWorkersLocationsDictsAndErrors() throws Exception {
        // (each test uses its own locations: the other checks exact counts)
        assertThat(get(server.port(0), "/oops").statusCode()).isEqualTo(500);
        HttpResponse<String> r = get(admin.port(), "/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        String html = r.body();
        assertThat(html).contains("<table id=\"workers\">", "<table id=\"locations\">", "<table id=\"dicts\">")
                .contains("<code>= /count</code>", "<code>= /oops</code>")
                .contains("<td>tiny</td>", "<td class=\"n\">12.0 KiB</td>")
                // the script error, HTML-escaped
                .contains("oops &lt;b&gt;").doesNotContain("oops <b>");
        assertThat(get(admin.port(), "/nothing").statusCode()).isEqualTo(404);
    }

    private static double gauge(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no series " + series + " in\n" + text);
    }
}
