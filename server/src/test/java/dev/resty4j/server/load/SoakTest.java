package dev.resty4j.server.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.ScriptEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #11's soak: {@code ./resty4j serve} with every seed example plus locations that inject script
 * errors, cosocket timeouts, timers and Redis/MySQL pool traffic, loaded at a steady rate by two wrk
 * processes (the mix, and the failing location apart, so that its 500s are told from unexpected ones),
 * reloaded every few seconds by SIGHUP (every fourth time with a broken config, which must be refused).
 * Afterwards: no unexpected 5xx, no socket error, and no growth of heap after GC, threads or open file
 * descriptors between the end of the warm-up and the end of the run (both measured idle).
 *
 * <p>CI runs 60 s; {@code server/bench/soak.sh [SECONDS]} runs it longer (default 600) through
 * {@code -Dsoak.seconds}.
 */
@Tag("soak")
class SoakTest {

    static final int SECONDS = Integer.getInteger("soak.seconds", 60);
    /** Tolerances: a leak per reload or per request would go well past these over the run. */
    static final long HEAP_SLACK_BYTES = 24L << 20;
    static final int THREAD_SLACK = 6;
    static final int FD_SLACK = 12;

    @TempDir
    Path dir;

    /** The JWT secret given to the JWT seed ({@code env JWT_SECRET=...}). */
    static final String JWT_SECRET = "soak-secret-soak-secret-soak-secret";

    static String conf(SeedMix seeds, int backendPort, int version, boolean broken) {
        return """
                worker_processes 2;
                env JWT_SECRET=%s;
                http {
                    error_log logs/error.log warn;
                    lua_shared_dict soak 1m;
                    # what a deployment adds around the seeds: their backend and the services they call
                    upstream backend { server 127.0.0.1:%d; }
                    resty4j_hosts user-service 127.0.0.1:%d metrics-service 127.0.0.1:%d;
                %s
                    server {
                        listen 127.0.0.1:0;
                %s
                        location = /soak/ok {
                            content_by_lua_block { ngx.say("ok ", soak_version) }
                        }
                        location = /soak/error {
                            content_by_lua_block { error("injected script error") }
                        }
                        location = /soak/timeout {
                            content_by_lua_block {
                                -- a cosocket read timeout: BLPOP blocks for 1 s, the read waits 20 ms (connect
                                -- and send get 1 s: under the soak's load and reloads a 20 ms connect can time out)
                                local sock = ngx.socket.tcp()
                                sock:settimeouts(1000, 1000, 20)
                                assert(sock:connect("127.0.0.1", 6379))
                                assert(sock:send("BLPOP resty4j:soak:never 1\\r\\n"))
                                local line, err = sock:receive()
                                sock:close()
                                if err ~= "timeout" then error("expected a timeout, got " .. tostring(line or err)) end
                                ngx.say("timed out")
                            }
                        }
                        location = /soak/timer {
                            content_by_lua_block {
                                assert(ngx.timer.at(0.05, function(premature)
                                    ngx.shared.soak:incr("timers", 1, 0)
                                end))
                                ngx.sleep(0.01)
                                ngx.say("ok")
                            }
                        }
                        location = /soak/redis {
                            content_by_lua_block {
                                local red = require("resty.redis"):new()
                                red:set_timeout(1000)
                                assert(red:connect("127.0.0.1", 6379))
                                assert(red:incr("resty4j:soak:hits"))
                                assert(red:set_keepalive(10000, 8))
                                ngx.say("ok")
                            }
                        }
                        location = /soak/mysql {
                            content_by_lua_block {
                                local db = require("resty.mysql"):new()
                                db:set_timeout(2000)
                                assert(db:connect({host = "127.0.0.1", port = 3306, user = "root", password = "",
                                                   database = "test", pool_size = 8}))
                                local rows = assert(db:query("select 1 as one"))
                                assert(db:set_keepalive(10000, 8))
                                ngx.say(rows[1].one)
                            }
                        }
                        location = /soak/cleanup {
                            # the rate-limit seed's counter for this client: other tests use 127.0.0.1 on this Redis too
                            content_by_lua_block {
                                local red = require("resty.redis"):new()
                                assert(red:connect("127.0.0.1", 6379))
                                assert(red:del("rl:" .. ngx.var.binary_remote_addr, "resty4j:soak:hits"))
                                red:close()
                                ngx.say("clean")
                            }
                        }
                        location = /soak/broken {
                            content_by_lua_block { %s }
                        }
                    }
                }
                """.formatted(JWT_SECRET, backendPort, backendPort, backendPort, seeds.httpText("soak_version = " + version).indent(4),
                seeds.locationsText().indent(8), broken ? "ngx.say(" : "ngx.say('fine')");
    }

