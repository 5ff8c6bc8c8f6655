package dev.resty4j.server.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9's acceptance: {@code ./resty4j serve} reloaded 20 times by SIGHUP (what {@code ./resty4j reload}
 * sends) while wrk loads it for 20 seconds; wrk must see no non-2xx response and no socket error.
 * The same by hand: {@code server/bench/reload-under-load.sh}.
 */
class ReloadUnderWrkTest {

    static final int SECONDS = 20;
    static final int RELOADS = 20;

    @TempDir
    Path dir;

    static String conf(int version) {
        return """
                worker_processes 2;
                http {
                    lua_shared_dict counters 1m;
                    init_worker_by_lua_block { version = "v%1$d" }
                    server {
                        listen 127.0.0.1:0;
                        location / {
                            content_by_lua_block {
                                local n = ngx.shared.counters:incr("hits", 1, 0)
                                if n %% 50 == 0 then ngx.sleep(0.01) end -- some requests in flight across a swap
                                ngx.say(version, " ", n)
                            }
                        }
                    }
                }
                """.formatted(version);
    }

    @Test
    void twentyReloadsUnderWrkWithoutAFailedRequest() throws Exception {
        Wrk.assumeInstalled();
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, conf(1));
        try (ServeProcess serve = ServeProcess.start(conf, dir.resolve("resty4j.pid"))) {
            Process wrk = Wrk.start("http://127.0.0.1:" + serve.port() + "/", 2, 16, SECONDS, null);
            Thread.sleep(1500); // wrk connected and running
            long gap = (SECONDS * 1000L - 4000) / RELOADS;
            for (int i = 1; i <= RELOADS; i++) {
                Files.writeString(conf, conf(i + 1));
                serve.hup();
                assertThat(serve.awaitReloads(i, Duration.ofSeconds(30))).as("reload %d seen", i).isTrue();
                Thread.sleep(gap);
            }
            Wrk.Report report = Wrk.finish(wrk, SECONDS);
            System.out.println("reload under wrk: " + report.requests() + " requests in " + SECONDS + " s, "
                    + serve.reconfigured() + " reloads, non-2xx " + report.non2xx3xx() + ", socket errors " + report.socketErrors());

            assertThat(serve.reconfigured()).as(serve.output()).isEqualTo(RELOADS);
            assertThat(serve.refused()).isZero();
            assertThat(report.requests()).as(report.output()).isPositive();
            assertThat(report.non2xx3xx()).as(report.output()).isZero();
            assertThat(report.socketErrors()).as(report.output()).isZero();
            HttpResponse<String> last = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + serve.port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(last.body()).startsWith("v" + (RELOADS + 1) + " ");
            assertThat(serve.lines(l -> l.contains("[error]") || l.contains("[alert]") || l.contains("Exception"))).isEmpty();
        }
    }
}
