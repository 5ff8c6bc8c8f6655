package dev.resty4j.host.vertx;

import dev.resty4j.Resty;
import dev.resty4j.core.ServerConfig;
import dev.resty4j.core.request.Headers;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.request.RequestFactory;
import dev.resty4j.core.request.ResponseSink;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The Vert.x host: a {@code Handler<HttpServerRequest>} that runs resty4j's phases for each request.
 * What is not Vert.x-specific (building the request context, the body-size check, dispatch) lives in
 * {@link RequestFactory}, shared with the in-process test host.
 *
 * <p>On the event loop it only copies the request line and headers and reads the body (refusing one over
 * {@code client_max_body_size} with 413 from its {@code Content-Length}, as nginx does, or as soon as a
 * chunked body passes the limit); the phases then run on a worker fiber, never on the event loop. The
 * response is written back through {@link HttpServerResponse}, which is safe to call from the fiber.
 */
public final class VertxHost implements Handler<HttpServerRequest> {

    private final RequestFactory requests;

    /** Dispatches an already prepared request (its body known) to a worker. */
    void dispatch(RequestContext req) {
        requests.dispatch(req);
    }

    public VertxHost(Resty resty, ServerConfig server) {
        this.requests = new RequestFactory(resty, server);
    }

    /** A host over any request factory (e.g. one following a {@link dev.resty4j.ReloadableResty}). */
    public VertxHost(RequestFactory requests) {
        this.requests = requests;
    }

    @Override
    public void handle(HttpServerRequest request) {
        receiveAndDispatch(request, prepare(request), null);
    }

    /** Builds the request context of a Vert.x request (line, headers, addresses, response sink). */
    RequestContext prepare(HttpServerRequest request) {
        MultiMap in = request.headers();
        // not in.size(): Vert.x counts the distinct names in a TreeSet (0.6 % of a Redis-limit request's CPU)
        Headers headers = new Headers();
        for (Map.Entry<String, String> e : in) {
            headers.add(e.getKey(), e.getValue());
        }
        RequestContext req = requests.create(request.method().name(), request.uri(), version(request.version()),
                headers, request.isSSL());
        SocketAddress remote = request.remoteAddress();
        if (remote != null) {
            req.remoteAddr(remote.hostAddress());
            req.remotePort(remote.port());
        }
        SocketAddress local = request.localAddress();
        if (local != null) {
            req.serverAddr(local.hostAddress());
            req.serverPort(local.port());
        }
        req.sink(new VertxSink(request));
        return req;
    }

    /**
     * Reads the body (bounded by client_max_body_size) and dispatches the request to a worker.
     *
     * @param bodyListener told the body once it is complete (the Router host hands it to Vert.x Web), or null
     */
    void receiveAndDispatch(HttpServerRequest request, RequestContext req, java.util.function.Consumer<Buffer> bodyListener) {
        String cl = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean chunked = "chunked".equalsIgnoreCase(request.getHeader(HttpHeaders.TRANSFER_ENCODING));
        if (cl == null && !chunked) {
            requests.dispatch(req);
            return;
        }
        long declared = parseLength(cl);
        if (requests.bodyTooLarge(req, declared, false)) {
            reject(request, 413);
            return;
        }
        if (declared == 0) {
            req.body(new byte[0]);
            requests.dispatch(req);
            return;
        }
        Buffer body = Buffer.buffer(declared > 0 ? (int) Math.min(declared, 1 << 20) : 1024);
        long max = requests.maxBodySize(req); // looked up once, not per chunk
        long[] received = {0};
        boolean[] rejected = {false};
        request.handler(chunk -> {
            if (rejected[0]) {
                return;
            }
            received[0] += chunk.length();
            // A chunked body has no declared length: refuse it as soon as it passes the limit.
            if (max > 0 && received[0] > max && requests.bodyTooLarge(req, received[0], true)) {
                rejected[0] = true;
                reject(request, 413);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(t -> rejected[0] = true);
        request.endHandler(v -> {
            if (rejected[0]) {
                return;
            }
            req.body(body.getBytes());
            if (bodyListener != null) {
                bodyListener.accept(body);
            }
            requests.dispatch(req);
        });
    }

    private static String version(HttpVersion v) {
        return v == HttpVersion.HTTP_1_0 ? "1.0" : v == HttpVersion.HTTP_2 ? "2.0" : "1.1";
    }

    private static long parseLength(String cl) {
        if (cl == null) {
            return -1;
        }
        try {
            return Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void reject(HttpServerRequest request, int status) {
        HttpServerResponse resp = request.response();
        byte[] page = dev.resty4j.core.phase.SpecialResponse.page(status);
        resp.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/html")
                .putHeader(HttpHeaders.CONNECTION, "close").end(Buffer.buffer(page));
        // nginx's lingering close: the rest of the body is read and dropped, and the connection closes at
        // its end, or after RequestFactory.LINGERING_TIMEOUT_MS
        HttpConnection conn = request.connection();
        Context context = Vertx.currentContext(); // the connection's: request handlers run on it
        if (request.isEnded() || context == null) {
            conn.close();
            return;
        }
        Vertx vertx = context.owner();
        long timer = vertx.setTimer(RequestFactory.LINGERING_TIMEOUT_MS, id -> conn.close());
        request.handler(chunk -> { });
        request.exceptionHandler(t -> { });
        request.endHandler(v -> {
            vertx.cancelTimer(timer);
            conn.close();
        });
    }

    /** Writes a response through Vert.x. */
    static final class VertxSink implements ResponseSink {
        private final HttpServerRequest request;
        private final HttpServerResponse response;
        private final Context context; // the connection's, for timers of writable()

        VertxSink(HttpServerRequest request) {
            this.request = request;
            this.response = request.response();
            this.context = Vertx.currentContext();
        }

        @Override
        public void sendHead(int status, Headers headers, long contentLength) {
            response.setStatusCode(status);
            MultiMap out = response.headers();
            for (int i = 0; i < headers.size(); i++) {
                out.add(headers.name(i), headers.value(i));
            }
            if (contentLength >= 0) {
                out.set(HttpHeaders.CONTENT_LENGTH, Long.toString(contentLength));
            } else if (contentLength == -1) {
                if (request.version() == HttpVersion.HTTP_1_0) {
                    out.set(HttpHeaders.CONNECTION, "close");
                } else {
                    response.setChunked(true);
                }
            }
        }

        @Override
        public void write(byte[] data) {
            response.write(Buffer.buffer(data));
        }

        @Override
        public void end(byte[] last) {
            if (last == null || last.length == 0) {
                response.end();
            } else {
                response.end(Buffer.buffer(last));
            }
            if (request.version() == HttpVersion.HTTP_1_0 && !response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                request.connection().close();
            }
        }

        @Override
        public void abort() {
            request.connection().close();
        }

        @Override
        public boolean isConnected() {
            return !response.closed();
        }

        @Override
        public io.vertx.core.Future<Void> writable() {
            if (!response.writeQueueFull() || response.closed()) {
                return io.vertx.core.Future.succeededFuture();
            }
            io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
            response.drainHandler(v -> p.tryComplete());
            // A client that goes away never drains: look again now and then (no close handler is taken from others).
            io.vertx.core.Vertx vertx = context != null ? context.owner() : null;
            if (!response.writeQueueFull() || response.closed()) {
                p.tryComplete();
            } else if (vertx != null) {
                long timer = vertx.setPeriodic(1000, id -> {
                    if (response.closed()) {
                        p.tryComplete();
                    }
                });
                p.future().onComplete(ar -> vertx.cancelTimer(timer));
            }
            return p.future();
        }
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
