package dev.resty4j.http.client;

import dev.resty4j.core.api.ArgsCodec;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.socket.SocketSettings;
import dev.resty4j.spi.NativeResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * lua-resty-http's semantics in engine-neutral Java: connect (with ngx_lua's pools), send requests,
 * read responses and bodies, keepalive, the simple {@code request_uri} interface and {@code parse_uri}.
 * Results are neutral values ({@link NativeResult}{@code (nil, err)} on failure, with lua-resty-http's
 * error strings); the script-facing API is shaped by each engine's glue ({@code resty/http.lua}).
 *
 * <p>Strings are byte strings (one char per byte, ISO-8859-1), as everywhere in resty4j.
 */
public final class HttpClientApi {

    public static final String VERSION = "0.17.2";
    public static final String USER_AGENT = "lua-resty-http/" + VERSION + " (Lua) ngx_lua/10026";

    private static final Set<String> EXPECTING_BODY = Set.of("POST", "PUT", "PATCH");
    private static final Pattern URI = Pattern.compile(
            "^(?:(http[s]?):)?//((?:[^\\[\\]:/?]+)|(?:\\[.+\\]))(?::(\\d+))?([^?]*)\\??(.*)", Pattern.DOTALL);

    private final Connector connector;

    public HttpClientApi(Connector connector) {
        this.connector = connector;
    }

    /** {@code http.new()}, with the {@code lua_socket_*} settings in force where it is called. */
    public HttpSession newSession(SocketSettings settings) {
        return new HttpSession(settings);
    }

    /** {@code set_timeout(ms)}: connect, send and read timeouts at once. */
    public void setTimeout(HttpSession s, long ms) {
        s.connectTimeout = s.sendTimeout = s.readTimeout = ms;
    }

    /** {@code set_timeouts(connect, send, read)}; a null keeps the current value. */
    public void setTimeouts(HttpSession s, Long connect, Long send, Long read) {
        if (connect != null) {
            s.connectTimeout = connect;
        }
        if (send != null) {
            s.sendTimeout = send;
        }
        if (read != null) {
            s.readTimeout = read;
        }
    }

    // ------------------------------------------------------------------ connecting

    /**
     * {@code connect{scheme, host, port, pool, pool_size, backlog, ssl_verify, ssl_server_name, proxy_opts}}.
     * With {@code proxy_opts}, http goes to the proxy with absolute request URIs and https through a
     * {@code CONNECT} tunnel, unless {@code no_proxy} names the host.
     */
    public Future<NativeResult> connect(int worker, RequestContext owner, HttpSession s, Map<String, Object> opts) {
        String scheme = string(opts.get("scheme"));
        String host = string(opts.get("host"));
        Integer port = integer(opts.get("port"));
        if (scheme != null && port == null) {
            port = "https".equals(scheme) ? 443 : 80;
        } else if (port != null && scheme == null) {
            return Future.succeededFuture(NativeResult.error("'scheme' is required when providing a port"));
        }
        if (host == null) {
            throw new NgxApiException("bad argument #1 to 'connect' (string expected, got nil)");
        }
        if (port == null) {
            return unsupportedUnix(host);
        }
        boolean ssl = "https".equals(scheme);
        boolean verify = ssl && !Boolean.FALSE.equals(opts.get("ssl_verify"));
        String sni = ssl ? string(opts.get("ssl_server_name")) : null;
        ProxyChoice proxy;
        try {
            proxy = ProxyChoice.of(opts.get("proxy_opts"), scheme, host);
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(NativeResult.error(e.getMessage()));
        }
        String pool = string(opts.get("pool"));
        if (pool == null) {
            // lua-resty-http's pool name: connections differing in any of these must not be shared
            pool = scheme + ":" + host + ":" + port + ":" + ssl + ":" + (sni == null ? "" : sni) + ":" + verify + ":"
                    + (proxy == null ? "" : proxy.uri) + ":" + (proxy != null && ssl && proxy.authorization != null ? proxy.authorization : "");
        }
        Connector.Target target;
        if (proxy != null && !ssl) {
            // plain http through a proxy: the connection is to the proxy itself
            target = new Connector.Target(proxy.host, proxy.port, false, false, null);
        } else {
            target = new Connector.Target(host, port, ssl, verify, sni, s.settings.trustedCertificate(),
                    proxy == null ? null : proxy.tunnel());
        }
        int p = port;
        return open(worker, owner, s, target, pool, integer(opts.get("pool_size")), integer(opts.get("backlog")))
                .map(r -> {
                    if (r.values().get(0) == null) {
                        return r;
                    }
                    // the Host header and request line name the origin, not the proxy
                    s.host = host;
                    s.port = p;
                    s.ssl = ssl;
                    if (proxy != null && !ssl) {
                        s.pathPrefix = "http://" + host + (p == 80 ? "" : ":" + p);
                        s.proxyAuthorization = proxy.authorization;
                    }
                    return NativeResult.of(true);
                });
    }

