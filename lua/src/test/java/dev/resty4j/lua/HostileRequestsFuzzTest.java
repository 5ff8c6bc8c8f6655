package dev.resty4j.lua;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.log.LogRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, "Hostile requests": at least 100,000 generated malformed or extreme requests, as raw bytes over
 * plain sockets, at the real Vert.x host whose locations exercise {@code ngx.req.get_headers},
 * {@code get_uri_args}, {@code read_body}, {@code get_body_data}, {@code get_post_args}, {@code ngx.var.*},
 * cookies and {@code ngx.unescape_uri}. Requests a client may send (however extreme) must get their 200
 * (pipelined on keep-alive connections); malformed ones a 4xx or a closed connection; oversize bodies a 413.
 * Never a 5xx, never a script error or a library exception in the log, never a connection left hanging, and
 * the heap after GC ends close to where it started.
 *
 * <p>The generator is seeded: {@code -Dfuzz.seed=N} replays a run, {@code -Dfuzz.requests=N} changes its
 * size. Each connection's requests come from {@code new Random(seed * 31 + connection)}, so a failure names the
 * connection that reproduces it.
 */
class HostileRequestsFuzzTest {

    static final long DEFAULT_SEED = 20261127L;
    static final int MAX_BODY = 64 * 1024;
    static final int READ_TIMEOUT_MS = 15_000;

    private static final String HEADERS_LUA = """
            local h, err = ngx.req.get_headers()
            local n = 0
            for k, v in pairs(ngx.req.get_headers(0, true)) do
                n = n + (type(v) == "table" and #v or 1)
            end
            local fuzz = ngx.var.http_x_fuzz
            ngx.req.set_header("X-Seen", fuzz)
            if fuzz and #fuzz < 8192 then -- (Netty's response decoder in the test client chokes on longer lines)
                ngx.header["X-Echo"] = fuzz
            end
            ngx.header["X-Count"] = n
            ngx.say("headers ", n, " ", tostring(err), " ", #ngx.req.raw_header(), " ", ngx.var.http_user_agent or "-")
            ngx.say(ngx.var.host or "-", " ", ngx.var.http_host or "-", " ", ngx.var.http_x_dup or "-")
            ngx.say("done")
            """;

    private static final String ARGS_LUA = """
            local args, err = ngx.req.get_uri_args()
            local n = 0
            for k, v in pairs(ngx.req.get_uri_args(0)) do
                n = n + (type(v) == "table" and #v or 1)
            end
            local raw = ngx.var.args or ""
            local dec = ngx.unescape_uri(raw)
            local again = ngx.decode_args(raw, 0)
            ngx.say("args ", n, " ", tostring(err), " ", #dec, " ", #ngx.escape_uri(dec), " ", ngx.var.arg_a or "-",
                    " ", ngx.var.is_args, " ", #ngx.encode_args({x = dec}))
            ngx.say(ngx.var.uri, " ", ngx.var.request_uri, " ", #ngx.unescape_uri(ngx.var.request_uri))
            ngx.req.set_uri_args(again)
            ngx.say("done")
            """;

    private static final String BODY_LUA = """
            ngx.req.read_body()
            local data = ngx.req.get_body_data()
            local file = ngx.req.get_body_file() -- past client_body_buffer_size, as in nginx
            local args, err = ngx.req.get_post_args()
            local n = 0
            for k, v in pairs(ngx.req.get_post_args(0) or {}) do -- nil, "request body in temp file ..." then
                n = n + (type(v) == "table" and #v or 1)
            end
            ngx.say("body ", data and #data or -1, " ", n, " ", tostring(err), " ", ngx.var.content_length or "-",
                    " ", file and "file" or "-", " ", #ngx.unescape_uri(data or ""))
            ngx.say("done")
            """;

    private static final String COOKIES_LUA = """
            local c = ngx.var.http_cookie
            local n = 0
            if c then
                for k, v in string.gmatch(c, "([^=;%s]+)=([^;]*)") do n = n + 1 end
            end
            local s = ngx.var.cookie_session
            ngx.say("cookies ", n, " ", s and #s or -1, " ", ngx.var.cookie_a or "-", " ", #ngx.unescape_uri(s or ""))
            ngx.say("done")
            """;

