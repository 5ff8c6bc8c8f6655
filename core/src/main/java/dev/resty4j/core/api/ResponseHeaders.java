package dev.resty4j.core.api;

import dev.resty4j.Phase;
import dev.resty4j.core.request.Headers;
import dev.resty4j.core.request.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ngx.header.NAME} (read and write), {@code ngx.resp.get_headers} and {@code ngx.status}. Names are
 * case-insensitive and {@code _} stands for {@code -}; a list value sets several lines; nil clears.
 * Writes after the headers went out fail with OpenResty's message.
 */
public final class ResponseHeaders {

    /** Headers nginx keeps single-valued: setting a list keeps only the last element. */
    private static final java.util.Set<String> SINGLE = java.util.Set.of("content-type", "content-length",
            "location", "last-modified", "etag", "expires", "date", "server", "content-encoding", "accept-ranges");

    private ResponseHeaders() {
    }

    public static String normalize(String name) {
        return name.replace('_', '-');
    }

    /** {@code ngx.header.NAME}: null, one value, or a list when the header has several lines. */
    public static Object get(RequestContext req, String name) {
        Contexts.requireRequest(req);
        String n = normalize(name);
        List<String> all = req.responseHeaders().getAll(n);
        if (all.isEmpty()) {
            if (n.equalsIgnoreCase("Content-Type") && req.headersSent()) {
                return null;
            }
            return null;
        }
        return all.size() == 1 ? all.get(0) : all;
    }

    /** {@code ngx.header.NAME = value}: value a String, a List of Strings, or null to clear. */
    public static void set(RequestContext req, String name, Object value) {
        Contexts.requireRequest(req);
        Phase p = req.phase();
        if (p == Phase.BODY_FILTER || p == Phase.LOG) {
            throw Contexts.disabled(p);
        }
        String n = normalize(name);
        if (req.headersSent()) {
            throw new NgxApiException("attempt to set ngx.header." + name + " after sending out response headers");
        }
        n = HeaderValidation.name(n);
        Headers out = req.responseHeaders();
        if (value == null) {
            out.remove(n);
            if (n.equalsIgnoreCase("Content-Type")) {
                req.contentTypeCleared(true);
            } else if (n.equalsIgnoreCase("Server")) {
                req.serverCleared(true);
            }
            return;
        }
        List<String> values = new ArrayList<>();
        if (value instanceof List<?> l) {
            for (Object o : l) {
                values.add(String.valueOf(o));
            }
        } else {
            values.add(value.toString());
        }
        for (int i = 0; i < values.size(); i++) {
            values.set(i, HeaderValidation.value(values.get(i)));
        }
        if (n.equalsIgnoreCase("Content-Length")) {
            for (String v : values) {
                if (v.isEmpty() || !v.chars().allMatch(Character::isDigit)) {
                    throw new NgxApiException("invalid value for Content-Length: \"" + v + "\"");
                }
            }
        }
        if (values.isEmpty()) {
            out.remove(n);
            return;
        }
        if (SINGLE.contains(n.toLowerCase(Locale.ROOT)) && values.size() > 1) {
            values = List.of(values.get(values.size() - 1));
        }
        out.setAll(n, values);
    }

    /** {@code ngx.resp.get_headers(max, raw)}. */
    public static RequestHeaders.Listing list(RequestContext req, int max, boolean raw) {
        Contexts.requireRequest(req);
        Headers h = req.responseHeaders();
        int n = h.size();
        int limit = max <= 0 ? n : Math.min(n, max);
        List<String> keys = new ArrayList<>(limit);
        List<String> values = new ArrayList<>(limit);
        for (int i = 0; i < limit; i++) {
            keys.add(raw ? h.name(i) : h.name(i).toLowerCase(Locale.ROOT));
            values.add(h.value(i));
        }
        return new RequestHeaders.Listing(keys, values, max > 0 && n > max);
    }

    /** {@code ngx.status} read: 0 until set or sent. */
    public static int status(RequestContext req) {
        Contexts.requireRequest(req);
        return req.status();
    }

    /** {@code ngx.status = n}. */
    public static void status(RequestContext req, int status) {
        Contexts.requireRequest(req);
        if (req.phase() == Phase.LOG || req.phase() == Phase.BODY_FILTER) {
            throw Contexts.disabled(req.phase());
        }
        if (req.headersSent()) {
            throw new NgxApiException("attempt to set ngx.status after sending out response headers");
        }
        if (status < 100 || status > 999) {
            throw new NgxApiException("invalid HTTP status code: " + status);
        }
        req.status(status);
    }
}
