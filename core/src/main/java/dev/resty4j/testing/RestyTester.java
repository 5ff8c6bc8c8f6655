package dev.resty4j.testing;

import dev.resty4j.Resty;
import dev.resty4j.SharedDict;
import dev.resty4j.core.ServerConfig;
import dev.resty4j.core.engine.ScriptException;
import dev.resty4j.core.log.LogRecord;
import dev.resty4j.core.request.Headers;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.request.RequestFactory;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs requests through a {@link Resty} in-process, without a server or sockets: resty4j's counterpart
 * of Test::Nginx, for unit tests of scripts.
 *
 * <pre>{@code
 * try (RestyTester t = RestyTester.builder(Resty.builder()
 *             .sharedDict("dogs", "1m")
 *             .location("/t", l -> l.contentByLua("ngx.shared.dogs:set('k', ngx.var.arg_a, 10) ngx.say('ok')")))
 *         .withFakeClock()
 *         .build()) {
 *     MockResponse r = t.request("GET", "/t?a=1").header("X-Foo", "bar").run();
 *     assertThat(r.status()).isEqualTo(200);
 *     assertThat(r.body()).isEqualTo("ok\n");
 *     assertThat(t.sharedDict("dogs").get("k").value()).isEqualTo("1");
 *     t.clock().advance(Duration.ofSeconds(11));
 *     assertThat(t.sharedDict("dogs").get("k")).isNull();
 * }
 * }</pre>
 *
 * <p>A request goes the way it goes in the Vert.x host (the same {@link RequestFactory} builds its context,
 * the same 413 refusal applies to a body over {@code client_max_body_size}) and then through the same
 * phases on the same workers; only the wire is missing. {@link MockRequest#run()} waits until the request
 * is over, log phase included, so its {@link MockResponse#logs()} are complete.
 *
 * <p>The tester captures the error log from the moment it is created ({@link #logs()}); when it builds the
 * instance itself, that includes what {@code init_by_lua} and {@code init_worker_by_lua} logged. The
 * instance's log level ({@code Resty.Builder#logLevel}, default error) decides what is logged.
 *
 * <p>Thread-safe: requests may run concurrently ({@link MockRequest#send()}).
 */
public final class RestyTester implements AutoCloseable {

    /** How long {@link MockRequest#run()} waits unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Completes response futures off the worker fiber: stages a test chains on {@link MockRequest#send()}
     * must not run while the fiber still holds its worker (a blocking {@code run()} there could deadlock).
     */
    private static final ThreadFactory COMPLETERS = Thread.ofVirtual().name("resty4j-tester-", 0).factory();
    private static final Executor COMPLETER = task -> COMPLETERS.newThread(task).start();

    private final Resty resty;
    private final boolean ownsResty;
    private final FakeClock clock;
    private final Duration timeout;
    private final int defaultServer;
    private final RequestFactory[] factories;
    private final LogCapture logs;

    private RestyTester(Resty resty, boolean ownsResty, FakeClock clock, Duration timeout, int defaultServer,
                        LogCapture logs) {
        this.resty = resty;
        this.ownsResty = ownsResty;
        this.clock = clock;
        this.timeout = timeout;
        this.defaultServer = defaultServer;
        this.logs = logs;
        List<ServerConfig> servers = resty.servers();
        this.factories = new RequestFactory[servers.size()];
        for (int i = 0; i < factories.length; i++) {
            factories[i] = new RequestFactory(resty, servers.get(i));
        }
    }

    /**
     * A tester for an instance built elsewhere. It captures the log from now on; {@link #close()} stops
     * that but leaves the instance open (whoever built it closes it).
     */
    public static RestyTester of(Resty resty) {
        return builder(resty).buildFor(resty);
    }

    /** Builds the instance (capturing its log from the start) and a tester that closes it on {@link #close()}. */
    public static RestyTester of(Resty.Builder builder) throws ScriptException {
        return builder(builder).build();
    }

    /** Options for a tester that builds (and owns) the instance: a fake clock, the default timeout. */
    public static Builder builder(Resty.Builder builder) {
        return new Builder(Objects.requireNonNull(builder, "builder"), null);
    }

    /** Options for a tester of an instance built elsewhere. */
    public static Builder builder(Resty resty) {
        return new Builder(null, Objects.requireNonNull(resty, "resty"));
    }

    // ------------------------------------------------------------------ requests

    /** Starts describing a request: {@code request("GET", "/t?a=1")}. The target is sent as is (not encoded). */
    public MockRequest request(String method, String target) {
        return new MockRequest(this, method, target, defaultServer, timeout);
    }

    /** {@code request("GET", target)}. */
    public MockRequest get(String target) {
        return request("GET", target);
    }

    /** Runs one request; see {@link MockRequest#send()}. */
    CompletableFuture<MockResponse> send(MockRequest r) {
        if (r.server < 0 || r.server >= factories.length) {
            throw new IllegalArgumentException("no server block " + r.server + " (the instance has " + factories.length + ")");
        }
        if (resty.isClosed()) {
            throw new IllegalStateException("the Resty instance is closed");
        }
        RequestFactory factory = factories[r.server];
        ServerConfig server = factory.server();
        RequestContext req = factory.create(r.method, r.target, r.httpVersion, clientHeaders(r, server), r.https);
        req.remoteAddr(r.remoteAddr);
        req.remotePort(r.remotePort);
        req.serverAddr("127.0.0.1");
        req.serverPort(server.listenPort());
        MockSink sink = new MockSink(r.httpVersion);
        req.sink(sink);
        long id = req.id();
        logs.track(id); // before anything can log for the request

        CompletableFuture<MockResponse> done = new CompletableFuture<>();
        Runnable whenDone = () -> COMPLETER.execute(() -> {
            List<LogRecord> mine = logs.untrack(id);
            if (sink.complete()) {
                done.complete(sink.toResponse(id, mine));
            } else {
                done.completeExceptionally(new IllegalStateException(
                        "request " + r + " (*" + id + ") finished without ending its response: " + sink.progress()));
            }
        });
        if (r.body != null) {
            if (factory.bodyTooLarge(req, r.body.length, false)) {
                // Refused before the phases, as the Vert.x host does from Content-Length.
                sink.reject(413);
                whenDone.run();
                return done;
            }
            req.body(r.body);
        }
        factory.dispatch(req, whenDone);

        Duration limit = r.timeout;
        return done.orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof TimeoutException) {
                logs.untrack(id);
                cause = new MockTimeoutException("request " + r + " (*" + id + ") did not finish within " + limit
                        + ": " + sink.progress());
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    /** The headers as a real client would send them: the test's own, plus Host and Content-Length. */
    private static Headers clientHeaders(MockRequest r, ServerConfig server) {
        Headers h = r.headers.copy();
        if (!h.contains("Host") && !r.httpVersion.equals("1.0")) {
            h.add("Host", server.serverName());
        }
        if (r.body != null && !h.contains("Content-Length") && !h.contains("Transfer-Encoding")) {
            h.add("Content-Length", Integer.toString(r.body.length));
        }
        return h;
    }

    // ------------------------------------------------------------------ state

    /** The instance under test. */
    public Resty resty() {
        return resty;
    }

    /** A shared dict of the instance ({@code lua_shared_dict}); fails for an undeclared name. */
    public SharedDict sharedDict(String name) {
        SharedDict d = resty.sharedDict(name);
        if (d == null) {
            throw new IllegalArgumentException("no shared dict '" + name + "'; declared: " + resty.sharedDicts().keySet());
        }
        return d;
    }

    /** Every error-log record captured so far (requests, init, timers), in order. */
    public List<LogRecord> logs() {
        return logs.all();
    }

    /** Forgets the records {@link #logs()} returns (responses keep their own). */
    public void clearLogs() {
        logs.clear();
    }

    /**
     * The fake clock the instance reads time from.
     *
     * @throws IllegalStateException when the tester was made without one ({@link Builder#withFakeClock()})
     */
    public FakeClock clock() {
        if (clock == null) {
            throw new IllegalStateException("this tester has no fake clock: make it with RestyTester.builder(...).withFakeClock()");
        }
        return clock;
    }

    /** Closes the instance if the tester built it; otherwise stops capturing its log. */
    @Override
    public void close() {
        if (ownsResty) {
            resty.close();
        } else {
            resty.logger().removeSink(logs);
        }
    }

    /** Options of a {@link RestyTester}. */
    public static final class Builder {
        private final Resty.Builder restyBuilder;
        private final Resty resty;
        private FakeClock clock;
        private boolean fakeClock;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int server;

        private Builder(Resty.Builder restyBuilder, Resty resty) {
            this.restyBuilder = restyBuilder;
            this.resty = resty;
        }

        /**
         * Makes the instance read time from a new {@link FakeClock} (at {@link FakeClock#DEFAULT_START}),
         * reachable as {@link RestyTester#clock()}. Only when the tester builds the instance: a built one
         * keeps its clock.
         */
        public Builder withFakeClock() {
            this.fakeClock = true;
            this.clock = null;
            return this;
        }

        /**
         * Uses this fake clock. When the tester builds the instance it installs it; for an instance built
         * elsewhere it must be the clock given to {@code Resty.Builder#clock} (checked as far as possible).
         */
        public Builder withFakeClock(FakeClock clock) {
            this.fakeClock = true;
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long a request may take before {@link MockRequest#run()} gives up; default 10 s. */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** The server block requests go to unless they say otherwise (config order); default 0. */
        public Builder server(int index) {
            if (index < 0) {
                throw new IllegalArgumentException("server index must be >= 0");
            }
            this.server = index;
            return this;
        }

        /**
         * Creates the tester, building the instance first when it was given a {@code Resty.Builder} (that
         * builder then gets the tester's log sink and, if asked for, the fake clock).
         *
         * @throws ScriptException when building the instance fails (a script does not compile)
         */
        public RestyTester build() throws ScriptException {
            if (resty != null) {
                return buildFor(resty);
            }
            FakeClock c = fakeClock ? (clock != null ? clock : FakeClock.create()) : null;
            if (c != null) {
                restyBuilder.clock(c);
            }
            LogCapture capture = new LogCapture();
            restyBuilder.logSink(capture);
            Resty built = restyBuilder.build();
            return create(built, true, c, capture);
        }

        private RestyTester buildFor(Resty existing) {
            if (fakeClock && clock == null) {
                throw new IllegalStateException("the clock of a built Resty cannot be replaced: create a FakeClock, "
                        + "give it to Resty.builder().clock(...) and to withFakeClock(clock)");
            }
            // A fake clock stands still, so the instance reading it reads exactly its time.
            if (clock != null && existing.currentTimeMillis() != clock.millis()) {
                throw new IllegalArgumentException("this Resty does not read time from the given FakeClock "
                        + "(pass it to Resty.builder().clock(...))");
            }
            LogCapture capture = new LogCapture();
            existing.logger().addSink(capture);
            return create(existing, false, clock, capture);
        }

        private RestyTester create(Resty r, boolean owns, FakeClock c, LogCapture capture) {
            if (server >= r.servers().size()) {
                if (owns) {
                    r.close();
                }
                throw new IllegalArgumentException("no server block " + server + " (the instance has " + r.servers().size() + ")");
            }
            return new RestyTester(r, owns, c, timeout, server, capture);
        }
    }
}