    /** {@code get_proxy_uri(scheme, host)}: the proxy URI {@code proxy_opts} give for that host, or null. */
    public static String proxyUri(Object proxyOpts, String scheme, String host) {
        ProxyChoice p = ProxyChoice.of(proxyOpts, scheme, host);
        return p == null ? null : p.uri;
    }

    /** The proxy a connection goes through, from lua-resty-http's {@code proxy_opts}. */
    private record ProxyChoice(String uri, String host, int port, String authorization) {

        static ProxyChoice of(Object opts, String scheme, String host) {
            if (!(opts instanceof Map<?, ?> o)) {
                return null;
            }
            boolean ssl = "https".equals(scheme);
            String uri = string(o.get(ssl ? "https_proxy" : "http_proxy"));
            if (uri == null || bypass(string(o.get("no_proxy")), host)) {
                return null;
            }
            NativeResult parsed = parseUri(uri, false, null);
            if (parsed.values().get(0) == null) {
                throw new IllegalArgumentException("failed to parse proxy uri: " + uri);
            }
            List<?> parts = (List<?>) parsed.values().get(0);
            if (!"http".equals(parts.get(0))) {
                throw new IllegalArgumentException("protocol " + parts.get(0) + " not supported for proxy connections");
            }
            return new ProxyChoice(uri, (String) parts.get(1), ((Number) parts.get(2)).intValue(),
                    string(o.get(ssl ? "https_proxy_authorization" : "http_proxy_authorization")));
        }

        /** {@code no_proxy}: {@code *}, or hosts (and their subdomains), comma-separated. */
        private static boolean bypass(String noProxy, String host) {
            if (noProxy == null) {
                return false;
            }
            if (noProxy.trim().equals("*")) {
                return true;
            }
            String h = host.toLowerCase(Locale.ROOT);
            for (String entry : noProxy.split("[,\\s]+")) {
                String e = entry.startsWith(".") ? entry.substring(1) : entry;
                e = e.toLowerCase(Locale.ROOT);
                if (!e.isEmpty() && (h.equals(e) || h.endsWith("." + e))) {
                    return true;
                }
            }
            return false;
        }

