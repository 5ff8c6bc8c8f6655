package dev.resty4j.http.client;

import dev.resty4j.spi.NativeHandle;
import io.vertx.core.Future;
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
    private final Future<HttpClientRequest> request;
    private final Future<Head> head;
    private final Future<Void> sent;
    private volatile Head received;

    private Exchange(Vertx vertx, PooledConnection conn, Request r, long sendTimeoutMs) {
        this.vertx = vertx;
        this.conn = conn;
        this.method = r.method();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> h : r.headers()) {
            headers.add(h.getKey(), h.getValue());
        }
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.valueOf(r.method())).setURI(r.uri())
                .setHeaders(headers).setFollowRedirects(false);
        this.request = conn.connection().request(o);
        // The response must be mapped to a paused BodyStream on the event loop as soon as its head arrives,
        // before any body data does: so the mapping is attached now, before the request goes out.
        this.head = request.compose(req -> {
            req.exceptionHandler(t -> { }); // failures surface through the futures
            return req.response().map(resp -> new Head(resp.statusCode(), resp.statusMessage(), resp.version(),
                    entries(resp.headers()), new BodyStream(vertx, resp, hasBody(r.method(), resp)), resp));
        });
        Future<Void> written = request.compose(req -> {
            if (r.body() != null) {
                return req.end(r.body());
            }
            if (r.streamBody()) {
                if (req.headers().get("Content-Length") == null) {
                    req.setChunked(true);
                }
                return req.sendHead();
            }
            return req.end();
        });
        this.sent = Timeouts.within(vertx, written, sendTimeoutMs, conn::close);
    }

    /** Sends a request on the connection; see {@link #sent()} for when it is written. */
    public static Exchange send(Vertx vertx, PooledConnection conn, Request r, long sendTimeoutMs) {
        return new Exchange(vertx, conn, r, sendTimeoutMs);
    }

    public PooledConnection connection() {
        return conn;
    }

    public String method() {
        return method;
    }

    /** Completes once the request (or, for a streamed body, its head) has been written. */
    public Future<Void> sent() {
        return sent;
    }

    /** Writes a chunk of a streamed request body. */
    public Future<Void> write(Buffer chunk, long sendTimeoutMs) {
        return Timeouts.within(vertx, request.compose(req -> req.write(chunk)), sendTimeoutMs, conn::close);
    }

    /** Ends a streamed request body. */
    public Future<Void> end(long sendTimeoutMs) {
        return Timeouts.within(vertx, request.compose(HttpClientRequest::end), sendTimeoutMs, conn::close);
    }

    /** The response head, waiting at most {@code readTimeoutMs} for it (then the connection is closed). */
    public Future<Head> head(long readTimeoutMs) {
        Head h = received;
        if (h != null) {
            return Future.succeededFuture(h);
        }
        return Timeouts.within(vertx, head, readTimeoutMs, conn::close).onSuccess(x -> received = x);
    }

    /** The response head if it was read, else null. */
    public Head received() {
        return received;
    }

    /** True when no response body remains unread (or there is no response yet). */
    public boolean bodyDone() {
        Head h = received;
        return h == null ? head.isComplete() && head.failed() : h.body().finished();
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
