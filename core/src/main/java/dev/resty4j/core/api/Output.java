package dev.resty4j.core.api;

import dev.resty4j.core.engine.LimitExceededException;
import dev.resty4j.core.engine.ScriptLimits;
import dev.resty4j.core.phase.BodyFilterPhase;
import dev.resty4j.core.phase.HeaderFilterPhase;
import dev.resty4j.core.request.RequestContext;
import java.util.List;

/**
 * {@code ngx.say}, {@code ngx.print}, {@code ngx.flush}, {@code ngx.eof} and {@code ngx.send_headers}, and
 * the response's path to the host.
 *
 * <p>As in nginx, the first output sends the headers (running the header filter: from then on
 * {@code ngx.header} is read-only) and each output call passes its data through the body filter. The
 * bytes themselves are handed to the host at {@code ngx.flush} or at the end of the response; a response
 * never flushed goes out with {@code Content-Length}, a flushed one streams (chunked in HTTP/1.1).
 */
public final class Output {

    private Output() {
    }

    /** {@code ngx.print}/{@code ngx.say} with the bytes already flattened by the engine. Returns false after eof. */
    public static boolean print(RequestContext req, byte[] data) {
        Contexts.check(req, Contexts.OUTPUT);
        long buffered = req.pendingBytes() + data.length;
        if (buffered > ScriptLimits.MIN_OUTPUT_LIMIT) {
            checkOutputLimit(req, buffered);
        }
        return write(req, data);
    }

    /** {@code lua_output_limit}: buffered output is held in memory until flushed, so it is bounded. */
    private static void checkOutputLimit(RequestContext req, long buffered) {
        long limit = ScriptLimits.of(req.resty().settings(), req.location()).outputLimit();
        if (limit > 0 && buffered > limit) {
            if (!req.flushedOnce()) {
                // nothing reached the client yet: the request fails as a whole (a 500), never a cut-off 200
                req.clearPending();
                req.headersSent(false);
            }
            throw new LimitExceededException("response output exceeds lua_output_limit: " + buffered
                    + " bytes buffered, the limit is " + limit);
        }
    }

    /** Writes response body bytes from any producer (scripts, {@code return}, bindings). */
    public static boolean write(RequestContext req, byte[] data) {
        if (req.eof()) {
            return false;
        }
        if (req.http10Buffering() || !req.headersSent() && http10Buffering(req)) {
            // nothing passes the filters until the end, when the header filter sees the whole length
            req.http10Buffering(true);
            if (data.length > 0) {
                req.addPending(data);
            }
            return true;
        }
        HeaderFilterPhase.ensureSent(req);
        if (req.eof()) {
            return false; // the header filter replaced the response
        }
        if (req.headerOnly()) {
            return true;
        }
        if (req.location() != null && req.location().script(dev.resty4j.Phase.BODY_FILTER) != null) {
            Object[] args = BodyFilterPhase.filter(req, data, false);
            data = (byte[]) args[0];
            if (Boolean.TRUE.equals(args[1])) {
                if (data.length > 0) {
                    req.addPending(data);
                }
                endBody(req);
                return true;
            }
        }
        if (data.length > 0) {
            req.addPending(data);
        }
        return true;
    }

    /**
     * lua-nginx-module's {@code lua_http10_buffering} (on by default): output to an HTTP/1.0 client that
     * starts before the headers went and without a Content-Length is buffered whole, so the response can
     * carry a Content-Length (HTTP/1.0 has no chunked encoding). Until the end, headers stay unsent (a
     * script may still set them), the header and body filters wait, and {@code ngx.flush} is a no-op.
     */
    private static boolean http10Buffering(RequestContext req) {
        String v = req.httpVersion();
        if (!"1.0".equals(v) && !"0.9".equals(v) || req.isSubrequest()
                || req.responseHeaders().contains("Content-Length")) {
            return false;
        }
        java.util.List<String> d = req.location() == null ? null : req.location().directive("lua_http10_buffering");
        return d == null || d.isEmpty() || !"off".equals(d.get(0));
    }

    /** {@code ngx.send_headers}: runs the header filter now (idempotent). */
    public static void sendHeaders(RequestContext req) {
        Contexts.check(req, Contexts.OUTPUT);
        HeaderFilterPhase.ensureSent(req);
    }

