package dev.resty4j.http.proxy;

import dev.resty4j.Location;
import dev.resty4j.core.api.Output;
import dev.resty4j.core.api.Variables;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.phase.ContentHandlers;
import dev.resty4j.core.phase.SpecialResponse;
import dev.resty4j.core.request.Headers;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.worker.Worker;
import dev.resty4j.http.HttpRuntime;
import dev.resty4j.http.NginxValues;
import dev.resty4j.http.NginxValues.HostPort;
import dev.resty4j.http.client.BodyStream;
import dev.resty4j.http.client.Connector;
import dev.resty4j.http.client.Exchange;
import dev.resty4j.http.client.HttpErrors;
import dev.resty4j.http.client.PooledConnection;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The content handler of {@code proxy_pass}: sends the request (with the headers scripts set in rewrite
 * and access, and {@code proxy_set_header}) to the server or upstream group, and streams the response
 * back through the header and body filters, one buffer at a time, as fast as the client takes it.
 * Connection errors and timeouts move on to the group's next server ({@code proxy_next_upstream error
 * timeout}); when none answers, the client gets nginx's 502, or 504 after a timeout.
 *
 * <p>Runs on the request's fiber; waiting for the upstream or for the client suspends only the request.
 */
public final class ProxyHandler implements ContentHandlers.Handler {