        /** Vert.x's CONNECT tunnel to the proxy, with Basic credentials from the authorization value. */
        io.vertx.core.net.ProxyOptions tunnel() {
            io.vertx.core.net.ProxyOptions p = new io.vertx.core.net.ProxyOptions()
                    .setType(io.vertx.core.net.ProxyType.HTTP).setHost(host).setPort(port);
            if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                String userPass = new String(java.util.Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.ISO_8859_1);
                int colon = userPass.indexOf(':');
                if (colon >= 0) {
                    p.setUsername(userPass.substring(0, colon)).setPassword(userPass.substring(colon + 1));
                }
            }
            return p;
        }
    }

    /** The older {@code connect(host, port, options)} form: a plain TCP connection (pool {@code host:port}). */
    public Future<NativeResult> connectLegacy(int worker, RequestContext owner, HttpSession s, String host, Object portArg,
                                              Map<String, Object> opts) {
        Integer port = integer(portArg);
        if (port == null) {
            return unsupportedUnix(host);
        }
        String pool = opts == null ? null : string(opts.get("pool"));
        return open(worker, owner, s, new Connector.Target(host, port, false, false, null),
                pool != null ? pool : host + ":" + port,
                opts == null ? null : integer(opts.get("pool_size")), opts == null ? null : integer(opts.get("backlog")));
    }

    private static Future<NativeResult> unsupportedUnix(String host) {
        return Future.succeededFuture(NativeResult.error(host.startsWith("unix:")
                ? "unix domain sockets are not supported by resty4j" : "no port given for " + host));
    }

    private Future<NativeResult> open(int worker, RequestContext owner, HttpSession s, Connector.Target t, String pool,
                                      Integer poolSize, Integer backlog) {
        PooledConnection old = s.release();
        if (old != null) {
            old.close(); // ngx_lua closes the previous connection of a socket that connects again
        }
        s.host = t.host();
        s.port = t.port();
        s.ssl = t.ssl();
        s.keepalive = true;
        s.pathPrefix = null;
        s.proxyAuthorization = null;
        return connector.connect(worker, t, pool, poolSize == null ? -1 : poolSize, backlog == null ? -1 : backlog,
                        s.connectTimeout)
                .map(c -> {
                    s.attach(c);
                    s.closeAtEndOf(owner);
                    return NativeResult.of(1L);
                })
                .recover(e -> Future.succeededFuture(NativeResult.error(error(e, t.host()))));
    }

    // ------------------------------------------------------------------ requests

    /**
     * {@code send_request(params)}: writes a request on the connection; returns the exchange whose
     * response {@link #readResponse} reads. With {@code streamBody}, only the head is sent and the body
     * follows through {@link #writeBody} / {@link #endBody}.
     */
    public Future<Object> sendRequest(HttpSession s, Map<String, Object> params, boolean streamBody) {
        return sendRequest(s, params, streamBody, false);
    }

    /** @param readAtOnce start the read timeout when the request is written (for {@code request}) */
    private Future<Object> sendRequest(HttpSession s, Map<String, Object> params, boolean streamBody, boolean readAtOnce) {
        PooledConnection c = s.connection();
        if (c == null || c.isClosed()) {
            return Future.succeededFuture(NativeResult.error("closed"));
        }
        Exchange.Request r;
        try {
            r = buildRequest(s, params, streamBody);
        } catch (RequestError e) {
            return Future.succeededFuture(NativeResult.error(e.getMessage()));
        }
        Exchange ex = readAtOnce ? Exchange.sendAndRead(connector.vertx(), c, r, s.sendTimeout, s.readTimeout)
                : Exchange.send(connector.vertx(), c, r, s.sendTimeout);
        s.last = ex;
        return ex.sent().<Object>map(v -> ex).recover(e -> Future.succeededFuture(NativeResult.error(error(e, s.host))));
    }

    /** {@code read_response}: the response head of an exchange, as lua-resty-http's {@code res} fields. */
    public Future<Object> readResponse(HttpSession s, Exchange ex) {
        return ex.head(s.readTimeout).<Object>map(h -> {
            s.keepalive = keepalive(h);
            return response(ex, h);
        }).recover(e -> Future.succeededFuture(NativeResult.error(error(e, s.host))));
    }

    /** {@code request(params)}: send, then read the response head. */
    public Future<Object> request(HttpSession s, Map<String, Object> params) {
        return sendRequest(s, params, false, true).compose(r -> r instanceof Exchange ex ? readResponse(s, ex) : Future.succeededFuture(r));
    }

    /** Writes a chunk of a streamed request body. */
    public Future<NativeResult> writeBody(HttpSession s, Exchange ex, byte[] chunk) {
        return ex.write(Buffer.buffer(chunk), s.sendTimeout).map(v -> NativeResult.of(true))
                .recover(e -> Future.succeededFuture(NativeResult.error(error(e, s.host))));
    }

    /** Ends a streamed request body. */
    public Future<NativeResult> endBody(HttpSession s, Exchange ex) {
        return ex.end(s.sendTimeout).map(v -> NativeResult.of(true))
                .recover(e -> Future.succeededFuture(NativeResult.error(error(e, s.host))));
    }

    /**
     * {@code res.body_reader(max)}: the next piece of the body, or nil at its end. Without {@code max}, a
     * chunked body comes as it arrives and any other body whole; with it, pieces of at most {@code max}
     * bytes (exactly {@code max} for a body of known length, except the last).
     */
    public Future<NativeResult> read(HttpSession s, Exchange ex, Integer max) {
        Exchange.Head h = ex.received();
        if (h == null) {
            return Future.succeededFuture(NativeResult.error("no response"));
        }
        BodyStream body = h.body();
        boolean chunked = isChunked(h.header("Transfer-Encoding"));
        boolean known = !chunked && h.header("Content-Length") != null;
        Runnable onTimeout = ex.connection()::close;
        Future<Buffer> f;
        if (max == null || max <= 0) {
            // the rest at once; once it has been handed out (or was empty), the end
            f = chunked ? body.next(0, s.readTimeout, onTimeout)
                    : body.rest(s.readTimeout, onTimeout).map(b -> b.length() == 0 ? null : b);
        } else {
            f = known ? body.exactly(max, s.readTimeout, onTimeout) : body.next(max, s.readTimeout, onTimeout);
        }
        return f.map(b -> b == null ? NativeResult.of((Object) null) : NativeResult.of(b.getBytes()))
                .recover(e -> Future.succeededFuture(NativeResult.error(error(e, s.host))));
    }

    /** {@code res:read_body()}: the rest of the body; on failure {@code nil, err, partial}. */
    public Future<NativeResult> readAll(HttpSession s, Exchange ex) {
        Exchange.Head h = ex.received();
        if (h == null) {
            return Future.succeededFuture(NativeResult.error("no response"));
        }
        return h.body().rest(s.readTimeout, ex.connection()::close)
                .map(b -> NativeResult.of(b.getBytes()))
                .recover(e -> Future.succeededFuture(NativeResult.of(null, error(e, s.host),
                        e instanceof BodyStream.PartialBody p ? p.partial.getBytes() : new byte[0])));
    }

    /** The trailers of a fully read chunked response, as {@code {name, value}} pairs. */
    public List<List<String>> trailers(Exchange ex) {
        Exchange.Head h = ex.received();
        List<List<String>> out = new ArrayList<>();
        if (h != null && h.body().finished()) {
            for (Map.Entry<String, String> e : h.raw().trailers()) {
                out.add(List.of(e.getKey(), e.getValue()));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ connection end

    /**
     * {@code set_keepalive(timeout, pool_size)}: 1 when pooled; {@code 2, "connection must be closed"}
     * when the response forbade reuse (the connection is closed); {@code nil, err} otherwise.
     */
    public NativeResult setKeepalive(HttpSession s, Long timeout, Long poolSize) {
        if (poolSize != null && poolSize <= 0) {
            throw new NgxApiException("bad argument #3 to 'setkeepalive' (bad \"pool_size\" option value: " + poolSize + ")");
        }
        PooledConnection c = s.connection();
        if (c == null) {
            s.release();
            return NativeResult.error("closed");
        }
        if (!s.keepalive) {
            s.release();
            c.close();
            return NativeResult.of(2L, "connection must be closed");
        }
        Exchange last = s.last;
        if (last != null && !last.bodyDone() && !c.isClosed()) {
            return NativeResult.error("unread data in buffer");
        }
        s.release(); // a connection the peer closed meanwhile is simply not pooled
        long idle = timeout == null ? s.settings.keepaliveTimeout() : timeout;
        c.keepAlive(idle, poolSize == null ? s.settings.poolSize() : poolSize.intValue());
        return NativeResult.of(1L);
    }

    /** {@code close()}. */
    public NativeResult close(HttpSession s) {
        PooledConnection c = s.release();
        if (c == null) {
            return NativeResult.error("closed");
        }
        c.close();
        return NativeResult.of(1L);
    }

    /** {@code get_reused_times()}. */
    public NativeResult reusedTimes(HttpSession s) {
        PooledConnection c = s.connection();
        return c == null ? NativeResult.error("closed") : NativeResult.of((long) c.reusedTimes());
    }

    // ------------------------------------------------------------------ the simple interface

    /**
     * {@code request_uri(uri, params)}: connect, request, read the whole body, then keep the connection
     * alive ({@code keepalive_timeout}, {@code keepalive_pool}) or close it ({@code keepalive = false}).
     *
     * @param requestScheme the current request's scheme, for schemaless URIs (null outside requests)
     * @param errorLog      where a failed keepalive is logged, as lua-resty-http logs it
     */
    public Future<Object> requestUri(int worker, RequestContext owner, HttpSession s, String uri, Map<String, Object> params,
                                     String requestScheme, Consumer<String> errorLog) {
        NativeResult parsed = parseUri(uri, false, requestScheme);
        if (parsed.values().get(0) == null) {
            return Future.succeededFuture(parsed);
        }
        @SuppressWarnings("unchecked")
        List<Object> parts = (List<Object>) parsed.values().get(0);
        Map<String, Object> p = new LinkedHashMap<>(params);
        p.put("scheme", parts.get(0));
        p.put("host", parts.get(1));
        p.put("port", parts.get(2));
        p.putIfAbsent("path", parts.get(3));
        if (p.get("query") == null && parts.get(4) != null) {
            p.put("query", parts.get(4));
        }
        p.putIfAbsent("ssl_server_name", parts.get(1));
        if (p.get("proxy_opts") instanceof Map<?, ?> po && p.get("headers") instanceof Map<?, ?> h) {
            // lua-resty-http: a Proxy-Authorization request header is the proxy credentials
            for (Map.Entry<?, ?> e : h.entrySet()) {
                if ("proxy-authorization".equalsIgnoreCase(String.valueOf(e.getKey()))) {
                    Map<Object, Object> copy = new LinkedHashMap<>(po);
                    copy.put("http_proxy_authorization", e.getValue());
                    copy.put("https_proxy_authorization", e.getValue());
                    p.put("proxy_opts", copy);
                }
            }
        }
        return connect(worker, owner, s, p).compose(ok -> {
            if (ok.values().get(0) == null) {
                return Future.succeededFuture(ok);
            }
            return request(s, p).compose(r -> {
                if (!(r instanceof Map<?, ?> res)) {
                    close(s);
                    return Future.succeededFuture(r);
                }
                Exchange ex = (Exchange) res.get("exchange");
                return readAll(s, ex).map(body -> {
                    if (body.values().get(0) == null) {
                        close(s);
                        return (Object) NativeResult.error((String) body.values().get(1));
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> out = (Map<String, Object>) res;
                    out.put("body", body.values().get(0));
                    NativeResult end = Boolean.FALSE.equals(p.get("keepalive")) ? close(s)
                            : setKeepalive(s, longValue(p.get("keepalive_timeout")), longValue(p.get("keepalive_pool")));
                    if (end.values().get(0) == null) {
                        errorLog.accept(String.valueOf(end.values().get(1)));
                    }
                    return out;
                });
            });
        });
    }

    /**
     * {@code parse_uri(uri, query_in_path)}: {@code {scheme, host, port, path, query}} or
     * {@code nil, "bad uri: …"}. With {@code query_in_path} (the default) the query stays in the path.
     */
    public static NativeResult parseUri(String uri, boolean queryInPath, String requestScheme) {
        Matcher m = URI.matcher(uri);
        if (!m.find()) {
            return NativeResult.error("bad uri: " + uri);
        }
        String scheme = m.group(1);
        if (scheme == null) {
            if ("http".equals(requestScheme) || "https".equals(requestScheme)) {
                scheme = requestScheme;
            } else {
                return NativeResult.error("schemaless URIs require a request context: " + uri);
            }
        }
        long port = m.group(3) != null ? Long.parseLong(m.group(3)) : "https".equals(scheme) ? 443 : 80;
        String path = m.group(4) == null || m.group(4).isEmpty() ? "/" : m.group(4);
        String query = m.group(5);
        List<Object> out = new ArrayList<>(5);
        out.add(scheme);
        out.add(m.group(2));
        out.add(port);
        if (queryInPath && query != null && !query.isEmpty()) {
            out.add(path + "?" + query);
            out.add(null);
        } else {
            out.add(path);
            out.add(query);
        }
        return NativeResult.of(out);
    }

    // ------------------------------------------------------------------ helpers

    private static final class RequestError extends Exception {
        RequestError(String message) {
            super(message, null, false, false);
        }
    }

    /** lua-resty-http's request formatting: default method and path, computed headers, the body bytes. */
    private static Exchange.Request buildRequest(HttpSession s, Map<String, Object> params, boolean streamBody)
            throws RequestError {
        String method = params.get("method") == null ? "GET" : scalar(params.get("method")).toUpperCase(Locale.ROOT);
        String path = params.get("path") == null ? "/" : scalar(params.get("path"));
        String query = params.get("query") == null ? "" : scalar(params.get("query"));
        if (!query.isEmpty() && query.charAt(0) != '?') {
            query = "?" + query;
        }
        Object bodyArg = params.get("body");
        Buffer body = null;
        if (bodyArg instanceof List<?> parts) {
            body = Buffer.buffer();
            for (Object part : parts) {
                body.appendBytes(bytes(scalar(part)));
            }
        } else if (bodyArg != null) {
            body = Buffer.buffer(bodyArg instanceof byte[] b ? b : bytes(scalar(bodyArg)));
        }
        Map<String, Map.Entry<String, List<String>>> headers = new LinkedHashMap<>();
        if (params.get("headers") instanceof Map<?, ?> given) {
            for (Map.Entry<?, ?> e : given.entrySet()) {
                String name = String.valueOf(e.getKey());
                List<String> values = new ArrayList<>();
                if (e.getValue() instanceof List<?> l) {
                    l.forEach(v -> values.add(scalar(v)));
                } else {
                    values.add(scalar(e.getValue()));
                }
                // case-insensitive, as lua-resty-http's header table: a later spelling replaces the values
                String key = name.toLowerCase(Locale.ROOT);
                Map.Entry<String, List<String>> prev = headers.get(key);
                headers.put(key, Map.entry(prev != null ? prev.getKey() : name, values));
            }
        }
        if (isChunked(first(headers, "transfer-encoding"))) {
            headers.remove("content-length");
        } else if (!headers.containsKey("content-length")) {
            if (streamBody) {
                throw new RequestError("Request body is a function but a length or chunked encoding is not specified");
            }
            if (body != null) {
                headers.put("content-length", Map.entry("Content-Length", List.of(Integer.toString(body.length()))));
            } else if (EXPECTING_BODY.contains(method)) {
                headers.put("content-length", Map.entry("Content-Length", List.of("0")));
            }
        }
        if (!headers.containsKey("host")) {
            if (s.host.startsWith("unix:")) {
                throw new RequestError("Unable to generate a useful Host header for a unix domain socket. Please provide one.");
            }
            boolean defaultPort = s.port < 0 || (s.ssl ? s.port == 443 : s.port == 80);
            headers.put("host", Map.entry("Host", List.of(defaultPort ? s.host : s.host + ":" + s.port)));
        }
        headers.putIfAbsent("user-agent", Map.entry("User-Agent", List.of(USER_AGENT)));
        if (s.proxyAuthorization != null) {
            headers.putIfAbsent("proxy-authorization", Map.entry("Proxy-Authorization", List.of(s.proxyAuthorization)));
        }
        List<Map.Entry<String, String>> lines = new ArrayList<>();
        for (Map.Entry<String, List<String>> h : headers.values()) {
            for (String v : h.getValue()) {
                lines.add(Map.entry(h.getKey(), v));
            }
        }
        String prefix = s.pathPrefix == null ? "" : s.pathPrefix;
        return new Exchange.Request(method, prefix + path + query, lines, body, streamBody);
    }

    private static String first(Map<String, Map.Entry<String, List<String>>> headers, String key) {
        Map.Entry<String, List<String>> e = headers.get(key);
        return e == null || e.getValue().isEmpty() ? null : e.getValue().get(0);
    }

    /** The response fields lua-resty-http returns; the glue only gives the header table its metatable. */
    private static Map<String, Object> response(Exchange ex, Exchange.Head h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", (long) h.status());
        m.put("reason", h.reason());
        m.put("headers", headerTable(h.headers()));
        m.put("has_body", Exchange.hasBody(ex.method(), h.status()));
        m.put("exchange", ex);
        return m;
    }

    /**
     * lua-resty-http's response header table: one entry per header name, under the spelling it first came
     * in, a list of the values when it came more than once. Merged here rather than in Lua, where each line
     * was a metamethod call and a string.lower (a fifth of a resty.http call's CPU was the interpreted glue).
     */
    private static Map<String, Object> headerTable(List<Map.Entry<String, String>> lines) {
        // a key put again in any case keeps the spelling it was first put with
        Map<String, Object> table = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> line : lines) {
            Object cur = table.putIfAbsent(line.getKey(), line.getValue());
            if (cur instanceof List<?> values) {
                @SuppressWarnings("unchecked")
                List<String> list = (List<String>) values;
                list.add(line.getValue());
            } else if (cur != null) {
                List<String> list = new ArrayList<>(2);
                list.add((String) cur);
                list.add(line.getValue());
                table.put(line.getKey(), list);
            }
        }
        return table;
    }

    /** lua-resty-http's rule: HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "keep-alive". */
    private static boolean keepalive(Exchange.Head h) {
        String conn = h.header("Connection");
        boolean http10 = h.version() == HttpVersion.HTTP_1_0;
        if (conn == null) {
            return !http10;
        }
        String c = conn.toLowerCase(Locale.ROOT);
        return http10 ? c.contains("keep-alive") : !c.contains("close");
    }

    private static boolean isChunked(String transferEncoding) {
        return transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked");
    }

    static String error(Throwable e, String host) {
        return HttpErrors.message(e, host);
    }

    private static String string(Object v) {
        return v == null ? null : scalar(v);
    }

    /** Lua's tostring of a scalar (numbers without ".0" when integral). */
    static String scalar(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Number n) {
            return ArgsCodec.formatNumber(n);
        }
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.ISO_8859_1);
        }
        return String.valueOf(v);
    }

    private static Integer integer(Object v) {
        if (v instanceof Number n) {
            return n.intValue();
        }
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Long longValue(Object v) {
        return v instanceof Number n ? n.longValue() : null;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
