package dev.resty4j.http.client;

import dev.resty4j.spi.NativeHandle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One request sent on a {@link PooledConnection} and its response, read on demand: the response head
 * ({@link #head}) and then its body ({@link #body}). Several exchanges may be under way on one connection
 * (pipelining); their responses come back in order.
 */
public final class Exchange implements NativeHandle {

    /** What to send. Header names keep their case; {@code body} null means none (or a streamed one). */
    public record Request(String method, String uri, List<Map.Entry<String, String>> headers, Buffer body,
                          boolean streamBody) {}

    /** A response head, with its body to read. */
    public record Head(int status, String reason, HttpVersion version, List<Map.Entry<String, String>> headers,
                       BodyStream body, HttpClientResponse raw) {

        /** The first value of a header (case-insensitive), or null. */
        public String header(String name) {
            for (Map.Entry<String, String> h : headers) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue();
                }
            }
            return null;
        }
    }

    private final Vertx vertx;
    private final PooledConnection conn;
    private final String method;
    private final Promise<HttpClientRequest> request = Promise.promise();
    private final Promise<Head> head = Promise.promise();
    private final Promise<Void> sent = Promise.promise();
    /** With the read timeout started at send: the head, completed (on the event loop) after {@link #received} is set. */
    private final Promise<Head> ready;
    private volatile Head received;

    /**
     * Starts the exchange on the connection's event loop, where everything about it then happens, timers
     * included: Vert.x hands each event of a request started elsewhere to the caller's context, and each
     * such hand-off (or a timer set from a fiber) wakes an event loop up.
     *
     * @param readTimeoutMs when positive, the wait for the response head starts as soon as the request is
     *                      written (a cosocket's read right after its send); otherwise {@link #head} starts it
     */
    private Exchange(Vertx vertx, PooledConnection conn, Request r, long sendTimeoutMs, long readTimeoutMs) {
        this.vertx = vertx;
        this.conn = conn;
        this.method = r.method();
        this.ready = readTimeoutMs > 0 && !r.streamBody() ? Promise.promise() : null;
        io.vertx.core.Context ctx = conn.context;
        if (ctx == null || Loops.runningOn(ctx)) {
            start(r, sendTimeoutMs, readTimeoutMs);
        } else {
            ctx.runOnContext(v -> start(r, sendTimeoutMs, readTimeoutMs));
        }
    }

    private void start(Request r, long sendTimeoutMs, long readTimeoutMs) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> h : r.headers()) {
            headers.add(h.getKey(), h.getValue());
        }
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.valueOf(r.method())).setURI(r.uri())
                .setHeaders(headers).setFollowRedirects(false);
        conn.connection().request(o).onComplete(ar -> {
            if (ar.failed()) {
                fail(ar.cause());
                return;
            }
            HttpClientRequest req = ar.result();
            req.exceptionHandler(t -> { }); // failures surface through the futures
            // The response becomes a paused BodyStream as soon as its head arrives, before any body data:
            // so this is attached before the request goes out.
            req.response().onComplete(rr -> {
                if (rr.succeeded()) {
                    HttpClientResponse resp = rr.result();
                    head.tryComplete(new Head(resp.statusCode(), resp.statusMessage(), resp.version(),
                            entries(resp.headers()), new BodyStream(conn.pool.deadlines(), resp, hasBody(r.method(), resp)), resp));
                } else {
                    head.tryFail(rr.cause());
                }
            });
            request.complete(req);
            Future<Void> written;
            if (r.body() != null) {
                written = req.end(r.body());
            } else if (r.streamBody()) {
                if (req.headers().get("Content-Length") == null) {
                    req.setChunked(true);
                }
                written = req.sendHead();
            } else {
                written = req.end();
            }
            Timeouts.within(conn.pool.deadlines(), written, sendTimeoutMs, conn::close).onComplete(w -> {
                if (w.failed()) {
                    fail(w.cause());
                    return;
                }
                sent.tryComplete();
                if (ready != null) {
                    Timeouts.within(conn.pool.deadlines(), head.future(), readTimeoutMs, conn::close).onComplete(h -> {
                        if (h.succeeded()) {
                            received = h.result();
                            ready.tryComplete(h.result());
                        } else {
                            ready.tryFail(h.cause());
                        }
                    });
                }
            });
        });
    }

    private void fail(Throwable t) {
        request.tryFail(t);
        sent.tryFail(t);
        head.tryFail(t);
        if (ready != null) {
            ready.tryFail(t);
        }
    }

    /** Sends a request on the connection; the read timeout for its head starts with the first {@link #head} call. */
    public static Exchange send(Vertx vertx, PooledConnection conn, Request r, long sendTimeoutMs) {
        return new Exchange(vertx, conn, r, sendTimeoutMs, 0);
    }

    /** Sends a request and starts waiting for its response head as soon as it is written. */
    public static Exchange sendAndRead(Vertx vertx, PooledConnection conn, Request r, long sendTimeoutMs, long readTimeoutMs) {
        return new Exchange(vertx, conn, r, sendTimeoutMs, readTimeoutMs);
    }

    public PooledConnection connection() {
        return conn;
    }

    public String method() {
        return method;
    }

    /** Completes once the request (or, for a streamed body, its head) has been written. */
    public Future<Void> sent() {
        return sent.future();
    }

    /** Writes a chunk of a streamed request body. */
    public Future<Void> write(Buffer chunk, long sendTimeoutMs) {
        return Timeouts.within(conn.pool.deadlines(), request.future().compose(req -> req.write(chunk)), sendTimeoutMs, conn::close);
    }

    /** Ends a streamed request body. */
    public Future<Void> end(long sendTimeoutMs) {
        return Timeouts.within(conn.pool.deadlines(), request.future().compose(HttpClientRequest::end), sendTimeoutMs, conn::close);
    }

    /**
     * The response head, waiting at most {@code readTimeoutMs} for it (then the connection is closed); after
     * {@link #sendAndRead}, the wait that started when the request was written.
     */
    public Future<Head> head(long readTimeoutMs) {
        Head h = received;
        if (h != null) {
            return Future.succeededFuture(h);
        }
        if (ready != null) {
            return ready.future(); // nothing registered from the caller's thread: no event-loop hand-off
        }
        return sent.future().compose(v -> Timeouts.within(conn.pool.deadlines(), head.future(), readTimeoutMs, conn::close))
                .map(x -> {
                    received = x;
                    return x;
                });
    }

    /** The response head if it was read, else null. */
    public Head received() {
        return received;
    }

    /** True when no response body remains unread (or there is no response yet). */
    public boolean bodyDone() {
        Head h = received;
        return h == null ? head.future().isComplete() && head.future().failed() : h.body().finished();
    }

    /** Whether a response carries a body: not for HEAD, 1xx, 204 and 304 (lua-resty-http's rule). */
    public static boolean hasBody(String method, int status) {
        return !"HEAD".equals(method) && status != 204 && status != 304 && (status < 100 || status >= 200);
    }

    private static boolean hasBody(String method, HttpClientResponse resp) {
        return hasBody(method, resp.statusCode()) && !"0".equals(resp.getHeader("Content-Length"));
    }

    private static List<Map.Entry<String, String>> entries(MultiMap m) {
        List<Map.Entry<String, String>> out = new ArrayList<>(m.size());
        for (Map.Entry<String, String> e : m) {
            out.add(Map.entry(e.getKey(), e.getValue()));
        }
        return out;
    }
}
