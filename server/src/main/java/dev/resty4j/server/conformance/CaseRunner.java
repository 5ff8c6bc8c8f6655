package dev.resty4j.server.conformance;

import dev.resty4j.server.conformance.ConformanceCase.Exchange;
import dev.resty4j.server.conformance.ConformanceCase.Request;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs conformance cases, one fresh server instance per case:
 * <ol>
 *   <li>skip the case when a {@link SkipRules} rule applies;</li>
 *   <li>pick a free loopback port, generate {@code t/servroot/conf/nginx.conf} (plus html and
 *       Lua module files) in a per-case temp directory with {@link ConfigGenerator};</li>
 *   <li>{@link CaseServerFactory#start start} the server (a refusal fails the case with its
 *       message);</li>
 *   <li>send the request and then each followup, in order, with {@link RawHttpClient}, judging
 *       each response with {@link Judge} (a client timeout fails that exchange with
 *       {@code "timeout"});</li>
 *   <li>sleep {@code timing.wait_s}, then judge the error log;</li>
 *   <li>close the server and delete the temp directory.</li>
 * </ol>
 * {@link #run} never throws: anything going wrong becomes a failed result, so one broken case
 * never stops a run.
 */
public final class CaseRunner {

    private static final long LOG_GRACE_MS = 500;


    /**
     * Runner settings.
     *
     * @param clientTimeout default client timeout per request (a case's {@code client_timeout_s}
     *                      overrides it)
     * @param startTimeout  how long {@link CaseServerFactory#start} may take
     * @param closeTimeout  how long {@link CaseServer#close} may take before the runner moves on
     * @param keepDirs      keep the per-case directories (for debugging generated configs)
     * @param workRoot      where per-case directories are created; {@code null} for the system
     *                      temp directory
     */
    public record Options(Duration clientTimeout, Duration startTimeout, Duration closeTimeout, boolean keepDirs,
            Path workRoot) {

        /** 3 s client timeout (Test::Nginx's default), 30 s start, 10 s close. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(3), Duration.ofSeconds(30), Duration.ofSeconds(10), false, null);
        }

        public Options withClientTimeout(Duration d) {
            return new Options(d, startTimeout, closeTimeout, keepDirs, workRoot);
        }

        public Options withKeepDirs(boolean keep) {
            return new Options(clientTimeout, startTimeout, closeTimeout, keep, workRoot);
        }
    }

    private static final String HOST = "127.0.0.1";

    private final CaseServerFactory factory;
    private final Options options;
    private final ConfigGenerator generator = new ConfigGenerator();
    /** Runs start/close calls so that they can be bounded in time. */
    private final ExecutorService helper = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "conformance-helper");
        t.setDaemon(true);
        return t;
    });

    public CaseRunner(CaseServerFactory factory, Options options) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Runs {@code cases}, {@code parallel} at a time (1 = sequentially), and returns the results
     * in the order of {@code cases}. {@code listener} (may be {@code null}) sees each result as
     * soon as it is known; calls to it are serialized.
     */
    public List<CaseResult> runAll(List<ConformanceCase> cases, int parallel, Consumer<CaseResult> listener) {
        Consumer<CaseResult> notify = listener == null ? r -> { } : listener;
        List<CaseResult> results = new ArrayList<>(cases.size());
        if (parallel <= 1) {
            for (ConformanceCase c : cases) {
                CaseResult r = run(c);
                notify.accept(r);
                results.add(r);
            }
            return results;
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<CaseResult>> futures = new ArrayList<>();
            for (ConformanceCase c : cases) {
                futures.add(pool.submit(() -> {
                    CaseResult r = run(c);
                    synchronized (notify) {
                        notify.accept(r);
                    }
                    return r;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    results.add(futures.get(i).get());
                } catch (ExecutionException | InterruptedException e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    ConformanceCase c = cases.get(i);
                    results.add(new CaseResult(c.id(), c.area(), CaseResult.Outcome.FAILED,
                            "runner error: " + describe(e), 0));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return results;
    }

    /** Runs one case; never throws. */
    public CaseResult run(ConformanceCase c) {
        long t0 = System.nanoTime();
        CaseResult.Outcome outcome;
        String reason;
        try {
            Optional<String> skip = SkipRules.skipReason(c);
            if (skip.isPresent()) {
                outcome = CaseResult.Outcome.SKIPPED;
                reason = skip.get();
            } else {
                List<String> failures = execute(c);
                outcome = failures.isEmpty() ? CaseResult.Outcome.PASSED : CaseResult.Outcome.FAILED;
                reason = failures.isEmpty() ? null : String.join("; ", failures);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = CaseResult.Outcome.FAILED;
            reason = "interrupted";
        } catch (Throwable e) { // deliberately broad: one broken case must not stop the run
            outcome = CaseResult.Outcome.FAILED;
            reason = "runner error: " + describe(e);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        return new CaseResult(c.id(), c.area(), outcome, reason, ms);
    }

    /** Runs a case that is not skipped; returns its failure reasons. */
    private List<String> execute(ConformanceCase c) throws IOException, InterruptedException {
        Path work = options.workRoot() == null
                ? Files.createTempDirectory("resty4j-case-")
                : Files.createTempDirectory(Files.createDirectories(options.workRoot()), "case-");
        try {
            int port = freePort();
            ConfigGenerator.CaseFiles files = generator.write(c, port, work.resolve("t").resolve("servroot"));
            CaseServer server;
            try {
                server = start(files.confFile(), port);
            } catch (Exception e) {
                return List.of("server start failed: " + describe(e));
            }
            try {
                return exercise(c, server, new TestEnv(port, files.htmlDir()));
            } finally {
                close(server);
            }
        } finally {
            if (!options.keepDirs()) {
                deleteTree(work);
            }
        }
    }

    /** Sends every request, judges the responses, waits and judges the log. */
    private List<String> exercise(ConformanceCase c, CaseServer server, TestEnv env) throws InterruptedException {
        List<String> failures = new ArrayList<>();
        Duration timeout = c.timing().clientTimeoutS() != null
                ? Duration.ofMillis(Math.round(c.timing().clientTimeoutS() * 1000))
                : options.clientTimeout();
        List<Exchange> exchanges = c.exchanges();
        for (int i = 0; i < exchanges.size(); i++) {
            String label = i == 0 ? "" : "followup[" + i + "] ";
            Exchange ex = exchanges.get(i);
            HttpResult r;
            try {
                r = RawHttpClient.send(HOST, env.port(), substitute(env, ex.request()), timeout);
            } catch (SocketTimeoutException e) {
                failures.add(label + "timeout");
                continue;
            } catch (IOException e) {
                failures.add(label + "request failed: " + describe(e));
                continue;
            }
            for (String f : Judge.judgeResponse(ex.expect(), r, c.nginxSpecific())) {
                failures.add(label + f);
            }
        }
        if (c.timing().waitS() != null && c.timing().waitS() > 0) {
            Thread.sleep(Math.round(c.timing().waitS() * 1000));
        }
        try {
            // The log phase runs after the response went out, so its lines may trail the response a little:
            // give expected lines up to LOG_GRACE_MS to appear (Test::Nginx reads the log after the server
            // finished the request, which amounts to the same).
            List<String> logFailures = Judge.judgeLog(c.expectLog(), server.logLines());
            long deadline = System.nanoTime() + LOG_GRACE_MS * 1_000_000L;
            while (!logFailures.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                logFailures = Judge.judgeLog(c.expectLog(), server.logLines());
            }
            failures.addAll(logFailures);
        } catch (RuntimeException e) {
            failures.add("reading the error log failed: " + describe(e));
        }
        return failures;
    }

    /** Starts the server within {@link Options#startTimeout}; a late server is closed when it arrives. */
    private CaseServer start(Path conf, int port) throws Exception {
        CompletableFuture<CaseServer> f = CompletableFuture.supplyAsync(() -> {
            try {
                return factory.start(conf, port);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new StartException(e);
            }
        }, helper);
        try {
            CaseServer s = f.get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (s == null) {
                throw new IllegalStateException("factory returned no server");
            }
            return s;
        } catch (TimeoutException e) {
            f.thenAccept(s -> close(s));
            throw new TimeoutException("did not start within " + options.startTimeout().toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof StartException se ? se.getCause() : e.getCause();
            throw cause instanceof Exception ex ? ex : new RuntimeException(cause);
        }
    }

    /** Closes the server within {@link Options#closeTimeout}; errors on close do not fail a case. */
    private void close(CaseServer server) {
        if (server == null) {
            return;
        }
        try {
            CompletableFuture.runAsync(server::close, helper)
                    .get(options.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The case result is already decided; a server that does not close cleanly is the
            // server's problem, and the next case gets a new port anyway.
        }
    }

    /** The request with {@code $TEST_NGINX_*} placeholders substituted in URI, headers and body. */
    static Request substitute(TestEnv env, Request r) {
        Map<String, String> headers = new LinkedHashMap<>();
        r.headers().forEach((k, v) -> headers.put(k, env.substitute(v)));
        return new Request(r.method(), env.substitute(r.uri()), headers, env.substitute(r.body()), r.bodyBase64(),
                r.httpVersion(), r.raw());
    }

    /** A currently free port on the loopback interface. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // leftover temp files are harmless
        }
    }

    /** {@code message} or the exception class when there is none. */
    static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof StartException) && t.getCause() != null) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
    }

    /** Carries a checked exception out of {@link CompletableFuture#supplyAsync}. */
    private static final class StartException extends RuntimeException {
        StartException(Exception cause) {
            super(cause);
        }
    }
}
