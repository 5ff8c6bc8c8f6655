package dev.resty4j.core.request;

import dev.resty4j.Location;
import dev.resty4j.Phase;
import dev.resty4j.Resty;
import dev.resty4j.core.worker.Worker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything resty4j knows about one request while its phases run: what the client sent, the response
 * being built, the current location and phase, and the per-request state scripts keep ({@code ngx.ctx},
 * user variables). Engine-neutral: engines read and change it only through the {@code dev.resty4j.core.api}
 * functions.
 *
 * <p>Strings that come off the wire (URI, args, header names and values) are byte strings: one char per
 * byte (ISO-8859-1), so every byte a client sends reaches a script unchanged.
 *
 * <p>Confined to its worker: only the fiber currently holding the worker touches it.
 */
public final class RequestContext {

    /** Marker for "no exit requested". */
    public static final int NO_EXIT = Integer.MIN_VALUE;

    private final Resty resty;
    private final long id;
    private Worker worker;

    // ---- what the client sent
    private String method;
    private String requestUri;
    private String uri;
    private String args;
    private String httpVersion = "1.1";
    private final Headers requestHeaders;
    private byte[] body;
    private boolean bodyRead;
    private boolean bodyDiscarded;
    private String bodyFile;
    private Object bodyBuilder;
    private String remoteAddr = "127.0.0.1";
    private int remotePort;
    private String serverAddr = "127.0.0.1";
    private int serverPort;
    private String serverName = "localhost";
    private String scheme = "http";
    private final double startTime;
    private final long startNanos;
    private boolean internal;
    private int redirects;

    // ---- routing and phase
    private Location location;
    private Phase phase;
    private dev.resty4j.core.ServerConfig server;
    private RequestContext parent;
    private String requestId;

    // ---- the response
    private int status;
    private final Headers responseHeaders = new Headers(8);
    private boolean headersSent;
    private boolean headTransmitted;
    private final List<byte[]> pending = new ArrayList<>(4);
    private long pendingBytes;
    private long bodyBytesSent;
    private boolean eof;
    private boolean flushedOnce;
    private boolean http10Buffering;
    private boolean contentTypeCleared;
    private boolean outputFilterFailed;
    private boolean serverCleared;
    private Runnable contentFallback;
    private String[] captures;
    private boolean handedOff;
    private ResponseSink sink;

    // ---- control flow requested by the current script
    private int exitStatus = NO_EXIT;
    private String execUri;
    private String execArgs;

    // ---- per-request script state
    private final Object[] engineCtx = new Object[2];
    private Map<String, String> userVars;
    private Object phaseResult;
    private List<Runnable> cleanups;

    public RequestContext(Resty resty, long id, Headers requestHeaders, double startTime, long startNanos) {
        this.resty = resty;
        this.id = id;
        this.requestHeaders = requestHeaders;
        this.startTime = startTime;
        this.startNanos = startNanos;
    }

    public Resty resty() { return resty; }
    public long id() { return id; }
    public Worker worker() { return worker; }
    public void worker(Worker w) { this.worker = w; }

