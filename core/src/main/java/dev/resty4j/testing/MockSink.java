package dev.resty4j.testing;

import dev.resty4j.core.log.LogRecord;
import dev.resty4j.core.phase.SpecialResponse;
import dev.resty4j.core.request.Headers;
import dev.resty4j.core.request.ResponseSink;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link ResponseSink} of the in-process host: collects what would have gone on the wire.
 *
 * <p>It adds the headers the Vert.x host adds around the core's response ({@code Server},
 * {@code Content-Length} for a response of known length, {@code Transfer-Encoding: chunked} or
 * {@code Connection: close} for a streamed one), so a test sees what a client of the real host sees.
 *
 * <p>The core calls it from the request's worker fiber; the tester reads it after the request is over
 * (published through a {@code CompletableFuture}). The fields a timeout message reads while the request
 * may still run are volatile.
 */
final class MockSink implements ResponseSink {

    private final String httpVersion;
    private final Headers headers = new Headers(8);
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private volatile int status;
    private volatile boolean headSent;
    private volatile boolean ended;
    private volatile boolean aborted;
    private boolean streamed;

    MockSink(String httpVersion) {
        this.httpVersion = httpVersion;
    }

    @Override
    public void sendHead(int status, Headers responseHeaders, long contentLength) {
        this.status = status;
        for (Headers.Field f : responseHeaders) {
            headers.add(f.name(), f.value());
        }
        if (contentLength >= 0) {
            headers.set("Content-Length", Long.toString(contentLength));
        } else if (contentLength == -1) {
            streamed = true;
            if ("1.0".equals(httpVersion)) {
                headers.set("Connection", "close");
            } else if ("1.1".equals(httpVersion)) {
                headers.set("Transfer-Encoding", "chunked");
            }
        }
        headSent = true;
    }

    @Override
    public void write(byte[] data) {
        body.writeBytes(data);
    }

    @Override
    public void end(byte[] last) {
        if (last != null) {
            body.writeBytes(last);
        }
        ended = true;
    }

    @Override
    public void abort() {
        aborted = true;
    }

    /** The host's own refusal (413 for a body over the limit), made without running the phases. */
    void reject(int status) {
        byte[] page = SpecialResponse.page(status);
        this.status = status;
        headers.add("Content-Type", "text/html");
        headers.add("Content-Length", Integer.toString(page.length));
        headers.add("Connection", "close");
        body.writeBytes(page);
        headSent = true;
        ended = true;
    }

    /** True once the response ended or the connection was dropped. */
    boolean complete() {
        return ended || aborted;
    }

    /** For timeout messages: how far the response got. */
    String progress() {
        if (aborted) {
            return "connection aborted";
        }
        if (!headSent) {
            return "no response head sent yet";
        }
        return "status " + status + " sent" + (ended ? ", response ended" : ", body not ended");
    }

    MockResponse toResponse(long requestId, List<LogRecord> logs) {
        List<Headers.Field> fields = new ArrayList<>(headers.size());
        headers.forEach(fields::add);
        return new MockResponse(requestId, headSent ? status : 0, fields, body.toByteArray(), streamed, aborted, logs);
    }
}