    /**
     * A wrk script: GETs the paths in turn, a fixed pause per request and connection (a steady rate). A
     * path may carry one header after a space: {@code "/api/x Authorization: Bearer ..."}.
     */
    static String wrkScript(java.util.List<String> paths, int delayMs, String countAsUnexpected) {
        String list = paths.stream().map(p -> {
            int sp = p.indexOf(' ');
            if (sp < 0) {
                return "{\"" + p + "\"}";
            }
            int colon = p.indexOf(": ", sp);
            return "{\"" + p.substring(0, sp) + "\", {[\"" + p.substring(sp + 1, colon) + "\"] = \""
                    + p.substring(colon + 2) + "\"}}";
        }).collect(Collectors.joining(", "));
        return """
                local paths = { %s }
                local threads = {}
                function setup(thread) table.insert(threads, thread) end
                function init(args) unexpected = 0; seen500 = 0; i = math.random(#paths) end
                function request() i = i %% #paths + 1; return wrk.format("GET", paths[i][1], paths[i][2]) end
                function delay() return %d end
                function response(status, headers, body)
                    if status == 500 then seen500 = seen500 + 1 end
                    if %s then unexpected = unexpected + 1 end
                end
                function done(summary, latency, requests)
                    local u, s = 0, 0
                    for _, t in ipairs(threads) do u = u + t:get("unexpected"); s = s + t:get("seen500") end
                    io.write("SOAK unexpected=" .. u .. "\\n")
                    io.write("SOAK status500=" .. s .. "\\n")
                end
                """.formatted(list, delayMs, countAsUnexpected);
    }

