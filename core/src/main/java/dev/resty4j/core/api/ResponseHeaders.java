package dev.resty4j.core.api;

import dev.resty4j.Location;
import dev.resty4j.Phase;
import dev.resty4j.core.log.LogLevel;
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

    /**
     * The header name a script's key stands for: {@code _} becomes {@code -} unless the location says
     * {@code lua_transform_underscores_in_response_headers off}.
     */
    public static String normalize(RequestContext req, String name) {
        if (name.indexOf('_') < 0 || !onOff(req.location(), "lua_transform_underscores_in_response_headers", true)) {
            return name;
        }
        return normalize(name);
    }

    /** An on/off directive of the location (server- and http-level copies included), or its default. */
    static boolean onOff(Location loc, String directive, boolean dflt) {
        if (loc == null) {
            return dflt;
        }
        List<String> args = loc.directive(directive);
        return args == null || args.isEmpty() ? dflt : "on".equalsIgnoreCase(args.get(0));
    }

    /**
     * Gives the response its default Content-Type now if it has none, as nginx does when a script
     * lists the headers before they are sent ({@code default_type}, unless the script cleared
     * the type, the status is 304 or 204, or {@code lua_use_default_type off}). Returns the type, or null.
     */
    public static String applyDefaultType(RequestContext req) {
        Headers out = req.responseHeaders();
        String current = out.get("Content-Type");
        if (current != null || req.headersSent() || req.contentTypeCleared()) {
            return current;
        }
        int status = req.status();
        Location loc = req.location();
        if (status == 204 || status == 304 || !onOff(loc, "lua_use_default_type", true)) {
            return null;
        }
        String type = loc != null && loc.defaultType() != null ? loc.defaultType() : req.resty().settings().defaultType();
        if (type == null || type.isEmpty()) {
            return null;
        }
        out.add("Content-Type", type);
        return type;
    }

    /** {@code ngx.header.NAME}: null, one value, or a list when the header has several lines. */
    public static Object get(RequestContext req, String name) {
        Contexts.requireRequest(req);
        String n = normalize(req, name); // an unset Content-Type reads nil (not defaulted), as in OpenResty
        List<String> all = req.responseHeaders().getAll(n);
        if (all.isEmpty()) {
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
        if (req.headersSent()) {
            // OpenResty logs this and goes on: the script is not aborted.
            req.resty().logger().log(LogLevel.ERR, req,
                    "attempt to set ngx.header.HEADER after sending out response headers");
            return;
        }
        String n = normalize(req, name);
        n = HeaderValidation.name(req, n);
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
            values.set(i, HeaderValidation.value(req, n, values.get(i)));
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

    /**
     * {@code ngx.resp.get_headers(max, raw)}. As in OpenResty, the entries nginx keeps outside its header
     * list come first under lower-case keys: {@code content-type} (defaulted now when unset) and, once the
     * header filter runs, {@code connection}; they count towards {@code max}.
     */
    public static RequestHeaders.Listing list(RequestContext req, int max, boolean raw) {
        Contexts.requireRequest(req);
        Headers h = req.responseHeaders();
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        String type = applyDefaultType(req);
        if (type != null) {
            keys.add("content-type");
            values.add(type);
        }
        boolean sent = req.headersSent() || req.phase() == Phase.HEADER_FILTER;
        if (sent && !h.contains("Connection")) {
            keys.add("connection");
            values.add(connection(req));
        }
        int extra = keys.size();
        int count = 0;
        for (int i = 0; i < h.size(); i++) {
            if (!h.name(i).equalsIgnoreCase("Content-Type")) {
                count++;
            }
        }
        boolean truncated = max > 0 && count + extra > max;
        if (truncated) {
            req.resty().logger().log(LogLevel.DEBUG, req,
                    "lua exceeding response header limit " + (count + extra) + " > " + max);
            count = Math.max(0, max - extra);
        }
        for (int i = 0; i < h.size() && count > 0; i++) {
            String name = h.name(i);
            if (name.equalsIgnoreCase("Content-Type")) {
                continue;
            }
            keys.add(raw ? name : name.toLowerCase(Locale.ROOT));
            values.add(h.value(i));
            count--;
        }
        return new RequestHeaders.Listing(keys, values, truncated);
    }

    /** The Connection header the response goes out with, from the request as nginx decides keep-alive. */
    private static String connection(RequestContext req) {
        if (req.status() == 101) {
            return "upgrade";
        }
        String asked = req.requestHeaders().get("Connection");
        boolean keepAlive = "1.0".equals(req.httpVersion()) || "0.9".equals(req.httpVersion())
                ? asked != null && asked.toLowerCase(Locale.ROOT).contains("keep-alive")
                : asked == null || !asked.toLowerCase(Locale.ROOT).contains("close");
        return keepAlive ? "keep-alive" : "close";
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
        HeaderValidation.checkStatus(req, status, false);
        if (status < 100 || status > 999) {
            throw new NgxApiException("invalid HTTP status code: " + status);
        }
        req.status(status);
    }
}
