package dev.resty4j.core.api;

import dev.resty4j.core.request.RequestContext;

/** {@code ngx.req.get_method/set_method}, {@code set_uri}, {@code http_version}, {@code start_time}, {@code is_internal}. */
public final class RequestLine {

    private RequestLine() {
    }

    public static String method(RequestContext req) {
        Contexts.requireRequest(req);
        return req.method();
    }

    public static void method(RequestContext req, String method) {
        Contexts.check(req, Contexts.REQ_HEADER_WRITE);
        req.method(method);
    }

    /** {@code ngx.req.set_uri(uri, jump?)}: jump (rewrite phase only) re-matches locations like nginx's {@code rewrite ... last}. */
    public static void setUri(RequestContext req, String uri, boolean jump) {
        Contexts.check(req, Contexts.OUTPUT);
        if (uri == null || uri.isEmpty()) {
            throw new NgxApiException("attempt to use zero-length uri");
        }
        if (jump && req.phase() != dev.resty4j.Phase.REWRITE && req.phase() != dev.resty4j.Phase.SERVER_REWRITE) {
            throw new NgxApiException("API disabled in the context of " + req.phase().contextName());
        }
        req.uri(uri);
        if (jump) {
            req.exec(uri, req.args());
        }
    }

    /** 1.0, 1.1 or 2.0. */
    public static double httpVersion(RequestContext req) {
        Contexts.requireRequest(req);
        return Double.parseDouble(req.httpVersion());
    }

    public static double startTime(RequestContext req) {
        Contexts.requireRequest(req);
        return req.startTime();
    }

    public static boolean isInternal(RequestContext req) {
        Contexts.requireRequest(req);
        return req.internal();
    }
}
