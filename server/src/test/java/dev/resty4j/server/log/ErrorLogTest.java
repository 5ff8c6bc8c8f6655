package dev.resty4j.server.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.resty4j.config.ConfigException;
import dev.resty4j.config.ConfigLoader;
import dev.resty4j.core.log.RestyLogger;
import dev.resty4j.server.RestyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@code error_log} levels and destinations in the standalone server, and the SLF4J MDC of request lines. */
class ErrorLogTest {

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    static HttpResponse<String> get(RestyServer s, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port(0) + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The log phase runs after the response is sent: wait (bounded) until the file holds the line. */
    static String awaitLine(Path file, String text) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                break;
            }
            Thread.sleep(50);
        }
        return Files.exists(file) ? Files.readString(file) : "";
    }

    @Test
    void levelsAndDestinationsPerHttpServerAndLocation() throws Exception {
        Files.createDirectories(dir.resolve("logs"));
        Path main = dir.resolve("logs/error.log");
        Path server = dir.resolve("logs/server.log");
        Path own = dir.resolve("logs/own.log");
        Files.writeString(dir.resolve("nginx.conf"), """
                error_log logs/ignored.log debug;
                http {
                    error_log logs/error.log info;
                    server {
                        listen 127.0.0.1:0;
                        location /http {
                            content_by_lua_block {
                                ngx.log(ngx.DEBUG, "http-debug")
                                ngx.log(ngx.INFO, "http-info")
                                ngx.say("ok")
                            }
                        }
                        location /own {
                            error_log logs/own.log warn;
                            content_by_lua_block {
                                ngx.log(ngx.INFO, "own-info")
                                ngx.log(ngx.WARN, "own-warn")
                                ngx.say("ok")
                            }
                        }
                        location /quiet {
                            error_log /dev/null;
                            content_by_lua_block { ngx.log(ngx.ERR, "quiet-err") ngx.say("ok") }
                        }
                        location /fails {
                            content_by_lua_block { error("boom") }
                        }
                    }
                    server {
                        listen 127.0.0.1:0;
                        error_log logs/server.log notice;
                        location / {
                            content_by_lua_block { ngx.log(ngx.NOTICE, "server-notice") ngx.say("ok") }
                        }
                    }
                }
                """);
        try (RestyServer s = RestyServer.start(dir.resolve("nginx.conf"), null, null, null, ConfigLoader.Options.strict())) {
            assertThat(get(s, "/http").statusCode()).isEqualTo(200);
            assertThat(get(s, "/own").statusCode()).isEqualTo(200);
            assertThat(get(s, "/quiet").statusCode()).isEqualTo(200);
            assertThat(get(s, "/fails").statusCode()).isEqualTo(500);
            HttpResponse<String> second = CLIENT.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + s.port(1) + "/x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(second.statusCode()).isEqualTo(200);

            String mainLog = awaitLine(main, "boom");
            assertThat(mainLog.lines().filter(l -> l.contains("http-info")).findFirst()).hasValueSatisfying(l -> assertThat(l)
                    .matches("\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[info\\] \\d+#\\d+: \\*\\d+ .*http-info"
                            + ", client: 127\\.0\\.0\\.1, server: localhost, request: \"GET /http HTTP/1\\.1\", host: \"127\\.0\\.0\\.1:\\d+\""));
            assertThat(mainLog).contains("[error]").contains("boom").doesNotContain("http-debug")
                    .doesNotContain("own-").doesNotContain("quiet-err").doesNotContain("server-notice");
            // the http level's error_log replaced the main level's
            assertThat(dir.resolve("logs/ignored.log")).satisfiesAnyOf(
                    p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyFile());

            assertThat(awaitLine(own, "own-warn")).contains("[warn]").contains("own-warn").doesNotContain("own-info");
            assertThat(awaitLine(server, "server-notice")).contains("[notice]").contains("server-notice");
        }
    }

    @Test
    void aLogFileThatCannotBeOpenedFailsTheLoadAsNginxDoes() throws Exception {
        Files.writeString(dir.resolve("nginx.conf"), """
                http { error_log missing/dir/error.log; server { listen 127.0.0.1:0; location / { return 200; } } }
                """);
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nginx.conf"), ConfigLoader.Options.strict()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("open() \"" + dir.resolve("missing/dir/error.log") + "\" failed (No such file or directory)")
                .hasMessageContaining("nginx.conf:1");
    }

    @Test
    void slf4jLinesCarryRequestIdLocationPhaseAndScriptInTheMdc() throws Exception {
        Files.writeString(dir.resolve("nginx.conf"), """
                http {
                    server {
                        listen 127.0.0.1:0;
                        location /mdc {
                            access_by_lua_block { ngx.log(ngx.ERR, "from access") }
                            content_by_lua_block { ngx.say(ngx.var.request_id) }
                            log_by_lua_block { error("in log phase") }
                        }
                    }
                }
                """);
        Logger logger = (Logger) LoggerFactory.getLogger("resty4j");
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        Level before = logger.getLevel();
        logger.setLevel(Level.ERROR);
        logger.addAppender(events);
        try (RestyServer s = RestyServer.start(dir.resolve("nginx.conf"), null, null, null, ConfigLoader.Options.strict())) {
            HttpResponse<String> r = get(s, "/mdc");
            String requestId = r.body().trim();
            assertThat(requestId).matches("[0-9a-f]{32}");
            assertThat(get(s, "/mdc").body().trim()).matches("[0-9a-f]{32}").isNotEqualTo(requestId);
            for (int i = 0; i < 100 && events.list.size() < 4; i++) {
                Thread.sleep(50);
            }
            List<ILoggingEvent> lines = List.copyOf(events.list);
            ILoggingEvent access = lines.stream().filter(e -> e.getFormattedMessage().contains("from access"))
                    .findFirst().orElseThrow();
            assertThat(access.getMDCPropertyMap())
                    .containsEntry(RestyLogger.MDC_REQUEST_ID, requestId)
                    .containsEntry(RestyLogger.MDC_LOCATION, "/mdc")
                    .containsEntry(RestyLogger.MDC_PHASE, "access")
                    .hasEntrySatisfying(RestyLogger.MDC_SCRIPT, v -> assertThat(v).startsWith("access_by_lua(nginx.conf:5)"));
            assertThat(access.getFormattedMessage()).contains("from access, client: 127.0.0.1, server: localhost, "
                    + "request: \"GET /mdc HTTP/1.1\"");
            ILoggingEvent failed = lines.stream().filter(e -> e.getFormattedMessage().contains("in log phase"))
                    .findFirst().orElseThrow();
            assertThat(failed.getMDCPropertyMap())
                    .containsEntry(RestyLogger.MDC_REQUEST_ID, requestId)
                    .containsEntry(RestyLogger.MDC_PHASE, "log")
                    .containsEntry(RestyLogger.MDC_SCRIPT, "log_by_lua(nginx.conf:7)");
        } finally {
            logger.detachAppender(events);
            logger.setLevel(before);
        }
    }
}
