package dev.resty4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resty4j.Resty;
import dev.resty4j.config.ConfigLoader;
import dev.resty4j.core.engine.ScriptException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RestyServer#reload()} (what SIGHUP does): under concurrent load, with a broken config in between. */
class ReloadTest {

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    static String conf(int version) {
        return """
                worker_processes 2;
                http {
                    lua_shared_dict counters 1m;
                    init_worker_by_lua_block { cached = "v%1$d" }
                    server {
                        listen 127.0.0.1:0;
                        location = /v {
                            content_by_lua_block {
                                local n = ngx.shared.counters:incr("hits", 1, 0)
                                ngx.say(%1$d, " ", n, " ", cached)
                            }
                        }
                        location = /slow {
                            content_by_lua_block { ngx.sleep(0.5) ngx.say("slow v%1$d") }
                        }
                    }
                }
                """.formatted(version);
    }

    static HttpResponse<String> get(RestyServer s, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port(0) + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void reloadsTwentyTimesUnderLoadWithoutAFailedRequest() throws Exception {
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf(1));
        try (RestyServer server = RestyServer.start(file, "127.0.0.1:0", null, null, ConfigLoader.Options.strict())) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger ok = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            java.util.Set<Integer> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                clients.add(CompletableFuture.runAsync(() -> {
                    int lastVersion = 0;
                    // bounded: stops when told, or after 20,000 requests
                    for (int i = 0; i < 20_000 && !stop.get(); i++) {
                        try {
                            HttpResponse<String> r = get(server, "/v");
                            String[] parts = r.body().trim().split(" ");
                            int version = Integer.parseInt(parts[0]);
                            if (r.statusCode() != 200 || version < lastVersion || !parts[2].equals("v" + version)) {
                                failures.add(r.statusCode() + " " + r.body() + " after v" + lastVersion);
                            } else {
                                ok.incrementAndGet();
                                seen.add(version);
                            }
                            lastVersion = version;
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                }));
            }
            Resty first = server.resty();
            for (int v = 2; v <= 21; v++) {
                Thread.sleep(100);
                if (v == 11) {
                    // A broken config in the middle is refused; v10 keeps serving.
                    Files.writeString(file, conf(v).replace("ngx.say(", "ngx.say(("));
                    assertThatThrownBy(server::reload).isInstanceOf(ScriptException.class)
                            .hasMessageContaining("content_by_lua");
                    assertThat(server.generation()).isEqualTo(10);
                }
                Files.writeString(file, conf(v));
                server.reload();
            }
            Thread.sleep(100);
            stop.set(true);
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).join();

            assertThat(failures).isEmpty();
            // The load really ran across the reloads: the clients met many versions.
            assertThat(seen).hasSizeGreaterThan(10);
            System.out.println("reload test: " + ok.get() + " requests, versions seen " + seen);
            assertThat(server.generation()).isEqualTo(21);
            // The shared dict kept counting through all 20 reloads.
            assertThat(get(server, "/v").body()).isEqualTo("21 " + (ok.get() + 1) + " v21\n");
            // Retired versions are closed once idle.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!first.isClosed() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(first.isClosed()).isTrue();
            assertThat(server.resty().isClosed()).isFalse();
        }
    }

    @Test
    void inFlightRequestsFinishOnTheVersionTheyStartedOn() throws Exception {
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf(1));
        try (RestyServer server = RestyServer.start(file, "127.0.0.1:0", null, null, ConfigLoader.Options.strict())) {
            CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return get(server, "/slow");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            // Wait until the slow request is running on a worker of version 1.
            Resty v1 = server.resty();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (busyFibers(v1) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Files.writeString(file, conf(2));
            server.reload();
            assertThat(get(server, "/slow").body()).isEqualTo("slow v2\n");
            assertThat(slow.join().body()).isEqualTo("slow v1\n");
        }
    }

    private static int busyFibers(Resty r) {
        int n = 0;
        for (int i = 0; i < r.workerCount(); i++) {
            n += r.worker(i).activeFibers();
        }
        return n;
    }
}
