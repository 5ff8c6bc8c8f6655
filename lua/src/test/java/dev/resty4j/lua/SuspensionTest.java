package dev.resty4j.lua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.resty4j.Resty;
import dev.resty4j.SharedDict;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import dev.resty4j.testsupport.OneLoopHttpClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * 10,000 requests suspended in {@code ngx.sleep} at the same time cost no platform threads: each waits
 * as a parked virtual thread, as each would wait in nginx as a suspended Lua coroutine. The test holds
 * them all suspended at once, samples the JVM's platform-thread count ({@code ThreadMXBean} counts platform
 * threads only, which is the point: virtual threads are heap objects), then lets them finish and checks
 * every response. Once over real sockets, once in-process through {@link RestyTester}.
 *
 * <p>To have all 10,000 suspended <em>at once</em> without relying on timing (opening 10,000 connections
 * takes longer than one 0.5 s sleep), the script sleeps in 0.5 s steps until the test opens a gate, a
 * shared-dict flag, after counting itself in. No assertion is about time.
 */
class SuspensionTest {

    private static final int REQUESTS = 10_000;
    /** Platform threads the JVM may add while they are suspended: a constant, nowhere near one per request. */
    private static final int MAX_THREAD_GROWTH = 50;
    /** Liveness bound only (a hang fails instead of blocking the build); nothing asserts speed. */
    private static final long DEADLINE_MS = TimeUnit.MINUTES.toMillis(3);

    private static Resty.Builder config() {
        return Resty.builder().sharedDict("state", "1m")
                .location("/s", l -> l.contentByLua("""
                        local state = ngx.shared.state
                        state:incr('suspended', 1, 0)
                        repeat ngx.sleep(0.5) until state:get('release')
                        ngx.say(ngx.var.arg_i)
                        """))
                .location("/warm", l -> l.contentByLua("ngx.sleep(0.01) ngx.say('warm')"));
    }

    /**
     * Over real sockets: a Vert.x server in this JVM, and a Vert.x client opening 10,000 connections at once
     * in a child JVM. The client lives in another process because the file-descriptor limit here (20,000,
     * and the hard limit cannot be raised without CAP_SYS_RESOURCE) does not hold both ends of 10,000
     * loopback connections in one process; one end per process fits.
     */
    @Test
    void tenThousandSuspendedRequestsOverSockets() throws Exception {
        long needed = REQUESTS + 2_000L; // the server's end of every connection, plus the JVM's own files
        long limit = ensureFileDescriptors(needed);
        Assumptions.assumeTrue(limit >= needed, "this JVM may open " + limit + " files but the test needs " + needed
                + " (and the limit could not be raised); tenThousandSuspendedScriptsInProcess covers the suspension");
        Assumptions.assumeTrue(ephemeralPorts() >= REQUESTS + 1_000, "not enough ephemeral ports for "
                + REQUESTS + " loopback connections");

        Path clientLog = Files.createTempFile("resty4j-suspension-client", ".log");
        try (Resty resty = config().build()) {
            HttpServer server = resty.vertx()
                    .createHttpServer(new HttpServerOptions().setAcceptBacklog(REQUESTS))
                    .requestHandler(resty.handler())
                    .listen(0, "127.0.0.1").await();
            Process client = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-cp", System.getProperty("java.class.path"), LoadClient.class.getName(),
                    Integer.toString(server.actualPort()), Integer.toString(REQUESTS), Long.toString(DEADLINE_MS))
                    .redirectErrorStream(true).redirectOutput(clientLog.toFile()).start();
            try {
                // The client warms the server up (event loops, carrier threads, timers), then waits for "go".
                awaitCondition(() -> read(clientLog).contains(LoadClient.READY) || !client.isAlive(),
                        () -> "client not ready: " + read(clientLog));
                assertThat(client.isAlive()).as("client: %s", read(clientLog)).isTrue();

                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                int before = threads.getThreadCount();
                threads.resetPeakThreadCount();
                client.getOutputStream().write("go\n".getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();

                SharedDict state = resty.sharedDict("state");
                awaitCondition(() -> suspended(state) >= REQUESTS || !client.isAlive(),
                        () -> "suspended " + suspended(state) + " of " + REQUESTS + "; client: " + read(clientLog));
                assertThat(suspended(state)).as("client: %s", read(clientLog)).isEqualTo(REQUESTS);

                // All 10,000 scripts are inside ngx.sleep now, each holding its connection: none can pass the gate.
                int during = threads.getThreadCount();
                int peak = threads.getPeakThreadCount();
                System.out.printf("sockets: platform threads before %d, with %d suspended %d, peak %d, open fds %d%n",
                        before, REQUESTS, during, peak, openFileDescriptors());

                state.set("release", Boolean.TRUE, 0, 0);
                assertThat(client.waitFor(DEADLINE_MS, TimeUnit.MILLISECONDS)).as("client finished").isTrue();
                String out = read(clientLog);
                assertThat(client.exitValue()).as("client: %s", out).isZero();
                // The client checked every response: status 200 and body "<i>\n" for request i.
                assertThat(out).contains("RESULT ok=" + REQUESTS + " failed=0");
                assertThat(peak - before).as("platform threads added while %d requests were suspended", REQUESTS)
                        .isLessThan(MAX_THREAD_GROWTH);
            } finally {
                client.destroyForcibly();
                server.close().await();
            }
        } finally {
            Files.deleteIfExists(clientLog);
        }
    }

