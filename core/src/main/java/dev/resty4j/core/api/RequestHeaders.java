package dev.resty4j.core.api;

import dev.resty4j.core.request.Headers;
import dev.resty4j.core.request.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code ngx.req.get_headers}, {@code set_header}, {@code clear_header}, {@code raw_header}. */
public final class RequestHeaders {

    /** Default {@code max_headers} of {@code ngx.req.get_headers}. */
    public static final int DEFAULT_MAX = 100;

    /** Headers as {@code get_headers} returns them: keys lower-cased unless raw, in order, repeated keys kept. */
    public record Listing(List<String> keys, List<String> values, boolean truncated) {}

    private RequestHeaders() {
    }

    public static Listing get(RequestContext req, int max, boolean raw) {
        Contexts.requireRequest(req);
        Headers h = req.requestHeaders();
        int n = h.size();
        int limit = max <= 0 ? n : Math.min(n, max);
        List<String> keys = new ArrayList<>(limit);
        List<String> values = new ArrayList<>(limit);
        for (int i = 0; i < limit; i++) {
            keys.add(raw ? h.name(i) : h.name(i).toLowerCase(Locale.ROOT));
            values.add(h.value(i));
        }
        return new Listing(keys, values, max > 0 && n > max);
    }

    /** {@code ngx.req.set_header(name, value)}: value null clears; a list sets several lines. */
    public static void set(RequestContext req, String name, List<String> values) {
        Contexts.check(req, Contexts.REQ_HEADER_WRITE);
        name = HeaderValidation.name(req, name.replace('_', '-'));
        List<String> escaped = new ArrayList<>(values.size());
        for (String v : values) {
            escaped.add(HeaderValidation.value(req, name, v));
        }
        req.requestHeaders().setAll(name, escaped);
    }

    public static void clear(RequestContext req, String name) {
        set(req, name, List.of());
    }

    /** {@code ngx.req.raw_header(no_request_line?)}: the header as received (reconstructed in wire form). */
    public static String raw(RequestContext req, boolean noRequestLine) {
        Contexts.requireRequest(req);
        while (req.parent() != null) {
            req = req.parent(); // a subrequest reports the main request's header, as nginx does
        }
        StringBuilder sb = new StringBuilder(256);
        if (!noRequestLine) {
            sb.append(req.requestLine()).append("\r\n");
        }
        sb.append(req.requestHeaders()).append("\r\n");
        return sb.toString();
    }
}