    private static final String VARS_LUA = """
            local total = 0
            for _, name in ipairs({"uri", "request_uri", "args", "query_string", "is_args", "host", "http_host",
                    "request_method", "scheme", "server_protocol", "remote_addr", "content_type", "content_length",
                    "http_cookie", "http_user_agent", "http_referer", "arg_a", "cookie_a", "request",
                    "document_uri", "server_name", "http_x_fuzz"}) do
                local v = ngx.var[name]
                total = total + (v and #tostring(v) or 0)
            end
            ngx.say(ngx.req.get_method(), " ", ngx.req.http_version(), " ", total, " ", #ngx.unescape_uri(ngx.var.uri))
            ngx.say("done")
            """;

    /** What a connection must see. */
    enum Expect {
        /** every request answered 200 with the script's "done" */
        OK,
        /** a 413 */
        TOO_LARGE,
        /** a 413, or the connection reset while the rest of the body was still being sent */
        TOO_LARGE_OR_RESET,
        /** a 4xx, or the connection closed without an answer */
        REJECTED,
        /** anything but a 5xx or a hang: the host may take a lenient reading of some malformed requests */
        NOT_5XX,
        /** an unknown HTTP version: a 4xx, Vert.x's 501 or nginx's 505, or a close */
        VERSION_REFUSED
    }

    /** One connection's bytes: written piece by piece (pauses between pieces for slow clients). */
    record Conn(String kind, List<byte[]> pieces, int pauseMs, int requests, Expect expect, boolean halfClose) {
    }

    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> badLog = new ConcurrentLinkedQueue<>();
    private final java.util.Map<String, LongAdder> perKind = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final java.util.Map<Integer, LongAdder> perStatus = new java.util.concurrent.ConcurrentSkipListMap<>();

