package dev.resty4j.testing;

import dev.resty4j.core.log.LogRecord;
import dev.resty4j.core.request.Headers;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a client would have received for one {@link MockRequest}, plus the error-log lines logged for that
 * request. Immutable.
 */
public final class MockResponse {

    private final long requestId;
    private final int status;
    private final List<Headers.Field> headers;
    private final byte[] body;
    private final boolean chunked;
    private final boolean aborted;
    private final List<LogRecord> logs;

    MockResponse(long requestId, int status, List<Headers.Field> headers, byte[] body, boolean chunked,
                 boolean aborted, List<LogRecord> logs) {
        this.requestId = requestId;
        this.status = status;
        this.headers = List.copyOf(headers);
        this.body = body;
        this.chunked = chunked;
        this.aborted = aborted;
        this.logs = List.copyOf(logs);
    }

    /** The response status, or 0 when the connection was dropped before a status line ({@code ngx.exit(444)}). */
    public int status() {
        return status;
    }

    /** The first value of a header (name case-insensitive), or null. */
    public String header(String name) {
        for (Headers.Field f : headers) {
            if (f.name().equalsIgnoreCase(name)) {
                return f.value();
            }
        }
        return null;
    }

    /** Every value of a header in order (name case-insensitive); empty when absent. */
    public List<String> headers(String name) {
        List<String> out = new ArrayList<>(2);
        for (Headers.Field f : headers) {
            if (f.name().equalsIgnoreCase(name)) {
                out.add(f.value());
            }
        }
        return out;
    }

    /**
     * All headers, name → values in order. Lookups ignore case ({@code get("content-type")} finds
     * {@code Content-Type}); iteration is in name order. Unmodifiable.
     */
    public Map<String, List<String>> headers() {
        TreeMap<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Headers.Field f : headers) {
            map.computeIfAbsent(f.name(), k -> new ArrayList<>(1)).add(f.value());
        }
        map.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(map);
    }

    /** The body as UTF-8 text (what a Lua source file's string literals are). */
    public String body() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public String body(Charset charset) {
        return new String(body, charset);
    }

    /** The body bytes (a copy). */
    public byte[] bodyBytes() {
        return body.clone();
    }

    /** True when the response was streamed ({@code ngx.flush}), i.e. sent without {@code Content-Length}. */
    public boolean chunked() {
        return chunked;
    }

    /** True when the connection was dropped ({@code ngx.exit(444)}, or a failure after the headers went out). */
    public boolean aborted() {
        return aborted;
    }

    /** The error-log lines logged for this request (at or above the instance's log level), in order. */
    public List<LogRecord> logs() {
        return logs;
    }

    /** The request's id ({@code *N} in log lines; {@link LogRecord#requestId()}). */
    public long requestId() {
        return requestId;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("MockResponse[*").append(requestId).append(' ').append(status);
        if (aborted) {
            sb.append(" aborted");
        }
        sb.append("]\n");
        for (Headers.Field f : headers) {
            sb.append(f.name()).append(": ").append(f.value()).append('\n');
        }
        sb.append('\n');
        String text = body();
        sb.append(text.length() > 2000 ? text.substring(0, 2000) + "…(" + body.length + " bytes)" : text);
        return sb.toString();
    }
}
