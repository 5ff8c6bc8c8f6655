package dev.resty4j.core.phase;

import dev.resty4j.core.api.NgxTime;
import dev.resty4j.core.request.Headers;
import dev.resty4j.core.request.RequestContext;
import java.util.List;

/**
 * nginx's not-modified filter, applied to 200 responses of main requests at the end of the header filter,
 * with nginx's rules: {@code If-Unmodified-Since} passes only when the response has a {@code Last-Modified}
 * not newer than it, and {@code If-Match} only when the {@code ETag} matches (strongly); otherwise 412.
 * Then, when the request carries {@code If-Modified-Since} and/or {@code If-None-Match}, the response
 * becomes a 304 without body unless one of them says "modified": {@code If-Modified-Since} per the
 * {@code if_modified_since} directive ({@code exact}, nginx's default, {@code before} or {@code off}),
 * {@code If-None-Match} unless it matches the {@code ETag} (weakly, or {@code *}).
 */
final class NotModified {

    private NotModified() {
    }

    /** Applies the filter; returns 412 when the response must be replaced by that error, else 0. */
    static int apply(RequestContext req) {
        if (req.status() != 200 || req.isSubrequest()) {
            return 0;
        }
        Headers in = req.requestHeaders();
        if (!hasConditional(in)) {
            return 0; // the usual request: one pass over its header names instead of six lookups
        }
        Headers out = req.responseHeaders();
        String lastModified = out.get("Last-Modified");
        Long lm = lastModified == null ? null : NgxTime.parseHttpTime(lastModified);
        String etag = out.get("ETag");
        String ius = in.get("If-Unmodified-Since");
        if (ius != null) {
            Long t = NgxTime.parseHttpTime(ius);
            if (lm == null || t == null || t < lm) {
                return 412;
            }
        }
        String im = in.get("If-Match");
        if (im != null && !matchesEtag(im, etag, false)) {
            return 412;
        }
        String ims = in.get("If-Modified-Since");
        String inm = in.get("If-None-Match");
        if (ims == null && inm == null) {
            return 0;
        }
        if (ims != null && modifiedSince(req, ims, lm)) {
            return 0;
        }
        if (inm != null && !matchesEtag(inm, etag, true)) {
            return 0;
        }
        notModified(req);
        return 0;
    }

    /** True when some request header is an {@code If-*} one (the only ones this filter looks at). */
    private static boolean hasConditional(Headers in) {
        for (int i = 0, n = in.size(); i < n; i++) {
            if (in.name(i).regionMatches(true, 0, "If-", 0, 3)) {
                return true;
            }
        }
        return false;
    }

    private static boolean modifiedSince(RequestContext req, String ims, Long lm) {
        if (lm == null) {
            return true;
        }
        List<String> mode = req.location() == null ? null : req.location().directive("if_modified_since");
        String m = mode == null || mode.isEmpty() ? "exact" : mode.get(0);
        if (m.equals("off")) {
            return true;
        }
        Long t = NgxTime.parseHttpTime(ims);
        if (t == null) {
            return true;
        }
        if (t.equals(lm)) {
            return false;
        }
        return m.equals("exact") || t < lm;
    }

    /** nginx's entity-tag list test: no ETag never matches; {@code *} matches any; weak ignores {@code W/}. */
    private static boolean matchesEtag(String list, String etag, boolean weak) {
        if (etag == null) {
            return false;
        }
        if (list.trim().equals("*")) {
            return true;
        }
        String own = weak && etag.startsWith("W/") ? etag.substring(2) : etag;
        for (String tag : list.split(",")) {
            String t = tag.trim();
            if (weak && t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals(own)) {
                return true;
            }
        }
        return false;
    }
    private static void notModified(RequestContext req) {
        req.status(304);
        req.clearPending();
        Headers out = req.responseHeaders();
        out.remove("Content-Length");
        out.remove("Content-Type");
    }
}
