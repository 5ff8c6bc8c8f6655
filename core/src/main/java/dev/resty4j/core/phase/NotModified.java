package dev.resty4j.core.phase;

import dev.resty4j.core.api.NgxTime;
import dev.resty4j.core.request.Headers;
import dev.resty4j.core.request.RequestContext;

/**
 * nginx's not-modified filter, applied to 200 responses at the end of the header filter: a response
 * whose {@code Last-Modified} equals the request's {@code If-Modified-Since} ({@code if_modified_since
 * exact}, nginx's default), or whose {@code ETag} matches {@code If-None-Match}, becomes a 304 without
 * body; {@code If-Unmodified-Since} older than {@code Last-Modified} gives 412.
 */
final class NotModified {

    private NotModified() {
    }

    static void apply(RequestContext req) {
        if (req.status() != 200 || req.isSubrequest()) {
            return;
        }
        Headers in = req.requestHeaders();
        Headers out = req.responseHeaders();
        String lastModified = out.get("Last-Modified");
        Long lm = lastModified == null ? null : NgxTime.parseHttpTime(lastModified);
        String ius = in.get("If-Unmodified-Since");
        if (ius != null && lm != null) {
            Long t = NgxTime.parseHttpTime(ius);
            if (t != null && lm > t) {
                req.status(412);
                return;
            }
        }
        String inm = in.get("If-None-Match");
        String etag = out.get("ETag");
        if (inm != null && etag != null) {
            if (inm.trim().equals("*") || matchesEtag(inm, etag)) {
                notModified(req);
            }
            return;
        }
        String ims = in.get("If-Modified-Since");
        if (ims != null && lm != null) {
            Long t = NgxTime.parseHttpTime(ims);
            if (t != null && t.equals(lm)) {
                notModified(req);
            }
        }
    }

    private static boolean matchesEtag(String list, String etag) {
        String weakless = etag.startsWith("W/") ? etag.substring(2) : etag;
        for (String tag : list.split(",")) {
            String t = tag.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals(weakless)) {
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
