package dev.resty4j.core.api;

import dev.resty4j.core.request.RequestContext;
import java.io.ByteArrayOutputStream;

/**
 * {@code ngx.req.read_body}, {@code discard_body}, {@code get_body_data}, {@code set_body_data},
 * {@code init_body}/{@code append_body}/{@code finish_body}, {@code get_body_file}. The host has already
 * received the body (bounded by {@code client_max_body_size}); as in nginx, scripts see it only after
 * {@code read_body} (or with {@code lua_need_request_body on}). Bodies are never spooled to files, so
 * {@code get_body_file} returns nil.
 */
public final class RequestBody {

    private RequestBody() {
    }

    public static void read(RequestContext req) {
        Contexts.check(req, Contexts.OUTPUT);
        req.bodyRead(true);
    }

    public static void discard(RequestContext req) {
        Contexts.check(req, Contexts.OUTPUT);
        req.bodyDiscarded(true);
        req.bodyRead(false);
    }

    /** The body bytes, or null when not read, discarded or absent. */
    public static byte[] data(RequestContext req) {
        Contexts.requireRequest(req);
        if (!req.bodyRead() || req.bodyDiscarded() || req.body() == null) {
            return null;
        }
        return req.body();
    }

    public static void set(RequestContext req, byte[] data) {
        Contexts.check(req, Contexts.OUTPUT);
        req.body(data);
        req.bodyRead(true);
        req.bodyDiscarded(false);
        req.requestHeaders().set("Content-Length", Integer.toString(data.length));
    }

    // init_body / append_body / finish_body build a new body in pieces.

    public static void init(RequestContext req) {
        Contexts.check(req, Contexts.OUTPUT);
        builders.put(req, new ByteArrayOutputStream());
    }

    public static void append(RequestContext req, byte[] data) {
        Contexts.check(req, Contexts.OUTPUT);
        ByteArrayOutputStream b = builders.get(req);
        if (b == null) {
            throw new NgxApiException("request body not initialized by ngx.req.init_body()");
        }
        b.writeBytes(data);
    }

    public static void finish(RequestContext req) {
        Contexts.check(req, Contexts.OUTPUT);
        ByteArrayOutputStream b = builders.remove(req);
        if (b == null) {
            throw new NgxApiException("request body not initialized by ngx.req.init_body()");
        }
        set(req, b.toByteArray());
    }

    private static final java.util.Map<RequestContext, ByteArrayOutputStream> builders =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
}
