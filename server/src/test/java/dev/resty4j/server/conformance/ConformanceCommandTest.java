package dev.resty4j.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole command against a fake {@link CaseServerFactory} whose server answers every request
 * with {@code "32 number\n10502 number\n"}.
 */
class ConformanceCommandTest {

    static final String ANSWER = "32 number\n10502 number\n";

    private static Vertx vertx;

    @BeforeAll
    static void vertx() {
        TestCases.quietLogs();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    /** Starts a trivial Vert.x server per case; checks it was handed a real config file. */
    static final class FakeFactory implements CaseServerFactory {
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final List<String> configs = Collections.synchronizedList(new ArrayList<>());
        volatile List<String> logLines = List.of("2026/01/01 00:00:00 [notice] 1#0: started");

        @Override
        public CaseServer start(Path confFile, int port) throws Exception {
            String conf = Files.readString(confFile);
            assertThat(conf).contains("listen 127.0.0.1:" + port + ";");
            configs.add(conf);
            HttpServer server = vertx.createHttpServer().requestHandler(req -> req.response().end(ANSWER))
                    .listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            started.incrementAndGet();
            return new CaseServer() {
                @Override
                public List<String> logLines() {
                    return logLines;
                }

                @Override
                public void close() {
                    try {
                        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    closed.incrementAndGet();
                }
            };
        }
    }

    /** Runs the command and captures stdout/stderr. */
    record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private static Run run(CaseServerFactory factory, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ConformanceCommand cmd = new ConformanceCommand(
                host -> switch (host) {
                    case "vertx", "netty" -> factory;
                    default -> throw new IllegalArgumentException(host);
                },
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit = cmd.run(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static final String SKELETON = """
            {"id": "%s", "title": "t", "source": "test", "area": "%s",
             "http_config": {"shared_dicts": {"dogs": "1m"}},
             "locations": [{"path": "/test", "match": "exact", "phases": {"content": "ngx.say(1)"}}],
             "request": {"method": "GET", "uri": "/test", "headers": {}, "body": null},
             "expect": %s,
             "expect_log": {"no_error_log": [{"text": "[error]"}]},
             "nginx_specific_expectations": [], "tags": %s}
            """;

    private static void writeCase(Path dir, String area, String file, String id, String expect, String tags)
            throws IOException {
        Path d = Files.createDirectories(dir.resolve(area));
        Files.writeString(d.resolve(file), SKELETON.formatted(id, area, expect, tags));
    }

    /** alpha: 1 pass, 1 fail; beta: 1 fail (status), 1 skipped (ffi); gamma: 1 pass + a followup. */
    private static Path syntheticCases(Path tmp) throws IOException {
        Path dir = tmp.resolve("cases");
        writeCase(dir, "alpha", "a__1.json", "t/a.t#1", "{\"status\": 200, \"body\": \"32 number\\n10502 number\\n\", \"body_like\": null, \"headers\": {}}", "[]");
        writeCase(dir, "alpha", "a__2.json", "t/a.t#2", "{\"status\": 200, \"body\": \"nil\\n\", \"body_like\": null, \"headers\": {}}", "[]");
        writeCase(dir, "beta", "b__1.json", "t/b.t#1", "{\"status\": 404, \"body\": null, \"body_like\": null, \"headers\": {}}", "[]");
        writeCase(dir, "beta", "b__2.json", "t/b.t#2", "{\"status\": 200, \"body\": \"x\\n\"}", "[\"ffi\"]");
        writeCase(dir, "gamma", "g__1.json", "t/g.t#1", "{\"body_like\": \"(?s)^32 number\\n\\\\d+ number\\n$\", \"headers\": {\"X-Absent\": null}}", "[]");
        return dir;
    }

    @Test
    void tableAndFinalLine(@TempDir Path tmp) throws IOException {
        FakeFactory factory = new FakeFactory();
        Run r = run(factory, "--cases", syntheticCases(tmp).toString());
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> lines = r.lines();
        assertThat(lines.get(0)).matches("area\\s+passed\\s+failed\\s+skipped\\s+pass %");
        assertThat(lines.get(1)).matches("alpha\\s+1\\s+1\\s+0\\s+50\\.0");
        assertThat(lines.get(2)).matches("beta\\s+0\\s+1\\s+1\\s+0\\.0");
        assertThat(lines.get(3)).matches("gamma\\s+1\\s+0\\s+0\\s+100\\.0");
        assertThat(lines.get(4)).matches("TOTAL\\s+2\\s+2\\s+1\\s+50\\.0");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("conformance: 2 passed, 2 failed, 1 skipped");
        assertThat(factory.started.get()).isEqualTo(4); // the skipped case never starts a server
        assertThat(factory.closed.get()).isEqualTo(4);
    }

    @Test
    void jsonReportWithReasons(@TempDir Path tmp) throws IOException {
        Path report = tmp.resolve("out/report.json");
        Run r = run(new FakeFactory(), "--cases", syntheticCases(tmp).toString(), "--report", report.toString());
        assertThat(r.exit()).isZero();
        JsonObject root = new JsonObject(Files.readString(report));
        assertThat(root.getJsonObject("summary").getInteger("passed")).isEqualTo(2);
        assertThat(root.getJsonObject("summary").getInteger("failed")).isEqualTo(2);
        assertThat(root.getJsonObject("summary").getInteger("skipped")).isEqualTo(1);
        assertThat(root.getJsonObject("areas").getJsonObject("alpha").getString("pass_percent")).isEqualTo("50.0");
        JsonArray cases = root.getJsonArray("cases");
        assertThat(cases).hasSize(5);
        JsonObject first = cases.getJsonObject(0);
        assertThat(first.getString("id")).isEqualTo("t/a.t#1");
        assertThat(first.getString("area")).isEqualTo("alpha");
        assertThat(first.getString("outcome")).isEqualTo("passed");
        assertThat(first.containsKey("reason")).isTrue();
        assertThat(first.getValue("reason")).isNull();
        assertThat(first.getLong("duration_ms")).isNotNull();
        assertThat(cases.getJsonObject(1).getString("outcome")).isEqualTo("failed");
        assertThat(cases.getJsonObject(1).getString("reason"))
                .isEqualTo("body: expected \"nil\\n\" got \"32 number\\n10502 number\\n\"");
        assertThat(cases.getJsonObject(2).getString("reason")).isEqualTo("status: expected 404 got 200");
        assertThat(cases.getJsonObject(3).getString("outcome")).isEqualTo("skipped");
        assertThat(cases.getJsonObject(3).getString("reason")).contains("LuaJIT FFI");
    }

    @Test
    void errorLogLinesAreJudged(@TempDir Path tmp) throws IOException {
        FakeFactory factory = new FakeFactory();
        factory.logLines = List.of("2026/01/01 00:00:00 [error] 1#0: *1 lua entry thread aborted: boom");
        Run r = run(factory, "--cases", syntheticCases(tmp).toString(), "--area", "alpha", "-v");
        assertThat(r.out()).contains("no_error_log: found \"[error]\"");
        assertThat(r.lines().get(r.lines().size() - 1)).isEqualTo("conformance: 0 passed, 2 failed, 0 skipped");
    }

    @Test
    void filtersAndVerboseAndParallel(@TempDir Path tmp) throws IOException {
        Path dir = syntheticCases(tmp);
        Run byArea = run(new FakeFactory(), "--cases", dir.toString(), "--area", "alpha,gamma", "--parallel", "3");
        assertThat(byArea.lines()).noneMatch(l -> l.startsWith("beta"));
        assertThat(byArea.lines().get(byArea.lines().size() - 1)).isEqualTo("conformance: 2 passed, 1 failed, 0 skipped");

        Run byId = run(new FakeFactory(), "--cases", dir.toString(), "--id", "t/b.t#", "-v", "--host=netty",
                "--timeout-s", "2");
        assertThat(byId.out()).contains("failed  t/b.t#1 (beta, ").contains("skipped t/b.t#2 (beta, ");
        assertThat(byId.lines().get(byId.lines().size() - 1)).isEqualTo("conformance: 0 passed, 1 failed, 1 skipped");

        Run byFile = run(new FakeFactory(), "--cases", dir.toString(), "--id", "g__1");
        assertThat(byFile.lines().get(byFile.lines().size() - 1)).isEqualTo("conformance: 1 passed, 0 failed, 0 skipped");
    }

    @Test
    void refusedConfigFailsTheCaseWithTheMessage(@TempDir Path tmp) throws IOException {
        CaseServerFactory refusing = (conf, port) -> {
            throw new IllegalArgumentException("unknown directive \"lua_shared_dict\" in nginx.conf:12");
        };
        Path report = tmp.resolve("r.json");
        Run r = run(refusing, "--cases", syntheticCases(tmp).toString(), "--report", report.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.lines().get(r.lines().size() - 1)).isEqualTo("conformance: 0 passed, 4 failed, 1 skipped");
        assertThat(Files.readString(report)).contains(
                "server start failed: unknown directive \\\"lua_shared_dict\\\" in nginx.conf:12");
    }

    @Test
    void aServerThatIsNotListeningFailsTheRequest(@TempDir Path tmp) throws IOException {
        // the "server" never listens: connections are refused
        CaseServerFactory dead = (conf, port) -> new CaseServer() {
            @Override
            public List<String> logLines() {
                return List.of();
            }

            @Override
            public void close() {
            }
        };
        Run r = run(dead, "--cases", syntheticCases(tmp).toString(), "--id", "t/a.t#1", "-v");
        assertThat(r.out()).contains("request failed: ");
        assertThat(r.lines().get(r.lines().size() - 1)).isEqualTo("conformance: 0 passed, 1 failed, 0 skipped");
    }

    @Test
    void unreadableCaseIsAFailureNotACrash(@TempDir Path tmp) throws IOException {
        Path dir = syntheticCases(tmp);
        Files.writeString(dir.resolve("alpha/broken.json"), "{ not json");
        Run r = run(new FakeFactory(), "--cases", dir.toString(), "--area", "alpha");
        assertThat(r.lines().get(r.lines().size() - 1)).isEqualTo("conformance: 1 passed, 2 failed, 0 skipped");
    }

    @Test
    void wrongArgumentsExitWith2(@TempDir Path tmp) throws IOException {
        Path dir = syntheticCases(tmp);
        FakeFactory f = new FakeFactory();
        assertThat(run(f).exit()).isEqualTo(2);
        assertThat(run(f, "--cases").exit()).isEqualTo(2);
        assertThat(run(f, "--cases", dir.toString(), "--bogus").exit()).isEqualTo(2);
        assertThat(run(f, "--cases", dir.toString(), "--parallel", "0").exit()).isEqualTo(2);
        assertThat(run(f, "--cases", dir.toString(), "--timeout-s", "soon").exit()).isEqualTo(2);
        assertThat(run(f, "--cases", dir.toString(), "--host", "tomcat").exit()).isEqualTo(2);
        assertThat(run(f, "--cases", tmp.resolve("missing").toString()).exit()).isEqualTo(2);
        Run help = run(f, "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("usage: conformance");
        assertThat(f.started.get()).isZero();
    }

    /** Against the real cases: 043-shdict.t#1 passes with this canned answer, #2 fails with a reason. */
    @Test
    void realSharedDictCases(@TempDir Path tmp) throws IOException {
        Path cases = TestCases.requireDir();
        Path report = tmp.resolve("report.json");
        Run r = run(new FakeFactory(), "--cases", cases.toString(), "--area", "shared_dict", "--id", "043-shdict__1.",
                "--id", "043-shdict__2.", "--id", "150-fake", "--report", report.toString());
        assertThat(r.lines()).anyMatch(l -> l.matches("shared_dict\\s+1\\s+1\\s+1\\s+50\\.0"));
        assertThat(r.lines().get(r.lines().size() - 1)).isEqualTo("conformance: 1 passed, 1 failed, 1 skipped");
        JsonArray byId = new JsonObject(Files.readString(report)).getJsonArray("cases");
        assertThat(byId.stream().map(o -> ((JsonObject) o).getString("outcome")).toList())
                .containsExactly("passed", "failed", "skipped");
        assertThat(byId.getJsonObject(1).getString("reason"))
                .isEqualTo("body: expected \"3.14159 number\\n3.96 number\\n\" got \"32 number\\n10502 number\\n\"");
    }
}
