package dev.resty4j.core.request;

import dev.resty4j.Location;
import dev.resty4j.Resty;
import dev.resty4j.core.ServerConfig;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.worker.Worker;
import dev.resty4j.host.vertx.UriNormalizer;
import java.util.function.Supplier;

/**
 * The host-neutral half of accepting a request for one server block: turning a request line and headers
 * into a {@link RequestContext}, the early {@code client_max_body_size} check, and the hand-off to the
 * phases. Every host uses it (the Vert.x host, the in-process {@code RestyTester}), so scripts see the
 * same {@code $uri}, {@code $args}, {@code $request_uri} and server variables whichever host received the
 * request; a host only adds what is its own: the connection addresses, the {@link ResponseSink} and
 * how the body arrives.
 */
public final class RequestFactory {

    /**
     * How long a host keeps reading and dropping a refused (413) body before closing anyway: nginx's
     * lingering_timeout default. Closing while the client still sends would answer its body with a reset,
     * which can destroy the 413 before the client has read it.
     */
    public static final long LINGERING_TIMEOUT_MS = 5_000;

    /** The instance new requests go to: fixed, or the current one of a {@link dev.resty4j.ReloadableResty}. */
    private final Supplier<Resty> instance;
    /** The server block, when fixed; else {@link #serverIndex} in the request's own instance. */
    private final ServerConfig fixedServer;
    private final int serverIndex;

    public RequestFactory(Resty resty, ServerConfig server) {
        this.instance = () -> resty;
        this.fixedServer = server;
        this.serverIndex = -1;
    }

    /**
     * Follows a reloadable instance: each request is bound to the instance that is current when it
     * arrives ({@link RequestContext#resty()}) and stays on it to the end, whatever reloads meanwhile.
     */
    public RequestFactory(Supplier<Resty> current, int serverIndex) {
        this.instance = current;
        this.fixedServer = null;
        this.serverIndex = serverIndex;
    }

    /** The server block requests arriving now are served by. */
    public ServerConfig server() {
        return fixedServer != null ? fixedServer : instance.get().servers().get(serverIndex);
    }

    /** The server block of a request, in the instance the request belongs to. */
    private ServerConfig server(RequestContext req) {
        return fixedServer != null ? fixedServer : req.resty().servers().get(serverIndex);
    }

    /**
     * Creates the context of a new request: splits the raw target into {@code $request_uri}, the
     * normalized {@code $uri} and {@code $args}, and sets the server name and scheme. The caller then sets
     * the addresses it knows and the sink, and (when there is one) the body.
     *
     * @param method      the request method as sent ({@code GET})
     * @param target      the raw request target ({@code /t?a=1}), not decoded
     * @param httpVersion {@code "1.0"}, {@code "1.1"} or {@code "2.0"}
     * @param headers     the request headers in wire order; the context keeps this object
     * @param ssl         true when the request came over TLS ({@code $scheme} https)
     */
    public RequestContext create(String method, String target, String httpVersion, Headers headers, boolean ssl) {
        RequestContext req = instance.get().newRequest(headers);
        ServerConfig server = server(req);
        req.method(method);
        req.requestUri(target);
        int q = target.indexOf('?');
        req.uri(UriNormalizer.normalize(q >= 0 ? target.substring(0, q) : target));
        req.args(q >= 0 ? target.substring(q + 1) : null);
        req.httpVersion(httpVersion);
        req.serverName(server.serverName());
        req.scheme(ssl ? "https" : "http");
        return req;
    }

    /**
     * The {@code client_max_body_size} a host enforces before running the phases (0 = none): that of the
     * location the request URI maps to, else the http-level one. The pipeline checks again once rewrites
     * have picked the final location, so this only has to stop bodies nobody will accept from being
     * buffered; but it must not refuse a body the location allows above the http-level limit.
     */
    public long maxBodySize(RequestContext req) {
        Location loc = req.uri() == null ? null : server(req).find(req.uri());
        if (loc != null && loc.clientMaxBodySize() >= 0) {
            return loc.clientMaxBodySize();
        }
        return req.resty().settings().clientMaxBodySize();
    }

    /**
     * Checks a body length against {@link #maxBodySize}; when it is too large, logs nginx's error line for
     * the request and returns true: the host must then answer 413 itself (page:
     * {@code SpecialResponse.page(413)}) without running the phases, as nginx does.
     *
     * @param length  the declared {@code Content-Length}, or the bytes received so far of a chunked body
     * @param partial true for a chunked body still arriving (nginx's message then says so)
     */
    public boolean bodyTooLarge(RequestContext req, long length, boolean partial) {
        long max = maxBodySize(req);
        if (max <= 0 || length <= max) {
            return false;
        }
        req.resty().logger().log(LogLevel.ERR, req, partial
                ? "client intended to send too large chunked body: " + length + "+ bytes"
                : "client intended to send too large body: " + length + " bytes");
        return true;
    }

    /** Runs the request's phases on the next worker; returns at once (the response goes to the sink). */
    public void dispatch(RequestContext req) {
        req.resty().pipeline().dispatch(req, server(req));
    }

    /**
     * Like {@link #dispatch(RequestContext)}, then runs {@code whenDone} once the whole request is over,
     * log phase included. The sink's {@code end} comes before the log phase (the client must not wait
     * for logging), so a host that wants to know when {@code log_by_lua} finished (the in-process test
     * host, to hand back a request's complete log) needs this. {@code whenDone} runs on the request's
     * fiber, still holding the worker: it must be short and must not block.
     */
    public void dispatch(RequestContext req, Runnable whenDone) {
        // Same steps as RequestPipeline.dispatch, plus the callback after process().
        Resty resty = req.resty();
        Worker w = resty.nextWorker();
        req.worker(w);
        w.spawn(() -> {
            try {
                resty.pipeline().process(req, server(req));
            } finally {
                whenDone.run();
            }
        });
    }
}
