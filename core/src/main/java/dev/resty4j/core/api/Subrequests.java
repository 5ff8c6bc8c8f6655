package dev.resty4j.core.api;

import dev.resty4j.core.request.Headers;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.request.ResponseSink;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code ngx.location.capture} and {@code capture_multi}: an internal request to another location of the
 * same server, run on the parent's fiber, whose response is captured instead of sent. As in nginx the
 * subrequest sees the parent's request headers, skips the access phase, and gets its own {@code ngx.ctx}
 * unless one is passed.
 */
public final class Subrequests {

    /** The options table of {@code capture}; null fields mean "as the parent". */
    public record Options(String method, String args, byte[] body, Map<String, String> vars, boolean copyAllVars,
                          boolean shareAllVars, Object engineCtx, int ctxSlot, Map<String, String> headers) {

        /** Without the {@code headers} option: the subrequest sees the parent's request headers. */
        public Options(String method, String args, byte[] body, Map<String, String> vars, boolean copyAllVars,
                       boolean shareAllVars, Object engineCtx, int ctxSlot) {
            this(method, args, body, vars, copyAllVars, shareAllVars, engineCtx, ctxSlot, null);
        }
    }

    /** What {@code capture} returns: {@code res.status}, {@code res.header}, {@code res.body}, {@code res.truncated}. */
    public record Result(int status, Headers headers, byte[] body, boolean truncated) {}

    private static final int MAX_DEPTH = 50;

    private Subrequests() {
    }

    public static Result capture(RequestContext parent, String uri, Options opts) {
        Contexts.check(parent, Contexts.REDIRECT);
        if (uri == null || uri.isEmpty()) {
            throw new NgxApiException("the uri argument is empty");
        }
        int depth = 0;
        for (RequestContext p = parent; p != null; p = p.parent()) {
            depth++;
        }
        if (depth > MAX_DEPTH) {
            throw new NgxApiException("subrequests cycle while processing \"" + uri + "\"");
        }
        RequestContext child = parent.resty().newRequest(parent.requestHeaders().copy());
        child.worker(parent.worker());
        child.parent(parent);
        child.server(parent.server());
        child.method(opts.method() != null ? opts.method() : "GET");
        String path = uri;
        String args = null;
        int q = uri.indexOf('?');
        if (q >= 0) {
            path = uri.substring(0, q);
            args = uri.substring(q + 1);
        }
        if (opts.args() != null && !opts.args().isEmpty()) {
            args = args == null || args.isEmpty() ? opts.args() : args + "&" + opts.args();
        }
        child.uri(path);
        child.args(args);
        child.requestUri(args == null ? path : path + "?" + args);
        child.httpVersion(parent.httpVersion());
        child.remoteAddr(parent.remoteAddr());
        child.remotePort(parent.remotePort());
        child.serverAddr(parent.serverAddr());
        child.serverPort(parent.serverPort());
        child.serverName(parent.serverName());
        child.scheme(parent.scheme());
        if (opts.body() != null) {
            child.body(opts.body());
            child.bodyRead(true);
            child.requestHeaders().set("Content-Length", Integer.toString(opts.body().length));
        } else {
            child.body(parent.body());
            child.bodyRead(parent.bodyRead());
        }
        if (opts.shareAllVars()) {
            child.userVars(parent.userVars());
        } else if (opts.copyAllVars() && parent.hasUserVars()) {
            child.userVars(new HashMap<>(parent.userVars()));
        }
        if (opts.vars() != null) {
            for (Map.Entry<String, String> v : opts.vars().entrySet()) {
                String name = v.getKey().toLowerCase(java.util.Locale.ROOT);
                if (!parent.resty().isDeclaredVariable(name)) {
                    throw new NgxApiException("variable \"" + v.getKey()
                            + "\" cannot be assigned a value (maybe you forgot to define it first?)");
                }
                Variables.setUserVar(child, name, v.getValue());
            }
        }
        if (opts.headers() != null) {
            // the option's headers replace the parent's of the same name, the rest are inherited
            opts.headers().forEach((k, v) -> child.requestHeaders().set(k, v));
        }
        if (opts.engineCtx() != null) {
            child.engineCtx(opts.ctxSlot(), opts.engineCtx());
        }
        Capture sink = new Capture();
        child.sink(sink);
        var phase = parent.phase();
        // nginx runs a subrequest only after the calling thread yielded, even one that answers at once:
        // the caller waits here, so a light thread spawned around capture hands control back first.
        parent.worker().yieldWorker();
        parent.worker().current(parent);
        parent.phase(phase);
        try {
            parent.resty().pipeline().subrequest(child);
        } finally {
            parent.worker().current(parent);
            parent.phase(phase);
        }
        // killed meanwhile (ngx.exit in another light thread of the parent): unwind, do not go on with the script
        dev.resty4j.core.worker.Fiber fiber = parent.worker().fiber();
        if (fiber != null) {
            fiber.checkKilled();
        }
        return new Result(sink.status == 0 ? child.status() : sink.status, sink.headers == null ? new Headers(0) : sink.headers,
                sink.body.toByteArray(), sink.aborted);
    }

    /** Collects a subrequest's response. */
    private static final class Capture implements ResponseSink {
        int status;
        Headers headers;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean aborted;

        @Override
        public void sendHead(int status, Headers h, long contentLength) {
            this.status = status;
            this.headers = h.copy();
            if (contentLength >= 0) {
                headers.set("Content-Length", Long.toString(contentLength));
            }
        }

        @Override
        public void write(byte[] data) {
            body.writeBytes(data);
        }

        @Override
        public void end(byte[] last) {
            if (last != null) {
                body.writeBytes(last);
            }
        }

        @Override
        public void abort() {
            aborted = true;
        }
    }
}
