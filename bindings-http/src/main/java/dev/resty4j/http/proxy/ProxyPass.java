package dev.resty4j.http.proxy;

import dev.resty4j.Location;
import dev.resty4j.core.api.UriCodec;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.host.vertx.UriNormalizer;
import dev.resty4j.http.NginxValues;
import dev.resty4j.http.NginxValues.HostPort;
import java.util.Locale;

/**
 * The parsed argument of {@code proxy_pass}: scheme, the server part (an upstream name or host[:port]),
 * and the optional URI part; plus nginx's rules for the URI sent upstream.
 *
 * @param uri the URI part ({@code /api/} in {@code http://backend/api/}), or null when there is none
 */
public record ProxyPass(boolean ssl, String server, HostPort address, String uri) {

    /** Parses {@code http://HOST[:PORT][/URI]} or {@code https://…}. */
    public static ProxyPass parse(String arg) {
        String rest;
        boolean ssl;
        String lower = arg.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://")) {
            rest = arg.substring(7);
            ssl = false;
        } else if (lower.startsWith("https://")) {
            rest = arg.substring(8);
            ssl = true;
        } else {
            throw new IllegalArgumentException("invalid URL prefix in \"" + arg + "\"");
        }
        int slash = rest.indexOf('/');
        String server = slash < 0 ? rest : rest.substring(0, slash);
        String uri = slash < 0 ? null : rest.substring(slash);
        if (server.isEmpty()) {
            throw new IllegalArgumentException("no host in \"" + arg + "\"");
        }
        HostPort hp = NginxValues.hostPort(server);
        return new ProxyPass(ssl, server, hp, uri);
    }

    /** The default port of the scheme. */
    public int defaultPort() {
        return ssl ? 443 : 80;
    }

    /** nginx's {@code $proxy_host}: the server part, without the scheme's default port. */
    public String proxyHost() {
        if (address.port() < 0 || address.port() == defaultPort()) {
            return address.host().indexOf(':') >= 0 ? "[" + address.host() + "]" : address.host();
        }
        return server;
    }

    /** nginx's {@code $proxy_port}. */
    public int proxyPort() {
        return address.port() >= 0 ? address.port() : defaultPort();
    }

    /**
     * The request target sent upstream, by nginx's rules: without a URI part, the request URI as the client
     * sent it (or, once a script changed it, the current {@code $uri} escaped, with {@code $args}); with a
     * URI part, the part of {@code $uri} matching the location's prefix replaced by it.
     *
     * @param fromVariables true when proxy_pass had variables: then a URI part is sent as is
     */
    public String upstreamUri(RequestContext req, Location loc, boolean fromVariables) {
        String args = req.args();
        String suffix = args == null || args.isEmpty() ? "" : "?" + args;
        if (uri == null) {
            if (unchanged(req)) {
                return req.requestUri();
            }
            return escape(req.uri()) + suffix;
        }
        if (fromVariables) {
            return uri;
        }
        String current = req.uri();
        if (loc != null && (loc.match() == Location.Match.PREFIX || loc.match() == Location.Match.PREFIX_NOREGEX
                || loc.match() == Location.Match.EXACT) && current.startsWith(loc.path())) {
            return uri + escape(current.substring(loc.path().length())) + suffix;
        }
        return escape(current) + suffix; // a changed URI (or a regex location) goes whole
    }

    /** True while neither $uri nor $args differ from what the request line said. */
    private static boolean unchanged(RequestContext req) {
        String raw = req.requestUri();
        if (raw == null) {
            return false;
        }
        int q = raw.indexOf('?');
        String path = UriNormalizer.normalize(q >= 0 ? raw.substring(0, q) : raw);
        String args = q >= 0 ? raw.substring(q + 1) : null;
        return path.equals(req.uri()) && java.util.Objects.equals(args, req.args());
    }

    private static String escape(String uri) {
        return UriCodec.escapeUri(uri, UriCodec.ESCAPE_URI);
    }
}