    public String method() { return method; }
    public void method(String m) { this.method = m; }
    /** The raw request target as on the request line ({@code $request_uri}). */
    public String requestUri() { return requestUri; }
    public void requestUri(String u) { this.requestUri = u; }
    /** The decoded, normalized path ({@code $uri}). */
    public String uri() { return uri; }
    public void uri(String u) { this.uri = u; }
    /** The raw query string without '?', or null ({@code $args}). */
    public String args() { return args; }
    public void args(String a) { this.args = a; }
    /** "1.0", "1.1" or "2.0". */
    public String httpVersion() { return httpVersion; }
    public void httpVersion(String v) { this.httpVersion = v; }
    public Headers requestHeaders() { return requestHeaders; }
    /** The whole request body as received (null when the request had none). */
    public byte[] body() { return body; }
    public void body(byte[] b) { this.body = b; }
    /** True once {@code ngx.req.read_body} ran (or {@code lua_need_request_body on}). */
    public boolean bodyRead() { return bodyRead; }
    public void bodyRead(boolean r) { this.bodyRead = r; }
    /** The temporary file holding the body where nginx would spool it ({@code get_body_file}), or null. */
    public String bodyFile() { return bodyFile; }
    public void bodyFile(String path) { this.bodyFile = path; }
    /** The body a script is building with {@code ngx.req.init_body}/{@code append_body}, or null. */
    public Object bodyBuilder() { return bodyBuilder; }
    public void bodyBuilder(Object b) { this.bodyBuilder = b; }
    public boolean bodyDiscarded() { return bodyDiscarded; }
    public void bodyDiscarded(boolean d) { this.bodyDiscarded = d; }
    public String remoteAddr() { return remoteAddr; }
    public void remoteAddr(String a) { this.remoteAddr = a; }
    public int remotePort() { return remotePort; }
    public void remotePort(int p) { this.remotePort = p; }
    public String serverAddr() { return serverAddr; }
    public void serverAddr(String a) { this.serverAddr = a; }
    public int serverPort() { return serverPort; }
    public void serverPort(int p) { this.serverPort = p; }
    public String serverName() { return serverName; }
    public void serverName(String n) { this.serverName = n; }
    public String scheme() { return scheme; }
    public void scheme(String s) { this.scheme = s; }
    /** Seconds since the epoch when the request arrived ({@code ngx.req.start_time()}). */
    public double startTime() { return startTime; }
    public long startNanos() { return startNanos; }
    /** True after an internal redirect ({@code ngx.exec}). */
    public boolean internal() { return internal; }
    public void internal(boolean i) { this.internal = i; }
    public int redirects() { return redirects; }
    public void redirects(int r) { this.redirects = r; }

    /** The server block serving this request. */
    public dev.resty4j.core.ServerConfig server() { return server; }
    public void server(dev.resty4j.core.ServerConfig s) { this.server = s; }
    /** The request that issued this subrequest ({@code ngx.location.capture}), or null for a main request. */
    /**
     * nginx's {@code $request_id}: 16 random bytes as 32 hex digits, drawn on first use and kept for the
     * request; a subrequest shares its main request's (as nginx's does).
     */
    public String requestId() {
        if (parent != null) {
            return parent.requestId();
        }
        String rid = requestId;
        if (rid == null) {
            java.util.concurrent.ThreadLocalRandom rnd = java.util.concurrent.ThreadLocalRandom.current();
            rid = String.format(java.util.Locale.ROOT, "%016x%016x", rnd.nextLong(), rnd.nextLong());
            requestId = rid;
        }
        return rid;
    }

    public RequestContext parent() { return parent; }
    public void parent(RequestContext p) { this.parent = p; }
    public boolean isSubrequest() { return parent != null; }
    public Location location() { return location; }
    public void location(Location l) { this.location = l; }
    public Phase phase() { return phase; }
    public void phase(Phase p) { this.phase = p; }

    /** The response status, 0 until set (then 200 when the content phase produces output). */
    public int status() { return status; }
    public void status(int s) { this.status = s; }
    public Headers responseHeaders() { return responseHeaders; }
    /** True once the header filter ran: from then on response headers and status are fixed. */
    public boolean headersSent() { return headersSent; }
    public void headersSent(boolean s) { this.headersSent = s; }
    /** True once the status line went to the host. */
    public boolean headTransmitted() { return headTransmitted; }
    public void headTransmitted(boolean t) { this.headTransmitted = t; }
    /** Body bytes produced but not yet handed to the host. */
    public List<byte[]> pending() { return pending; }
    public long pendingBytes() { return pendingBytes; }
    public void addPending(byte[] data) {
        pending.add(data);
        pendingBytes += data.length;
    }
    public void clearPending() {
        pending.clear();
        pendingBytes = 0;
    }
    public long bodyBytesSent() { return bodyBytesSent; }
    public void addBodyBytesSent(long n) { bodyBytesSent += n; }
    /** True once the response body ended ({@code ngx.eof} or the end of the content phase). */
    public boolean eof() { return eof; }
    public void eof(boolean e) { this.eof = e; }
    public boolean flushedOnce() { return flushedOnce; }
    /** True while an HTTP/1.0 response is buffered whole for its Content-Length ({@code lua_http10_buffering}). */
    public boolean http10Buffering() { return http10Buffering; }
    public void http10Buffering(boolean b) { this.http10Buffering = b; }
    public void flushedOnce(boolean f) { this.flushedOnce = f; }
    /** Groups captured by the matching regex location ({@code $1}, {@code $2}, … = {@code ngx.var[1]}…), or null. */
    public String[] captures() { return captures; }
    public void captures(String[] c) { this.captures = c; }

