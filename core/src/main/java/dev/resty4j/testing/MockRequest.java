package dev.resty4j.testing;

import dev.resty4j.core.request.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One request to run through a {@link RestyTester}: what a client would send (method, target, headers,
 * body) and the connection it would come from. Start one with {@link RestyTester#request}, describe it,
 * then {@link #run()} it (or {@link #send()} it to run many at once).
 *
 * <p>As a real HTTP/1.1 client, it sends {@code Host} (the server block's name) unless you set one, and
 * {@code Content-Length} when it has a body. A builder: not thread-safe, but it may be run again.
 */
public final class MockRequest {

    private final RestyTester tester;
    // Package-private: RestyTester reads them when it runs the request.
    final String method;
    final String target;
    final Headers headers = new Headers(8);
    byte[] body;
    String remoteAddr = "127.0.0.1";
    int remotePort;
    String httpVersion = "1.1";
    boolean https;
    int server;
    Duration timeout;

    MockRequest(RestyTester tester, String method, String target, int server, Duration timeout) {
        if (method == null || method.isEmpty()) {
            throw new IllegalArgumentException("method must not be empty");
        }
        if (target == null || !target.startsWith("/")) {
            throw new IllegalArgumentException("target must be a path with an optional query (\"/t?a=1\"), got: " + target);
        }
        this.tester = tester;
        this.method = method;
        this.target = target;
        this.server = server;
        this.timeout = timeout;
    }

    /** Adds a request header (call again with the same name for several lines). */
    public MockRequest header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("header name must not be empty");
        }
        headers.add(name, value);
        return this;
    }

    /** The request body, sent as UTF-8. */
    public MockRequest body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    public MockRequest body(byte[] bytes) {
        this.body = bytes.clone();
        return this;
    }

    /** The client address ({@code $remote_addr}); default 127.0.0.1. */
    public MockRequest remoteAddr(String address) {
        this.remoteAddr = Objects.requireNonNull(address, "address");
        return this;
    }

    /** The client port ({@code $remote_port}); default 0. */
    public MockRequest remotePort(int port) {
        this.remotePort = port;
        return this;
    }

    /** {@code "1.0"}, {@code "1.1"} (default) or {@code "2.0"}. */
    public MockRequest httpVersion(String version) {
        if (!version.equals("1.0") && !version.equals("1.1") && !version.equals("2.0")) {
            throw new IllegalArgumentException("HTTP version must be 1.0, 1.1 or 2.0, got: " + version);
        }
        this.httpVersion = version;
        return this;
    }

    /** As if the request came over TLS ({@code $scheme} is https). */
    public MockRequest https(boolean on) {
        this.https = on;
        return this;
    }

    /** The server block to serve it (config order); default the tester's. */
    public MockRequest server(int index) {
        this.server = index;
        return this;
    }

    /** How long {@link #run()} waits before giving up; default the tester's. */
    public MockRequest timeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        this.timeout = timeout;
        return this;
    }

    /**
     * Runs the request through the phases and waits for it to finish, log phase included.
     *
     * @throws MockTimeoutException when it does not finish within the timeout
     */
    public MockResponse run() {
        try {
            return send().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * Starts the request and returns at once. The future completes when the request is over (log phase
     * included), or fails with {@link MockTimeoutException} after the timeout. Dependent stages run off the
     * worker, so they may start further requests.
     */
    public CompletableFuture<MockResponse> send() {
        return tester.send(this);
    }

    @Override
    public String toString() {
        return method + " " + target + " HTTP/" + httpVersion;
    }
}