    /**
     * The client side of {@link #tenThousandSuspendedRequestsOverSockets}, run in its own JVM: warms the
     * server up, prints {@link #READY}, waits for a line on stdin, then sends all requests at once over a
     * pool allowed one connection per request (HTTP/1.1, no pipelining), checks every response and prints
     * {@code RESULT ok=N failed=M}.
     */
    public static final class LoadClient {
        static final String READY = "READY";

        public static void main(String[] args) throws Exception {
            int port = Integer.parseInt(args[0]);
            int count = Integer.parseInt(args[1]);
            long deadlineMs = Long.parseLong(args[2]);
            Vertx vertx = Vertx.vertx();
            // one loop: the warm-up's connections are reused by the later requests (OneLoopHttpClient says why)
            OneLoopHttpClient client = new OneLoopHttpClient(vertx,
                    new HttpClientOptions().setConnectTimeout((int) deadlineMs),
                    new PoolOptions().setHttp1MaxSize(count).setMaxWaitQueueSize(-1));
            List<Future<String>> warm = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                warm.add(get(client, port, "/warm"));
            }
            Future.all(warm).await(deadlineMs, TimeUnit.MILLISECONDS);
            System.out.println(READY);
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();

            List<Future<String>> responses = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                responses.add(get(client, port, "/s?i=" + i));
            }
            // Wait for all to settle, failed or not, then check each.
            Future.join(responses).recover(e -> Future.succeededFuture()).await(deadlineMs, TimeUnit.MILLISECONDS);
            int ok = 0;
            String firstFailure = "none";
            for (int i = 0; i < count; i++) {
                Future<String> f = responses.get(i);
                String expected = "200 " + i + "\n";
                if (f.succeeded() && expected.equals(f.result())) {
                    ok++;
                } else if ("none".equals(firstFailure)) {
                    firstFailure = "request " + i + ": " + (f.succeeded() ? "got " + f.result() : String.valueOf(f.cause()));
                }
            }
            System.out.println("RESULT ok=" + ok + " failed=" + (count - ok) + " first=" + firstFailure);
            System.out.flush();
            client.close();
            vertx.close().await();
            System.exit(ok == count ? 0 : 1);
        }
    }

    /** The same without sockets, through the in-process tester: runs wherever the file limit is low. */
    @Test
    void tenThousandSuspendedScriptsInProcess() throws Exception {
        try (RestyTester t = RestyTester.builder(config()).timeout(Duration.ofMillis(DEADLINE_MS)).build()) {
            List<CompletableFuture<MockResponse>> warm = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                warm.add(t.get("/warm").send());
            }
            CompletableFuture.allOf(warm.toArray(CompletableFuture[]::new)).join();

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            int before = threads.getThreadCount();
            threads.resetPeakThreadCount();

            List<CompletableFuture<MockResponse>> responses = new ArrayList<>(REQUESTS);
            for (int i = 0; i < REQUESTS; i++) {
                responses.add(t.get("/s?i=" + i).send());
            }
            SharedDict state = t.sharedDict("state");
            awaitCondition(() -> suspended(state) >= REQUESTS, () -> "suspended " + suspended(state) + " of " + REQUESTS);

            int during = threads.getThreadCount();
            int peak = threads.getPeakThreadCount();
            System.out.printf("in-process: platform threads before %d, with %d suspended %d, peak %d%n",
                    before, REQUESTS, during, peak);

            state.set("release", Boolean.TRUE, 0, 0);
            for (int i = 0; i < REQUESTS; i++) {
                MockResponse r = responses.get(i).join();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo(i + "\n");
            }
            assertThat(peak - before).as("platform threads added while %d scripts were suspended", REQUESTS)
                    .isLessThan(MAX_THREAD_GROWTH);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Future<String> get(OneLoopHttpClient client, int port, String uri) {
        return client.call(c -> c.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI(uri))
                .compose(req -> req.send())
                .compose(resp -> resp.body().map(b -> resp.statusCode() + " " + b.toString(StandardCharsets.UTF_8))));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static long suspended(SharedDict state) {
        SharedDict.Entry e = state.get("suspended");
        return e == null ? 0 : ((Double) e.value()).longValue();
    }

    private static void awaitCondition(BooleanSupplier condition, Supplier<String> progress)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("gave up waiting: " + progress.get());
            }
            Thread.sleep(50);
        }
    }

    /**
     * The JVM's open-file limit, raised to {@code needed} if it is lower and the environment allows it
     * ({@code prlimit} on this very process: it works within the hard limit, or above it with the
     * privilege to raise that). Only this test JVM is affected.
     */
    private static long ensureFileDescriptors(long needed) {
        long limit = maxFileDescriptors();
        if (limit >= needed || limit < 0) {
            return limit;
        }
        try {
            Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(ProcessHandle.current().pid()),
                    "--nofile=" + needed + ":" + needed).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                System.out.println("could not raise the open-file limit to " + needed + ": " + out);
            }
        } catch (Exception e) {
            System.out.println("could not raise the open-file limit to " + needed + ": " + e);
        }
        return maxFileDescriptors();
    }

    private static long maxFileDescriptors() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            return os.getMaxFileDescriptorCount();
        }
        return -1;
    }

    private static long openFileDescriptors() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            return os.getOpenFileDescriptorCount();
        }
        return -1;
    }

    /** Size of Linux's ephemeral port range (client ports for loopback connections); large elsewhere. */
    private static int ephemeralPorts() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            return Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        } catch (Exception e) {
            return Integer.MAX_VALUE;
        }
    }
}