    @Test
    void mixedLoadWithErrorsTimeoutsAndReloadsLeaksNothing() throws Exception {
        Wrk.assumeInstalled();
        boolean js = ServiceLoader.load(ScriptEngine.class).stream().anyMatch(p -> p.get().language().equals("js"));
        SeedMix seeds = SeedMix.of(Path.of("").toAbsolutePath().getParent(), js);
        Files.createDirectories(dir.resolve("logs"));
        Path conf = dir.resolve("soak.conf");
        // the seeds' backend (upstream "backend", user-service, metrics-service), outside the measured process
        com.sun.net.httpserver.HttpServer backend = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 64);
        backend.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            byte[] body = path.startsWith("/users/")
                    ? ("{\"id\":\"" + path.substring(7) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8)
                    : "backend".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (path.equals("/ingest")) {
                ex.sendResponseHeaders(204, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        backend.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        backend.start();
        int backendPort = backend.getAddress().getPort();
        Files.writeString(conf, conf(seeds, backendPort, 1, false));

        java.util.List<String> mix = new java.util.ArrayList<>();
        for (String p : seeds.paths) {
            mix.addAll(requestsFor(p));
        }
        mix.addAll(java.util.List.of("/soak/ok", "/soak/timeout", "/soak/timer", "/soak/redis", "/soak/mysql",
                "/soak/broken", "/soak/ok"));
        Path mixScript = dir.resolve("mix.lua");
        Files.writeString(mixScript, wrkScript(mix, 4, "status >= 500"));
        Path errorScript = dir.resolve("errors.lua");
        Files.writeString(errorScript, wrkScript(java.util.List.of("/soak/error"), 40, "status ~= 500"));

        int warmup = Math.max(10, SECONDS / 6);
        int main = SECONDS - warmup;
        System.out.println("soak: " + SECONDS + " s (warm-up " + warmup + " s), seeds " + seeds.seeds + ", paths " + mix
                + (seeds.notes.isEmpty() ? "" : ", notes " + seeds.notes));
        try (ServeProcess serve = ServeProcess.start(conf, dir.resolve("resty4j.pid"));
             AutoCloseable stopBackend = () -> backend.stop(0)) {
            String base = "http://127.0.0.1:" + serve.port();
            // warm-up: the same mix and a few reloads, so that lazily built things (pools, VMs, JIT) exist
            Process warmMix = Wrk.start(base, 2, 8, warmup, mixScript);
            Process warmErrors = Wrk.start(base, 1, 2, warmup, errorScript);
            Thread.sleep(warmup * 500L);
            Files.writeString(conf, conf(seeds, backendPort, 2, false));
            serve.hup();
            Wrk.Report warmMixReport = Wrk.finish(warmMix, warmup);
            Wrk.finish(warmErrors, warmup);
            assertThat(serve.awaitReloads(1, Duration.ofSeconds(30))).isTrue();
            Thread.sleep(1000);
            ServeProcess.Resources before = serve.measure();

            Process load = Wrk.start(base, 2, 8, main, mixScript);
            Process errors = Wrk.start(base, 1, 2, main, errorScript);
            long started = System.nanoTime();
            int reloads = 1;
            int broken = 0;
            int version = 2;
            while (System.nanoTime() - started < (main - 4) * 1_000_000_000L) {
                Thread.sleep(3000);
                boolean breakIt = (reloads + 1) % 4 == 0;
                Files.writeString(conf, conf(seeds, backendPort, breakIt ? version : ++version, breakIt));
                serve.hup();
                reloads++;
                broken += breakIt ? 1 : 0;
                assertThat(serve.awaitReloads(reloads, Duration.ofSeconds(30))).as(serve.output()).isTrue();
                if (breakIt) {
                    Files.writeString(conf, conf(seeds, backendPort, version, false)); // what the next reload reads
                }
            }
            Wrk.Report mixReport = Wrk.finish(load, main);
            Wrk.Report errorReport = Wrk.finish(errors, main);
            Thread.sleep(2000); // old versions finish their last requests and close
            ServeProcess.Resources after = serve.measure();
            java.net.http.HttpResponse<String> cleanup = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/soak/cleanup")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(cleanup.body()).isEqualTo("clean\n");

            long requests = warmMixReport.requests() + mixReport.requests() + errorReport.requests();
            System.out.printf("soak: %d s, %d requests after warm-up (%d mix, %d injected errors), %d reloads"
                            + " (%d refused), unexpected 5xx %d, socket errors %d%n  before: %s%n  after:  %s%n",
                    SECONDS, mixReport.requests() + errorReport.requests(), mixReport.requests(), errorReport.requests(),
                    reloads, serve.refused(), mixReport.tag("unexpected") + errorReport.tag("unexpected"),
                    mixReport.socketErrors() + errorReport.socketErrors(), before, after);
            assertThat(requests).isPositive();

            assertThat(mixReport.tag("unexpected")).as("unexpected 5xx in the mix\n" + tail(dir)).isZero();
            assertThat(errorReport.tag("unexpected")).as("injected errors must be 500s").isZero();
            assertThat(errorReport.tag("status500")).isPositive();
            assertThat(mixReport.socketErrors() + errorReport.socketErrors()).as(mixReport.output()).isZero();
            assertThat(serve.refused()).isEqualTo(broken);
            assertThat(serve.reconfigured()).isEqualTo(reloads - broken);
            // (the refused reloads say "[alert] reload refused": expected; any other alert is not)
            assertThat(serve.lines(l -> l.contains("[alert]") && !l.contains("reload refused")
                    || l.contains("failed inside resty4j") || l.contains("Exception"))).isEmpty();

            assertThat(after.heapAfterGcBytes()).as("heap after GC: %s -> %s", before, after)
                    .isLessThanOrEqualTo(before.heapAfterGcBytes() + Math.max(HEAP_SLACK_BYTES, before.heapAfterGcBytes() / 4));
            assertThat(after.threads()).as("threads: %s -> %s", before, after).isLessThanOrEqualTo(before.threads() + THREAD_SLACK);
            assertThat(after.fds()).as("fds: %s -> %s", before, after).isLessThanOrEqualTo(before.fds() + FD_SLACK);
        }
    }

    /**
     * What to request for a seed location: its path, plus what its seed expects of a client (the query of
     * the LRU cache example, a valid and a missing token for the JWT example).
     */
    static java.util.List<String> requestsFor(String path) throws Exception {
        if (path.startsWith(SeedMix.JS_PREFIX + "/")) {
            return requestsFor(path.substring(SeedMix.JS_PREFIX.length())).stream()
                    .map(r -> SeedMix.JS_PREFIX + r).toList();
        }
        return switch (path) {
            case "/user-info" -> java.util.List.of("/user-info?id=1", "/user-info?id=2", "/user-info?id=3");
            case "/api/protected/" -> java.util.List.of("/api/protected/x", "/api/protected/x Authorization: Bearer " + token());
            case "/api/" -> java.util.List.of("/api/x");
            default -> java.util.List.of(path);
        };
    }

    /** An HS256 token the JWT seed accepts. */
    static String token() throws Exception {
        org.jose4j.jwt.JwtClaims claims = new org.jose4j.jwt.JwtClaims();
        claims.setSubject("soak-user");
        claims.setClaim("role", "tester");
        claims.setExpirationTimeMinutesInTheFuture(24 * 60);
        org.jose4j.jws.JsonWebSignature jws = new org.jose4j.jws.JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(org.jose4j.jws.AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKey(new org.jose4j.keys.HmacKey(JWT_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return jws.getCompactSerialization();
    }

    /**
     * The last entries of the error log other than the expected ones (the injected script errors and the
     * cosocket read timeouts /soak/timeout makes): what an unexpected 5xx left there.
     */
    private static String tail(Path dir) throws Exception {
        Path log = dir.resolve("logs/error.log");
        if (!Files.exists(log)) {
            return "";
        }
        java.util.List<String> entries = new java.util.ArrayList<>();
        StringBuilder entry = null;
        for (String line : Files.readAllLines(log)) {
            if (line.matches("^\\d{4}/\\d{2}/\\d{2} .*") || entry == null) {
                if (entry != null) {
                    entries.add(entry.toString());
                }
                entry = new StringBuilder(line);
            } else {
                entry.append('\n').append(line); // a traceback's lines belong to the entry above them
            }
        }
        if (entry != null) {
            entries.add(entry.toString());
        }
        java.util.List<String> unexpected = entries.stream()
                .filter(e -> !e.contains("GET /soak/error ") && !e.contains("lua tcp socket read timed out"))
                .toList();
        return String.join("\n", unexpected.subList(Math.max(0, unexpected.size() - 30), unexpected.size()));
    }
}
