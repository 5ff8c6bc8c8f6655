package dev.resty4j.core.api;

import dev.resty4j.Phase;
import dev.resty4j.core.request.RequestContext;

/**
 * {@code ngx.exit}, {@code ngx.redirect}, {@code ngx.exec}: they record what the request should do; the
 * engine then unwinds the script and the pipeline acts on it (see {@code dev.resty4j.core.phase.Outcomes}).
 */
public final class Control {

    private Control() {
    }

    /** {@code ngx.exit(status)}. */
    public static void exit(RequestContext req, int status) {
        if (req == null || req.phase() == null) {
            throw new NgxApiException("no request found");
        }
        Phase p = req.phase();
        if (!Contexts.EXIT.contains(p)) {
            throw Contexts.disabled(p);
        }
        if (p == Phase.HEADER_FILTER && status != 0 && status < 200 && status != -1) {
            throw new NgxApiException("attempt to exit with status " + status + " in header_filter_by_lua*");
        }
        HeaderValidation.checkStatus(req, status, true);
        req.exitStatus(status);
    }

    /** {@code ngx.redirect(uri, status?)}. */
    public static void redirect(RequestContext req, String uri, int status) {
        Contexts.check(req, Contexts.REDIRECT);
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
            throw new NgxApiException("only ngx.HTTP_MOVED_TEMPORARILY, ngx.HTTP_MOVED_PERMANENTLY, "
                    + "ngx.HTTP_PERMANENT_REDIRECT, ngx.HTTP_SEE_OTHER, and ngx.HTTP_TEMPORARY_REDIRECT are allowed");
        }
        if (req.headersSent()) {
            throw new NgxApiException("attempt to call ngx.redirect after sending out the headers");
        }
        HeaderValidation.checkRedirect(uri);
        req.responseHeaders().set("Location", uri);
        req.exitStatus(status);
    }

    /** {@code ngx.exec(uri, args?)}: args already encoded as a query string (or null). */
    public static void exec(RequestContext req, String uri, String args) {
        Contexts.check(req, Contexts.REDIRECT);
        if (req.headersSent()) {
            throw new NgxApiException("attempt to call ngx.exec after sending out response headers");
        }
        if (uri == null || uri.isEmpty()) {
            throw new NgxApiException("The uri argument is empty");
        }
        req.exec(uri, args);
    }
}