    @Test
    void hostileRequestsNeverBreakTheHost() throws Exception {
        long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
        int wanted = Integer.getInteger("fuzz.requests", 100_000);
        System.out.println("hostile-requests fuzz: seed " + seed + ", " + wanted + " requests (-Dfuzz.seed, -Dfuzz.requests)");

        // exceptions Vert.x/Netty (or anything else) log while the host serves are failures too
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> exceptions = new ch.qos.logback.core.AppenderBase<>() {
            @Override
            protected void append(ch.qos.logback.classic.spi.ILoggingEvent e) {
                boolean restyLine = e.getLoggerName().equals("resty4j"); // those reach the log sink below
                if (!restyLine && (e.getThrowableProxy() != null || e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR))) {
                    badLog.add(e.getLoggerName() + ": " + e.getFormattedMessage()
                            + (e.getThrowableProxy() != null ? " " + e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage() : ""));
                }
            }
        };
        exceptions.start();
        root.addAppender(exceptions);
        Vertx vertx = Vertx.vertx();
        vertx.exceptionHandler(t -> problems.add("Vert.x uncaught exception: " + t));
        Resty resty = Resty.builder().vertx(vertx).workers(2).logLevel(LogLevel.ERR)
                .clientMaxBodySize(MAX_BODY)
                .logSink((LogRecord r) -> {
                    String line = r.line();
                    if (!line.contains("client intended to send too large")) {
                        badLog.add(line);
                    }
                })
                .location("/h", l -> l.contentByLua(HEADERS_LUA))
                .location("/a", l -> l.contentByLua(ARGS_LUA))
                .location("/b", l -> l.contentByLua(BODY_LUA))
                .location("/c", l -> l.contentByLua(COOKIES_LUA))
                .location("/", l -> l.contentByLua(VARS_LUA))
                .build();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                        .setMaxInitialLineLength(64 * 1024).setMaxHeaderSize(64 * 1024))
                .requestHandler(resty.handler()).listen(0, "127.0.0.1").await();
        int port = server.actualPort();
        try {
            Integer only = Integer.getInteger("fuzz.connection");
            if (only != null) { // replay one connection and show what came back
                Conn conn = generate(seed, only);
                System.out.println("connection " + only + " (" + conn.kind() + ") sends: " + preview(conn));
                System.out.println("result: " + exchange(port, conn));
                System.out.println("log: " + badLog);
                return;
            }
            // warm up (class loading, JIT) before the heap baseline
            runConnections(port, seed + 1, 300);
            problems.clear();
            perKind.clear();
            perStatus.clear();
            long heapBefore = usedHeapAfterGc();

            int connections = connectionsFor(seed, wanted);
            long start = System.nanoTime();
            long sent = runConnections(port, seed, connections);
            long ms = (System.nanoTime() - start) / 1_000_000;

            long heapAfter = usedHeapAfterGc();
            System.out.printf("hostile-requests fuzz: %d requests on %d connections in %d ms (%.0f req/s), seed %d%n",
                    sent, connections, ms, sent * 1000.0 / Math.max(1, ms), seed);
            System.out.println("hostile-requests fuzz: connections per kind " + perKind);
            System.out.println("hostile-requests fuzz: responses per status " + perStatus);
            System.out.printf("hostile-requests fuzz: used heap after GC %d MB before, %d MB after%n",
                    heapBefore >> 20, heapAfter >> 20);

            assertThat(sent).isGreaterThanOrEqualTo(wanted);
            assertThat(problems).as("connections that did not get what they should").isEmpty();
            assertThat(badLog).as("script errors or library exceptions in the error log").isEmpty();
            assertThat(perStatus).as("statuses answered").doesNotContainKey(500);
            assertThat(heapAfter - heapBefore).as("heap growth after GC, bytes").isLessThan(64L << 20);
        } finally {
            root.detachAppender(exceptions);
            resty.close();
            server.close().await();
            vertx.close().await();
        }
    }

    /** How many connections carry at least {@code wanted} requests (only the sizes are drawn). */
    static int connectionsFor(long seed, int wanted) {
        long total = 0;
        int c = 0;
        while (total < wanted) {
            total += generate(seed, c++).requests();
        }
        return c;
    }

    private long runConnections(int port, long seed, int connections) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong requests = new AtomicLong();
        int parallel = 48;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < parallel; t++) {
                pool.submit(() -> {
                    int c;
                    while ((c = next.getAndIncrement()) < connections) {
                        Conn conn = generate(seed, c);
                        requests.addAndGet(conn.requests());
                        perKind.computeIfAbsent(conn.kind(), k -> new LongAdder()).increment();
                        String problem;
                        try {
                            problem = exchange(port, conn);
                        } catch (Exception e) {
                            problem = e.toString();
                        }
                        if (problem != null && problems.size() < 50) {
                            problems.add("connection " + c + " (" + conn.kind() + ", seed " + seed + "): " + problem
                                    + " | sent: " + preview(conn));
                        }
                    }
                    return null;
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.MINUTES)).isTrue();
        }
        return requests.get();
    }

    /** Sends one connection's bytes and checks what comes back; null when all is as expected. */
    private String exchange(int port, Conn conn) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(READ_TIMEOUT_MS);
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            boolean writeFailed = false;
            try {
                for (int i = 0; i < conn.pieces().size(); i++) {
                    if (i > 0 && conn.pauseMs() > 0) {
                        Thread.sleep(conn.pauseMs());
                    }
                    out.write(conn.pieces().get(i));
                    out.flush();
                }
                if (conn.halfClose()) {
                    s.shutdownOutput();
                }
            } catch (IOException e) {
                writeFailed = true; // the server may refuse (and close) before everything is sent
            }
            List<Integer> statuses = new ArrayList<>();
            List<String> bodies = new ArrayList<>();
            String readError = readResponses(s.getInputStream(), conn, statuses, bodies);
            for (int st : statuses) {
                perStatus.computeIfAbsent(st, k -> new LongAdder()).increment();
            }
            if (readError != null && readError.startsWith("hang")) {
                return readError;
            }
            if (conn.expect() == Expect.VERSION_REFUSED) {
                return statuses.stream().allMatch(st -> st >= 400 && st < 500 || st == 501 || st == 505) ? null
                        : "expected a refusal of the version, got " + statuses + " " + readError;
            }
            if (statuses.stream().anyMatch(st -> st >= 500)) {
                return "a 5xx: " + statuses + " " + bodies;
            }
            return switch (conn.expect()) {
                case OK -> {
                    if (statuses.size() != conn.requests() || statuses.stream().anyMatch(st -> st != 200)
                            || bodies.stream().anyMatch(b -> !b.endsWith("done\n"))) {
                        yield "expected " + conn.requests() + " x 200, got " + statuses + " " + readError
                                + " bodies " + bodies.stream().map(b -> b.length() > 200 ? b.substring(0, 200) : b).toList();
                    }
                    yield null;
                }
                case TOO_LARGE -> statuses.equals(List.of(413)) ? null : "expected 413, got " + statuses + " " + readError;
                case TOO_LARGE_OR_RESET -> statuses.equals(List.of(413)) || statuses.isEmpty() && (writeFailed || readError != null)
                        ? null : "expected 413 or a reset, got " + statuses + " " + readError;
                case REJECTED -> statuses.stream().allMatch(st -> st >= 400 && st < 500) ? null
                        : "expected a 4xx or a close, got " + statuses + " " + readError;
                case NOT_5XX, VERSION_REFUSED -> null;
            };
        }
    }

    /**
     * Reads responses with Netty's decoder until the connection has answered every request or closed;
     * returns null, "closed", "reset: ...", or "hang" when nothing came within the timeout.
     */
    private static String readResponses(InputStream in, Conn conn, List<Integer> statuses, List<String> bodies) {
        EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder(64 * 1024, 256 * 1024, 64 * 1024));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteArrayOutputStream raw = new ByteArrayOutputStream(); // the first 64 KB, for the failure message
        byte[] buf = new byte[16384];
        try {
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    return "hang: no answer within " + READ_TIMEOUT_MS + " ms after " + statuses;
                } catch (IOException e) {
                    return "reset: " + e.getMessage();
                }
                if (n < 0) {
                    return "closed";
                }
                raw.write(buf, 0, Math.min(n, Math.max(0, 65536 - raw.size())));
                decoder.writeInbound(Unpooled.wrappedBuffer(buf, 0, n).retain());
                HttpObject o;
                while ((o = decoder.readInbound()) != null) {
                    if (o.decoderResult().isFailure()) {
                        String all = new String(raw.toByteArray(), StandardCharsets.ISO_8859_1);
                        return "undecodable response: " + o.decoderResult().cause() + " in ..."
                                + escape(all.substring(Math.max(0, all.length() - 3000)), 3000);
                    }
                    if (o instanceof HttpResponse r) {
                        statuses.add(r.status().code());
                    }
                    if (o instanceof HttpContent c) {
                        ByteBuf content = c.content();
                        byte[] b = new byte[content.readableBytes()];
                        content.readBytes(b);
                        body.writeBytes(b);
                        c.release();
                        if (o instanceof LastHttpContent) {
                            bodies.add(body.toString(StandardCharsets.ISO_8859_1));
                            body.reset();
                        }
                    }
                }
                if (statuses.size() >= conn.requests() && bodies.size() == statuses.size()) {
                    return null;
                }
            }
        } finally {
            decoder.finishAndReleaseAll();
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return mem.getHeapMemoryUsage().getUsed();
    }

    private static String preview(Conn conn) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        conn.pieces().forEach(all::writeBytes);
        return escape(all.toString(StandardCharsets.ISO_8859_1), Integer.getInteger("fuzz.preview", 600));
    }

    private static String escape(String s, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(s.length(), max); i++) {
            char c = s.charAt(i);
            sb.append(c == '\r' ? "\\r" : c == '\n' ? "\\n" : c < ' ' || c > '~' ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return sb + (s.length() > max ? "... (" + s.length() + " bytes)" : "");
    }

    // ------------------------------------------------------------------ the generator

    static Conn generate(long seed, int connection) {
        return new Generator(new Random(seed * 31 + connection)).connection();
    }

    /** Draws one connection: a pipelined batch of extreme but valid requests, or one hostile exchange. */
    static final class Generator {
        private final Random r;

        Generator(Random r) {
            this.r = r;
        }

        Conn connection() {
            int kind = r.nextInt(100);
            if (kind < 60) {
                int n = 1 + r.nextInt(32);
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (int i = 0; i < n; i++) {
                    all.writeBytes(validRequest(i == n - 1));
                }
                return new Conn("pipelined", List.of(all.toByteArray()), 0, n, Expect.OK, false);
            }
            if (kind < 64) {
                return slowBody();
            }
            if (kind < 70) {
                return oversize();
            }
            if (kind < 76) {
                return truncated();
            }
            return malformed();
        }

        // ---- valid but extreme

        byte[] validRequest(boolean last) {
            String loc = pick("/h", "/a", "/b", "/c", "/v", "/");
            boolean post = loc.equals("/b") || r.nextInt(10) == 0;
            StringBuilder head = new StringBuilder();
            head.append(post ? "POST" : pick("GET", "GET", "DELETE", "OPTIONS", "PUT")).append(' ')
                    .append(target(loc)).append(" HTTP/1.1\r\nHost: ").append(pick("t", "example.com", "a.b.c:8080", "xn--bcher-kva.example", "[::1]:80"))
                    .append("\r\n");
            if (r.nextBoolean()) {
                extremeHeaders(head);
            } else {
                head.append("User-Agent: fuzz\r\nAccept: */*\r\nCookie: a=1; session=").append(token(r.nextInt(40))).append("\r\n");
            }
            byte[] body = post ? body() : null;
            boolean chunked = body != null && r.nextInt(3) == 0;
            if (body != null) {
                head.append("Content-Type: ").append(pick("application/x-www-form-urlencoded",
                        "application/x-www-form-urlencoded; charset=utf-8", "text/plain", "multipart/form-data; boundary=x", "")).append("\r\n");
                head.append(chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n");
            }
            if (last && r.nextBoolean()) {
                head.append("Connection: close\r\n");
            }
            head.append("\r\n");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(latin1(head));
            if (body != null) {
                out.writeBytes(chunked ? chunk(body) : body);
            }
            return out.toByteArray();
        }

        String target(String loc) {
            StringBuilder t = new StringBuilder(loc);
            int segs = r.nextInt(4);
            for (int i = 0; i < segs; i++) {
                t.append('/').append(pathSegment());
            }
            if (r.nextInt(4) != 0) {
                t.append('?').append(query(r.nextInt(200) == 0 ? 10_000 : r.nextInt(30)));
            }
            return t.toString();
        }

        String pathSegment() {
            return switch (r.nextInt(8)) {
                case 0 -> "..";
                case 1 -> ".";
                case 2 -> "";
                case 3 -> badPercent();
                case 4 -> highBytes(1 + r.nextInt(8));
                default -> token(1 + r.nextInt(12));
            };
        }

        String query(int args) {
            StringBuilder q = new StringBuilder();
            for (int i = 0; i < args; i++) {
                if (i > 0) {
                    q.append(r.nextInt(20) == 0 ? "&&" : "&");
                }
                if (args > 1000) {
                    q.append(pick("a", "b", "c", "d")); // short: 10,000 of them still fit the line
                    continue;
                }
                switch (r.nextInt(7)) {
                    case 0 -> q.append(token(1 + r.nextInt(5)));
                    case 1 -> q.append('=').append(token(3));
                    case 2 -> q.append(badPercent()).append('=').append(badPercent());
                    case 3 -> q.append("a=").append(highBytes(1 + r.nextInt(6)));
                    case 4 -> q.append("a=").append(token(r.nextInt(300)));
                    default -> q.append(token(1 + r.nextInt(4))).append('=').append(token(r.nextInt(10)));
                }
            }
            return q.toString();
        }

        void extremeHeaders(StringBuilder h) {
            switch (r.nextInt(8)) {
                case 0 -> { // many headers
                    int n = 20 + (r.nextInt(10) == 0 ? r.nextInt(600) : r.nextInt(60));
                    for (int i = 0; i < n; i++) {
                        h.append("X-H").append(i).append(": ").append(token(r.nextInt(20))).append("\r\n");
                    }
                }
                case 1 -> { // one header repeated
                    int n = 2 + r.nextInt(300);
                    for (int i = 0; i < n; i++) {
                        h.append(r.nextBoolean() ? "X-Dup" : "x-dup").append(": ").append(token(r.nextInt(10))).append("\r\n");
                    }
                }
                case 2 -> h.append("X-Fuzz: ").append(token(r.nextInt(10) == 0 ? 1000 + r.nextInt(30_000) : r.nextInt(1000))).append("\r\n");
                case 3 -> h.append("X-Fuzz: ").append(highBytes(1 + r.nextInt(200))).append("\r\n"); // invalid UTF-8
                case 4 -> h.append("Cookie: ").append(cookies()).append("\r\n");
                case 5 -> {
                    for (int i = 0; i < 1 + r.nextInt(20); i++) { // several Cookie lines, small ones
                        h.append("Cookie: a=").append(i).append("; session=").append(token(r.nextInt(30))).append("\r\n");
                    }
                }
                case 6 -> h.append("X-Fuzz: ").append(text(r.nextInt(400))).append("\r\n")
                        .append("User-Agent: ").append(text(r.nextInt(200))).append("\r\n")
                        .append("Referer: ").append(text(r.nextInt(200))).append("\r\n");
                default -> h.append("X-Fuzz: \t ").append(token(5)).append(" \t\r\nAccept: */*\r\n");
            }
        }

        /** Many, huge, nested-looking and odd cookies. */
        String cookies() {
            StringBuilder c = new StringBuilder();
            switch (r.nextInt(5)) {
                case 0 -> {
                    int n = 1 + (r.nextInt(50) == 0 ? r.nextInt(3000) : r.nextInt(100));
                    for (int i = 0; i < n; i++) {
                        c.append(i == 0 ? "" : "; ").append("c").append(i).append('=').append(token(r.nextInt(6)));
                    }
                }
                case 1 -> { // nested-looking values
                    int depth = 1 + (r.nextInt(20) == 0 ? r.nextInt(4000) : r.nextInt(100));
                    c.append("session=").append("{\"a\":".repeat(depth)).append("1").append("}".repeat(depth));
                }
                case 2 -> c.append("session=").append(token(r.nextInt(20) == 0 ? 10_000 + r.nextInt(20_000) : r.nextInt(2000))).append("; a=1");
                case 3 -> c.append("a=%zz%; session=").append(badPercent()).append(highBytes(10)).append("; =; ;;; a==b=c; session");
                default -> c.append("session=\"quoted ; value\"; a=").append(text(50)).append("; session=second");
            }
            return c.toString();
        }

        byte[] body() {
            int kind = r.nextInt(50);
            String s = switch (kind % 5) {
                case 0 -> query(r.nextInt(30));
                case 1 -> kind == 1 ? query(10_000) : query(r.nextInt(200));
                case 2 -> badPercent() + "=" + badPercent() + "&" + highBytes(50) + "&=&&=x&" + "%".repeat(r.nextInt(20));
                case 3 -> "";
                default -> token(kind == 4 ? r.nextInt(MAX_BODY - 100) : r.nextInt(2000));
            };
            return latin1(s);
        }

        Conn slowBody() {
            byte[] body = latin1(query(1 + r.nextInt(50)));
            boolean chunked = r.nextBoolean();
            String head = "POST /b/slow HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n")
                    + "Connection: close\r\n\r\n";
            byte[] wire = chunked ? chunk(body) : body;
            List<byte[]> pieces = new ArrayList<>();
            pieces.add(latin1(head));
            int parts = 2 + r.nextInt(4);
            int at = 0;
            for (int i = 0; i < parts; i++) {
                int end = i == parts - 1 ? wire.length : Math.min(wire.length, at + r.nextInt(wire.length / parts + 1));
                pieces.add(java.util.Arrays.copyOfRange(wire, at, end));
                at = end;
            }
            return new Conn("slow body", pieces, 1 + r.nextInt(40), 1, Expect.OK, false);
        }

        Conn oversize() {
            if (r.nextBoolean()) {
                long declared = MAX_BODY + 1 + (r.nextBoolean() ? r.nextInt(1000) : r.nextLong(1L << 40));
                String head = "POST " + pick("/b", "/a", "/") + " HTTP/1.1\r\nHost: t\r\nContent-Length: " + declared + "\r\n\r\n";
                return new Conn("oversize declared", List.of(latin1(head)), 0, 1, Expect.TOO_LARGE, false);
            }
            byte[] body = latin1(token(MAX_BODY + 1 + r.nextInt(MAX_BODY)));
            String head = "POST /b HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
            return new Conn("oversize chunked", List.of(latin1(head), chunk(body)), 0, 1, Expect.TOO_LARGE_OR_RESET, false);
        }

        Conn truncated() {
            byte[] body = latin1(query(5 + r.nextInt(50)));
            if (r.nextBoolean()) {
                byte[] wire = chunk(body);
                byte[] cut = java.util.Arrays.copyOf(wire, r.nextInt(wire.length - 5)); // never the final 0-chunk
                String head = "POST /b HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
                return new Conn("truncated chunked", List.of(latin1(head), cut), 0, 1, Expect.REJECTED, true);
            }
            String head = "POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: " + (body.length + 1 + r.nextInt(100)) + "\r\n\r\n";
            return new Conn("truncated length", List.of(latin1(head), body), 0, 1, Expect.REJECTED, true);
        }

        Conn malformed() {
            String req = switch (r.nextInt(22)) {
                case 0 -> "GET /h\r\n\r\n";
                case 1 -> "GET /h HTTP/1.1\r\nHost t\r\n\r\n";
                case 2 -> "GET /h HTTP/1.1\r\nHost: t\r\nBad Name: x\r\n\r\n";
                case 3 -> "GET /h HTTP/1.1\r\nHost: t\r\n  folded: continuation\r\n\r\n";
                case 4 -> "GET /h HTTP/1.1\r\nHost: t\r\nX-Nul: a\0b\r\n\r\n";
                case 5 -> "GET /h HTTP/1.1\r\nHost: t\r\nX\u0001Ctl: v\r\n\r\n";
                case 6 -> "GET /h HTTP/1.1\r\nHost: t\r\nX-Huge: " + token(70_000) + "\r\n\r\n";
                case 7 -> "GET /" + token(70_000) + " HTTP/1.1\r\nHost: t\r\n\r\n";
                case 8 -> "POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: -5\r\n\r\n";
                case 9 -> "POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n";
                case 10 -> "POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd";
                case 11 -> "POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999999999999999999\r\n\r\n";
                case 12 -> "POST /b HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n";
                case 13 -> "POST /b HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
                case 14 -> "GET /h HTTP/" + pick("9.9", "1.2", "2.0", "0.9", "1.1x", "11") + "\r\nHost: t\r\n\r\n";
                case 15 -> token(1 + r.nextInt(300)) + " /h HTTP/1.1\r\nHost: t\r\n\r\n";
                case 16 -> "GET /h\0x HTTP/1.1\r\nHost: t\r\n\r\n";
                case 17 -> "GET  /h  HTTP/1.1\r\nHost: t\r\n\r\n";
                case 18 -> new String(randomBytes(1 + r.nextInt(2000)), StandardCharsets.ISO_8859_1) + "\r\n\r\n";
                case 19 -> "POST /b HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked, identity\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
                case 20 -> "GET /h HTTP/1.1\r\nHost: t\r\n" + "X-Many: v\r\n".repeat(7000) + "\r\n";
                default -> "GET http://" + highBytes(10) + "/h HTTP/1.1\r\nHost: " + highBytes(10) + "\r\n\r\n";
            };
            boolean version = req.startsWith("GET /h HTTP/") && !req.startsWith("GET /h HTTP/1.1\r");
            return new Conn(version ? "unknown version" : "malformed", List.of(latin1(req)), 0, 1,
                    version ? Expect.VERSION_REFUSED : Expect.NOT_5XX, false);
        }

        // ---- pieces

        String badPercent() {
            return pick("%", "%z", "%zz", "%0", "%00", "%C0%AF", "%FF%FE", "%%", "%2", "%u0041", "%E2%82", "%25%32%35",
                    "%0D%0A", "%2e%2e%2f", "%ED%A0%80", "+%20+");
        }

        String highBytes(int n) {
            StringBuilder sb = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                sb.append((char) (0x80 + r.nextInt(0x80)));
            }
            return sb.toString();
        }

        /** Printable bytes a header value may hold, with tabs and obs-text. */
        String text(int n) {
            StringBuilder sb = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                int k = r.nextInt(10);
                sb.append(k == 0 ? (char) (0x80 + r.nextInt(0x80)) : k == 1 ? '\t' : (char) (0x21 + r.nextInt(0x5e)));
            }
            return sb.toString();
        }

        String token(int n) {
            StringBuilder sb = new StringBuilder(n);
            String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~";
            for (int i = 0; i < n; i++) {
                sb.append(chars.charAt(r.nextInt(chars.length())));
            }
            return sb.toString();
        }

        byte[] randomBytes(int n) {
            byte[] b = new byte[n];
            r.nextBytes(b);
            return b;
        }

        byte[] chunk(byte[] body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int at = 0;
            while (at < body.length) {
                int n = Math.min(body.length - at, 1 + r.nextInt(8192));
                out.writeBytes(latin1(Integer.toHexString(n) + (r.nextInt(10) == 0 ? ";ext=1" : "") + "\r\n"));
                out.write(body, at, n);
                out.writeBytes(latin1("\r\n"));
                at += n;
            }
            out.writeBytes(latin1("0\r\n\r\n"));
            return out.toByteArray();
        }

        String pick(String... options) {
            return options[r.nextInt(options.length)];
        }

        static byte[] latin1(CharSequence s) {
            return s.toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }
}