    /** {@code ngx.flush}: hands everything produced so far to the host; false when it could not. */
    public static boolean flush(RequestContext req) {
        return flushing(req) == null;
    }

    /**
     * {@code ngx.flush}: hands everything produced so far to the host. Returns null, or why nothing was
     * flushed, in OpenResty's words: {@code "header only"} (HEAD, 204, 304 once the headers went),
     * {@code "seen eof"}, or {@code "buffering"} (an HTTP/1.0 response being buffered to get a
     * Content-Length, see {@link #write}).
     */
    public static String flushing(RequestContext req) {
        Contexts.check(req, Contexts.OUTPUT);
        if (req.headersSent() && req.headerOnly()) {
            return "header only";
        }
        if (req.eof()) {
            return "seen eof";
        }
        if (req.http10Buffering()) {
            return "buffering";
        }
        HeaderFilterPhase.ensureSent(req);
        req.flushedOnce(true);
        transmit(req, false);
        return null;
    }

    /** {@code ngx.eof}: ends the response body; the script may go on (e.g. to do work after the reply). */
    public static boolean eof(RequestContext req) {
        Contexts.check(req, Contexts.OUTPUT);
        if (req.eof()) {
            return false;
        }
        finish(req);
        return true;
    }

    /** Ends the response: headers if not yet sent, the body filter's last call, then everything to the host. */
    public static void finish(RequestContext req) {
        if (req.eof()) {
            return;
        }
        if (req.http10Buffering()) {
            req.http10Buffering(false);
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream((int) req.pendingBytes());
            req.pending().forEach(all::writeBytes);
            req.clearPending();
            boolean bodyFilter = req.location() != null && req.location().script(dev.resty4j.Phase.BODY_FILTER) != null;
            if (!req.headersSent() && !bodyFilter) {
                req.responseHeaders().set("Content-Length", Integer.toString(all.size()));
            }
            write(req, all.toByteArray());
            if (req.eof()) {
                return;
            }
        }
        HeaderFilterPhase.ensureSent(req);
        if (req.eof()) {
            return;
        }
        if (!req.headerOnly() && req.location() != null
                && req.location().script(dev.resty4j.Phase.BODY_FILTER) != null) {
            Object[] args = BodyFilterPhase.filter(req, new byte[0], true);
            byte[] last = (byte[]) args[0];
            if (last.length > 0) {
                req.addPending(last);
            }
            if (req.isSubrequest() && !Boolean.TRUE.equals(args[1])) {
                // the filter took the last-buffer flag away: the parent sees a truncated response (res.truncated)
                req.sink().abort();
            }
        }
        endBody(req);
    }

    private static void endBody(RequestContext req) {
        req.eof(true);
        transmit(req, true);
    }

    /** Hands pending bytes to the host; sends the head first if it has not gone yet. */
    static void transmit(RequestContext req, boolean end) {
        var sink = req.sink();
        if (!req.headTransmitted()) {
            req.headTransmitted(true);
            long length = end && !req.flushedOnce() ? req.pendingBytes() : -1;
            if (req.responseHeaders().contains("Content-Length")) {
                length = -2; // the script's own Content-Length stands
            }
            // nginx's header filter adds Server unless a script or more_clear_headers removed it
            if (!req.serverCleared() && !req.isSubrequest() && !req.responseHeaders().contains("Server")) {
                req.responseHeaders().add("Server", "resty4j");
            }
            sink.sendHead(req.status(), req.responseHeaders(), length);
            // What the host added is visible afterwards (ngx.header in the log phase), as in nginx.
            if (length >= 0) {
                req.responseHeaders().set("Content-Length", Long.toString(length));
            } else if (length == -1 && !req.isSubrequest()) {
                if ("1.0".equals(req.httpVersion())) {
                    req.responseHeaders().set("Connection", "close");
                } else {
                    req.responseHeaders().set("Transfer-Encoding", "chunked");
                }
            }
        }
        List<byte[]> pending = req.pending();
        int n = pending.size();
        for (int i = 0; i < n - (end ? 1 : 0); i++) {
            byte[] chunk = pending.get(i);
            sink.write(chunk);
            req.addBodyBytesSent(chunk.length);
        }
        if (end) {
            byte[] last = n > 0 ? pending.get(n - 1) : null;
            if (last != null) {
                req.addBodyBytesSent(last.length);
            }
            sink.end(last);
        }
        req.clearPending();
    }
}
