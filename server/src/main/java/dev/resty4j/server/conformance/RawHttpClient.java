package dev.resty4j.server.conformance;

import dev.resty4j.server.conformance.ConformanceCase.Request;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.x client over a plain socket, so that a case's request goes out exactly as
 * written: method, URI (not re-encoded), version and headers are sent verbatim.
 *
 * <p>Like Test::Nginx it adds {@code Host: localhost} and {@code Connection: close} unless the
 * request sets them, and {@code Content-Length} when there is a body and the request does not
 * set it. Requests flagged {@code raw} were parsed from a raw request, so their headers are
 * sent as given, with no defaults. Header order on the wire: Host, Connection, the request's
 * headers in order, Content-Length (this is the order Test::Nginx uses and
 * {@code ngx.req.raw_header()} cases depend on it).
 *
 * <p>The response body is read by Content-Length, chunked transfer coding, or until the server
 * closes; HEAD requests and 1xx/204/304 responses have no body. One deadline covers connect,
 * send and receive; when it passes, {@link SocketTimeoutException} is thrown.
 */
public final class RawHttpClient {

    private static final int MAX_HEAD_BYTES = 1 << 20;

    private RawHttpClient() {
    }

    /** The request bytes that {@link #send} writes for {@code req}. */
    public static byte[] encode(Request req) {
        String version = req.httpVersion() == null ? "HTTP/1.1" : req.httpVersion();
        StringBuilder head = new StringBuilder();
        head.append(req.method()).append(' ').append(req.uri()).append(' ').append(version).append("\r\n");
        Map<String, String> headers = req.headers();
        byte[] body = req.bodyBytes();
        if (!req.raw()) {
            if (!hasHeader(headers, "Host")) {
                head.append("Host: localhost\r\n");
            }
            if (!hasHeader(headers, "Connection")) {
                head.append("Connection: close\r\n");
            }
        }
        headers.forEach((k, v) -> head.append(k).append(": ").append(v == null ? "" : v).append("\r\n"));
        if (body != null && !hasHeader(headers, "Content-Length") && !hasHeader(headers, "Transfer-Encoding")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        if (body == null || body.length == 0) {
            return h;
        }
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /**
     * Sends {@code req} to {@code host:port} on a new connection and reads the whole response.
     *
     * @throws SocketTimeoutException when {@code timeout} passes before the response is complete
     * @throws IOException            on connection errors or a malformed response
     */
    public static HttpResult send(String host, int port, Request req, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), remainingMillis(deadline));
            OutputStream out = socket.getOutputStream();
            out.write(encode(req));
            out.flush();
            InputStream in = new DeadlineInputStream(socket, deadline);
            return read(in, "HEAD".equalsIgnoreCase(req.method()));
        }
    }

    /** Reads one response from {@code in}. */
    static HttpResult read(InputStream in, boolean headRequest) throws IOException {
        StringBuilder raw = new StringBuilder();
        String statusLine = readLine(in, raw);
        if (statusLine == null) {
            throw new EOFException("connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("bad status line: " + statusLine);
        }
        int status;
        try {
            status = Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
            throw new IOException("bad status line: " + statusLine, e);
        }
        List<HttpResult.Header> headers = new ArrayList<>();
        while (true) {
            int before = raw.length();
            String line = readLine(in, raw);
            if (line == null) {
                throw new EOFException("connection closed inside the response head");
            }
            if (line.isEmpty()) {
                raw.setLength(before); // the blank line is not part of the head text
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.add(new HttpResult.Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
            }
        }

        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean truncated = false;
        boolean noBody = headRequest || status / 100 == 1 || status == 204 || status == 304;
        String te = joined(headers, "Transfer-Encoding");
        String cl = joined(headers, "Content-Length");
        if (!noBody) {
            if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                truncated = !readChunked(in, body);
            } else if (cl != null && cl.matches("\\s*\\d+\\s*")) {
                long n = Long.parseLong(cl.trim());
                truncated = copy(in, body, n) < n;
            } else {
                copy(in, body, Long.MAX_VALUE);
            }
        }
        return new HttpResult(parts[0], status, parts.length > 2 ? parts[2] : "", List.copyOf(headers),
                raw.toString(), body.toByteArray(), truncated);
    }

    /** Decodes a chunked body; returns false when the stream ended before the last chunk. */
    private static boolean readChunked(InputStream in, ByteArrayOutputStream body) throws IOException {
        StringBuilder ignored = new StringBuilder();
        while (true) {
            String sizeLine = readLine(in, ignored);
            if (sizeLine == null) {
                return false;
            }
            int semi = sizeLine.indexOf(';');
            String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim();
            if (hex.isEmpty()) {
                continue; // tolerate stray blank lines between chunks
            }
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size line: " + sizeLine, e);
            }
            if (size == 0) {
                // trailers, up to the blank line; a close here is harmless
                String t;
                do {
                    t = readLine(in, ignored);
                } while (t != null && !t.isEmpty());
                return true;
            }
            if (copy(in, body, size) < size) {
                return false;
            }
            if (readLine(in, ignored) == null) { // CRLF after the chunk data
                return false;
            }
        }
    }

    /** Copies up to {@code max} bytes; returns how many were copied before EOF. */
    private static long copy(InputStream in, ByteArrayOutputStream out, long max) throws IOException {
        byte[] buf = new byte[8192];
        long done = 0;
        while (done < max) {
            int n;
            try {
                n = in.read(buf, 0, (int) Math.min(buf.length, max - done));
            } catch (java.net.SocketException reset) {
                break; // a reset ends the body like a close; the caller sees the short count
            }
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
            done += n;
        }
        return done;
    }

    /**
     * Reads one line ending in LF (a preceding CR is dropped), appending the raw line with its
     * terminator to {@code raw}. Returns {@code null} at EOF before any byte.
     */
    private static String readLine(InputStream in, StringBuilder raw) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        boolean any = false;
        while ((c = in.read()) >= 0) {
            any = true;
            if (c == '\n') {
                break;
            }
            line.write(c);
            if (line.size() > MAX_HEAD_BYTES) {
                throw new IOException("response line too long");
            }
        }
        if (!any) {
            return null;
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        raw.append(s).append(c == '\n' ? "\n" : "");
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static String joined(List<HttpResult.Header> headers, String name) {
        List<String> v = headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HttpResult.Header::value)
                .toList();
        return v.isEmpty() ? null : String.join(", ", v);
    }

    private static boolean hasHeader(Map<String, String> headers, String name) {
        return headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name));
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long ms = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
        if (ms <= 0) {
            throw new SocketTimeoutException("timeout");
        }
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    /** Buffers socket reads and applies the remaining time of one overall deadline to each read. */
    private static final class DeadlineInputStream extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;
        private final byte[] buf = new byte[8192];
        private int pos;
        private int len;

        DeadlineInputStream(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
        }

        private boolean fill() throws IOException {
            if (pos < len) {
                return true;
            }
            socket.setSoTimeout(remainingMillis(deadline));
            int n = in.read(buf);
            if (n < 0) {
                return false;
            }
            pos = 0;
            len = n;
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? buf[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int n) throws IOException {
            if (n == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int k = Math.min(n, len - pos);
            System.arraycopy(buf, pos, b, off, k);
            pos += k;
            return k;
        }
    }
}