    /**
     * What produces content when the matched location has none of its own (or no location matches): the
     * embedding application's next handler (Vert.x Web's {@code ctx.next()}). Null: nginx's static 404.
     */
    public Runnable contentFallback() { return contentFallback; }
    public void contentFallback(Runnable f) { this.contentFallback = f; }
    /** True once the request went to {@link #contentFallback()}: the response is no longer resty4j's to finish. */
    public boolean handedOff() { return handedOff; }
    public void handedOff(boolean h) { this.handedOff = h; }

    /** True once a script cleared Content-Type: then no default type is added (as nginx). */
    public boolean contentTypeCleared() { return contentTypeCleared; }
    public void contentTypeCleared(boolean c) { this.contentTypeCleared = c; }
    /**
     * True once a filter replaced the response while a script's output call was sending the headers (a
     * 412 from the not-modified filter): that call reports {@code "nginx output filter error"}.
     */
    public boolean outputFilterFailed() { return outputFilterFailed; }
    public void outputFilterFailed(boolean f) { this.outputFilterFailed = f; }

    /** True once a script or more_clear_headers removed Server: then none is added (as nginx). */
    public boolean serverCleared() { return serverCleared; }
    public void serverCleared(boolean c) { this.serverCleared = c; }
    public ResponseSink sink() { return sink; }
    public void sink(ResponseSink s) { this.sink = s; }

    /** The status given to {@code ngx.exit} in the current phase, or {@link #NO_EXIT}. */
    public int exitStatus() { return exitStatus; }
    public void exitStatus(int s) { this.exitStatus = s; }
    /** The target of a pending {@code ngx.exec}, or null. */
    public String execUri() { return execUri; }
    public String execArgs() { return execArgs; }
    public void exec(String uri, String args) {
        this.execUri = uri;
        this.execArgs = args;
    }

    /** The engine's {@code ngx.ctx} object for this request (slot per engine), created lazily by the engine. */
    public Object engineCtx(int slot) { return engineCtx[slot]; }
    public void engineCtx(int slot, Object ctx) { engineCtx[slot] = ctx; }

    /** User variables ({@code set $x ...}), created lazily. */
    public Map<String, String> userVars() {
        if (userVars == null) {
            userVars = new HashMap<>();
        }
        return userVars;
    }
    public boolean hasUserVars() { return userVars != null; }
    /** Makes this request use another request's variables (subrequests with {@code share_all_vars}). */
    public void userVars(Map<String, String> vars) { this.userVars = vars; }

    /** Scratch slot for the value a phase hands back (set_by_lua result, body filter chunk). */
    public Object phaseResult() { return phaseResult; }
    public void phaseResult(Object r) { this.phaseResult = r; }

    /**
     * Registers work for the end of the request, before the log phase, as nginx's request cleanups (e.g.
     * closing cosockets a script left open).
     */
    public void addCleanup(Runnable cleanup) {
        if (cleanups == null) {
            cleanups = new ArrayList<>(2);
        }
        cleanups.add(cleanup);
    }

    /** Runs the registered cleanups once, in registration order; a failing one does not stop the others. */
    public void runCleanups() {
        List<Runnable> list = cleanups;
        cleanups = null;
        if (list == null) {
            return;
        }
        for (Runnable r : list) {
            try {
                r.run();
            } catch (RuntimeException e) {
                resty.logger().internalError("request cleanup failed", e);
            }
        }
    }

    /** True when the response carries no body: HEAD requests, 204 and 304 responses. */
    public boolean headerOnly() {
        return "HEAD".equals(method) || status == 204 || status == 304;
    }

    /** "GET /t?a=1 HTTP/1.1", as nginx prints it in log lines. */
    public String requestLine() {
        return method + " " + requestUri + " HTTP/" + httpVersion;
    }
}
