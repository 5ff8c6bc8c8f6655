package dev.resty4j.core.api;

import dev.resty4j.Phase;
import dev.resty4j.core.request.RequestContext;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which API may be called in which context, as lua-nginx-module's README lists it under each function's
 * "context:" line. A call elsewhere fails with OpenResty's message
 * {@code API disabled in the context of header_filter_by_lua*}.
 */
public final class Contexts {

    /** Output and request-body APIs: rewrite, access, precontent, content (ngx.say, ngx.flush, ngx.req.read_body…). */
    public static final Set<Phase> OUTPUT = EnumSet.of(Phase.SERVER_REWRITE, Phase.REWRITE, Phase.ACCESS,
            Phase.PRECONTENT, Phase.CONTENT);
    /** Phases a script may suspend in (cosockets, ngx.sleep). */
    public static final Set<Phase> YIELDABLE = EnumSet.of(Phase.SERVER_REWRITE, Phase.REWRITE, Phase.ACCESS,
            Phase.PRECONTENT, Phase.CONTENT, Phase.TIMER);
    /** ngx.exit: request phases and timers. */
    public static final Set<Phase> EXIT = EnumSet.of(Phase.SERVER_REWRITE, Phase.REWRITE, Phase.ACCESS,
            Phase.PRECONTENT, Phase.CONTENT, Phase.HEADER_FILTER, Phase.BALANCER, Phase.TIMER, Phase.INIT_WORKER);
    /** ngx.exec / ngx.redirect. */
    public static final Set<Phase> REDIRECT = EnumSet.of(Phase.SERVER_REWRITE, Phase.REWRITE, Phase.ACCESS,
            Phase.PRECONTENT, Phase.CONTENT);
    /** Everything that has a request. */
    public static final Set<Phase> REQUEST = EnumSet.of(Phase.SET, Phase.SERVER_REWRITE, Phase.REWRITE, Phase.ACCESS,
            Phase.PRECONTENT, Phase.CONTENT, Phase.HEADER_FILTER, Phase.BODY_FILTER, Phase.LOG, Phase.BALANCER);
    /** Request-header changes (ngx.req.set_header…). */
    public static final Set<Phase> REQ_HEADER_WRITE = EnumSet.of(Phase.SET, Phase.SERVER_REWRITE, Phase.REWRITE,
            Phase.ACCESS, Phase.PRECONTENT, Phase.CONTENT, Phase.HEADER_FILTER, Phase.BODY_FILTER, Phase.LOG);

    private Contexts() {
    }

    /** Throws OpenResty's "API disabled" error unless the request is in one of the allowed phases. */
    public static void check(RequestContext req, Set<Phase> allowed) {
        Phase p = req == null ? null : req.phase();
        if (p == null || !allowed.contains(p)) {
            throw disabled(p);
        }
    }

    public static NgxApiException disabled(Phase p) {
        return new NgxApiException("API disabled in the context of " + (p == null ? "unknown" : p.contextName()));
    }

    /** Throws the "no request found" error OpenResty raises for request APIs in init or timer contexts. */
    public static void requireRequest(RequestContext req) {
        if (req == null || req.method() == null) {
            throw new NgxApiException("no request found");
        }
    }
}