    /** Request headers that are per connection, or recomputed here, and so never forwarded. */
    private static final Set<String> HOP_BY_HOP_REQUEST = Set.of("host", "connection", "keep-alive", "proxy-connection",
            "te", "trailer", "transfer-encoding", "upgrade", "content-length", "expect");
    /** Response headers that are per connection (the host frames the body itself). */
    private static final Set<String> HOP_BY_HOP_RESPONSE = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "trailer", "te", "upgrade");
    /** nginx's proxy_hide_header defaults (the host adds its own Server). */
    private static final Set<String> HIDDEN = Set.of("server", "x-pad");
    private static final Set<String> NON_IDEMPOTENT = Set.of("POST", "LOCK", "PATCH");
    private static final Pattern PROXY_VARS = Pattern.compile(
            "\\$(?:\\{(proxy_host|proxy_port|proxy_add_x_forwarded_for)\\}|(proxy_add_x_forwarded_for|proxy_host|proxy_port)(?![A-Za-z0-9_]))");

    private final HttpRuntime rt;
    private final Location location;
    private final String arg;
    private final ProxyPass fixed;
    private final List<SetHeader> setHeaders;
    private final long connectTimeout;
    private final long sendTimeout;
    private final long readTimeout;
    private final boolean passRequestHeaders;
    private final boolean passRequestBody;
    private final boolean nextUpstream;
    private final boolean sslVerify;
    private final Set<String> hide = new HashSet<>(HIDDEN);

    /** The factory the extension registers for {@code proxy_pass}. */
    public static ContentHandlers.Factory factory(HttpRuntime rt) {
        return (location, args) -> new ProxyHandler(rt, location, args);
    }

    private ProxyHandler(HttpRuntime rt, Location loc, List<String> args) {
        if (args.size() != 1) {
            throw new IllegalArgumentException("invalid number of arguments in \"proxy_pass\" directive");
        }
        this.rt = rt;
        this.location = loc;
        this.arg = args.get(0);
        this.fixed = arg.indexOf('$') >= 0 ? null : ProxyPass.parse(arg);
        // proxy_set_header: nginx's defaults first, then the config's (inherited ones first); the last of a name wins
        Map<String, String[]> set = new LinkedHashMap<>();
        set.put("host", new String[] {"Host", "$proxy_host"});
        for (List<String> h : loc.directives("proxy_set_header")) {
            if (h.size() == 2) {
                set.put(h.get(0).toLowerCase(Locale.ROOT), new String[] {h.get(0), h.get(1)});
            }
        }
        List<SetHeader> compiled = new ArrayList<>();
        for (String[] h : set.values()) {
            compiled.add(SetHeader.compile(h[0], h[1]));
        }
        this.setHeaders = List.copyOf(compiled);
        this.connectTimeout = time(loc, "proxy_connect_timeout", 60_000);
        this.sendTimeout = time(loc, "proxy_send_timeout", 60_000);
        this.readTimeout = time(loc, "proxy_read_timeout", 60_000);
        this.passRequestHeaders = !"off".equals(last(loc, "proxy_pass_request_headers"));
        this.passRequestBody = !"off".equals(last(loc, "proxy_pass_request_body"));
        List<String> next = loc.directive("proxy_next_upstream");
        this.nextUpstream = next == null || !next.contains("off");
        this.sslVerify = "on".equals(last(loc, "proxy_ssl_verify"));
        for (List<String> h : loc.directives("proxy_hide_header")) {
            h.forEach(n -> hide.add(n.toLowerCase(Locale.ROOT)));
        }
        for (List<String> h : loc.directives("proxy_pass_header")) {
            h.forEach(n -> hide.remove(n.toLowerCase(Locale.ROOT)));
        }
    }

    private static String last(Location loc, String name) {
        List<String> d = loc.directive(name);
        return d == null || d.isEmpty() ? null : d.get(0);
    }

    private static long time(Location loc, String name, long dflt) {
        String v = last(loc, name);
        return v == null ? dflt : NginxValues.millis(v);
    }

    /** How one attempt at a server ended. */
    private enum Outcome { DONE, CONNECT_FAILED, FAILED_BEFORE_SENT, FAILED_AFTER_SENT }

    private record Attempt(Outcome outcome, boolean timeout) {}

    @Override
    public void handle(RequestContext req) {
        ProxyPass pp;
        try {
            pp = fixed != null ? fixed : ProxyPass.parse(Variables.interpolate(req, arg));
        } catch (IllegalArgumentException e) {
            log(req, LogLevel.ERR, e.getMessage());
            SpecialResponse.send(req, 500);
            return;
        }
        Upstream group = rt.upstream(pp.server());
        String uri = pp.upstreamUri(req, location, fixed == null);
        List<Map.Entry<String, String>> headers = requestHeaders(req, pp);
        byte[] body = passRequestBody ? req.body() : null;
        Worker w = req.worker();
        Set<Integer> tried = new HashSet<>();
        int maxTries = group != null && nextUpstream ? group.size() : 1;
        boolean timedOut = false;
        while (true) {
            Upstream.Peer peer = null;
            HostPort target;
            if (group != null) {
                peer = group.select(w.id(), req.resty().currentTimeMillis(), tried);
                if (peer == null) {
                    log(req, LogLevel.ERR, "no live upstreams while connecting to upstream, upstream: \""
                            + (pp.ssl() ? "https://" : "http://") + pp.server() + uri + "\"");
                    fail(req, timedOut ? 504 : 502);
                    return;
                }
                tried.add(peer.index());
                target = peer.address();
            } else {
                target = pp.address().withDefaultPort(pp.defaultPort());
                tried.add(0);
            }
            Attempt a = attempt(req, w, pp, group, target, uri, headers, body);
            if (a.outcome() == Outcome.DONE) {
                if (peer != null) {
                    group.succeeded(peer);
                }
                return;
            }
            timedOut = a.timeout();
            if (peer != null && group.failed(peer, req.resty().currentTimeMillis())) {
                log(req, LogLevel.WARN, "upstream server temporarily disabled while connecting to upstream, upstream: \""
                        + url(pp, target, uri) + "\"");
            }
            boolean retry = tried.size() < maxTries
                    && (a.outcome() != Outcome.FAILED_AFTER_SENT || !NON_IDEMPOTENT.contains(req.method()));
            if (!retry) {
                fail(req, timedOut ? 504 : 502);
                return;
            }
        }
    }

    /** One try at one server: connect, send, read the head, then relay the response. */
    private Attempt attempt(RequestContext req, Worker w, ProxyPass pp, Upstream group, HostPort target, String uri,
                            List<Map.Entry<String, String>> headers, byte[] body) {
        int keepalive = group != null ? group.config().keepalive() : UpstreamConfig.DEFAULT_KEEPALIVE;
        long keepaliveTimeout = group != null ? group.config().keepaliveTimeout() : 60_000;
        String upstreamUrl = url(pp, target, uri);
        Connector.Target t = new Connector.Target(target.host(), target.port(), pp.ssl(), sslVerify,
                pp.ssl() ? pp.address().host() : null);
        String pool = "proxy|" + (pp.ssl() ? "https://" : "http://") + target;
        PooledConnection c;
        try {
            c = w.await(rt.connector().connect(w.id(), t, pool, Math.max(1, keepalive), -1, connectTimeout));
        } catch (Worker.AwaitException e) {
            String err = HttpErrors.message(e.getCause(), target.host());
            boolean timeout = "timeout".equals(err);
            log(req, LogLevel.ERR, (timeout ? "upstream timed out (110: Connection timed out)"
                    : err.equals("connection refused") ? "connect() failed (111: Connection refused)" : err)
                    + " while connecting to upstream, upstream: \"" + upstreamUrl + "\"");
            return new Attempt(Outcome.CONNECT_FAILED, timeout);
        }
        Exchange ex = Exchange.sendAndRead(rt.connector().vertx(), c,
                new Exchange.Request(req.method(), uri, headers, body == null ? null : Buffer.buffer(body), false),
                sendTimeout, readTimeout);
        Exchange.Head head;
        boolean sent = false;
        try {
            // one wait for the head: a failed send fails it too (sent() then tells which step failed)
            head = w.await(ex.head(readTimeout));
        } catch (Worker.AwaitException e) {
            sent = ex.sent().isComplete() && ex.sent().succeeded();
            c.close();
            String err = HttpErrors.message(e.getCause(), target.host());
            boolean timeout = "timeout".equals(err);
            String what = sent ? "reading response header from upstream" : "sending request to upstream";
            log(req, LogLevel.ERR, (timeout ? "upstream timed out (110: Connection timed out) while "
                    : err.equals("closed") ? "upstream prematurely closed connection while "
                    : "recv() failed (104: " + err + ") while ") + what + ", upstream: \"" + upstreamUrl + "\"");
            return new Attempt(sent ? Outcome.FAILED_AFTER_SENT : Outcome.FAILED_BEFORE_SENT, timeout);
        }
        relay(req, w, c, head, upstreamUrl, keepalive, keepaliveTimeout);
        return new Attempt(Outcome.DONE, false);
    }

    /** Streams the response to the client through the filters; then pools or closes the connection. */
    private void relay(RequestContext req, Worker w, PooledConnection c, Exchange.Head head, String upstreamUrl,
                       int keepalive, long keepaliveTimeout) {
        req.status(head.status());
        Headers out = req.responseHeaders();
        for (Map.Entry<String, String> h : head.headers()) {
            String lower = h.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP_RESPONSE.contains(lower) && !hide.contains(lower) && !lower.startsWith("x-accel-")) {
                out.add(h.getKey(), h.getValue());
            }
        }
        boolean complete = false;
        try {
            complete = streamBody(req, w, c, head.body(), upstreamUrl);
        } finally {
            // only a connection whose response was read to its end can serve another request
            if (complete && keepalive > 0 && reusable(head)) {
                c.keepAlive(keepaliveTimeout, keepalive);
            } else {
                c.close();
            }
        }
    }

    /** Copies the body to the client; true when all of it was read from the upstream. */
    private boolean streamBody(RequestContext req, Worker w, PooledConnection c, BodyStream body, String upstreamUrl) {
        while (true) {
            Buffer chunk;
            try {
                chunk = w.await(body.next(0, readTimeout, c::close));
            } catch (Worker.AwaitException e) {
                String err = HttpErrors.message(e.getCause(), "");
                log(req, LogLevel.ERR, ("timeout".equals(err) ? "upstream timed out (110: Connection timed out)"
                        : "upstream prematurely closed connection") + " while reading upstream, upstream: \"" + upstreamUrl + "\"");
                if (!req.headersSent()) {
                    req.responseHeaders().clear();
                    fail(req, 502);
                } else {
                    // part of the response is out: like nginx, end the connection so the client sees it cut
                    req.eof(true);
                    req.sink().abort();
                }
                return false;
            }
            if (chunk == null) {
                return true;
            }
            if (chunk.length() == 0) {
                continue;
            }
            if (!req.sink().isConnected()) {
                req.eof(true); // the client left: nothing more to send it
                return false;
            }
            if (!Output.write(req, chunk.getBytes()) || req.eof()) {
                return false; // the filters ended the response early: the rest is not wanted
            }
            if (body.finished()) {
                return true; // the last piece goes out with the end of the response, in one write
            }
            Output.flush(req);
            w.await(req.sink().writable());
        }
    }

    private static boolean reusable(Exchange.Head h) {
        String conn = h.header("Connection");
        String c = conn == null ? "" : conn.toLowerCase(Locale.ROOT);
        return h.version() == HttpVersion.HTTP_1_0 ? c.contains("keep-alive") : !c.contains("close");
    }

    /** The headers sent upstream: Host and proxy_set_header, then the client's (as scripts left them). */
    private List<Map.Entry<String, String>> requestHeaders(RequestContext req, ProxyPass pp) {
        List<Map.Entry<String, String>> out = new ArrayList<>(req.requestHeaders().size() + setHeaders.size());
        for (SetHeader h : setHeaders) {
            String v = h.evaluate(req, pp);
            if (!v.isEmpty()) {
                out.add(Map.entry(h.name, v));
            }
        }
        if (passRequestHeaders) {
            for (Headers.Field f : req.requestHeaders()) {
                String lower = f.name().toLowerCase(Locale.ROOT);
                if (!HOP_BY_HOP_REQUEST.contains(lower) && !overridden(lower)) {
                    out.add(Map.entry(f.name(), f.value()));
                }
            }
        }
        return out;
    }

    private boolean overridden(String lowerName) {
        for (SetHeader h : setHeaders) {
            if (h.lowerName.equals(lowerName)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A proxy_set_header value, split once into the proxy's own variables ({@code $proxy_host},
     * {@code $proxy_port}, {@code $proxy_add_x_forwarded_for}) and text with any other nginx variables.
     */
    private record SetHeader(String name, String lowerName, List<String> texts, List<String> vars) {

        static SetHeader compile(String name, String template) {
            List<String> texts = new ArrayList<>();
            List<String> vars = new ArrayList<>();
            Matcher m = PROXY_VARS.matcher(template);
            int at = 0;
            while (m.find()) {
                texts.add(template.substring(at, m.start()));
                vars.add(m.group(1) != null ? m.group(1) : m.group(2));
                at = m.end();
            }
            texts.add(template.substring(at));
            return new SetHeader(name, name.toLowerCase(Locale.ROOT), List.copyOf(texts), List.copyOf(vars));
        }

        String evaluate(RequestContext req, ProxyPass pp) {
            if (vars.size() == 1 && texts.get(0).isEmpty() && texts.get(1).isEmpty()) {
                return value(vars.get(0), req, pp); // the common "$proxy_host" alone
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < texts.size(); i++) {
                String t = texts.get(i);
                if (!t.isEmpty()) {
                    sb.append(t.indexOf('$') < 0 ? t : Variables.interpolate(req, t));
                }
                if (i < vars.size()) {
                    sb.append(value(vars.get(i), req, pp));
                }
            }
            return sb.toString();
        }

        private static String value(String var, RequestContext req, ProxyPass pp) {
            return switch (var) {
                case "proxy_host" -> pp.proxyHost();
                case "proxy_port" -> Integer.toString(pp.proxyPort());
                default -> {
                    String xff = req.requestHeaders().get("X-Forwarded-For");
                    yield xff == null ? req.remoteAddr() : xff + ", " + req.remoteAddr();
                }
            };
        }
    }

    private static String url(ProxyPass pp, HostPort target, String uri) {
        return (pp.ssl() ? "https://" : "http://") + target + uri;
    }

    private static void fail(RequestContext req, int status) {
        SpecialResponse.send(req, status);
    }

    private static void log(RequestContext req, LogLevel level, String message) {
        req.resty().logger().log(level, req, message);
    }
}
