package dev.resty4j.core.request;

/**
 * Where a request's response goes: implemented by each host (Vert.x, Netty, the mock context). The core
 * calls it from the request's worker fiber, in order: {@code sendHead} once, {@code write} any number of
 * times, {@code end} once.
 */
public interface ResponseSink {

    /**
     * Sends the status line and headers.
     *
     * @param contentLength the body length when known (the core sets {@code Content-Length}), or -1 for a
     *                      streamed body (chunked for HTTP/1.1)
     */
    void sendHead(int status, Headers headers, long contentLength);

    /** Sends body bytes (after {@link #sendHead}). */
    void write(byte[] data);

    /** Ends the response, sending {@code last} (may be null) first. */
    void end(byte[] last);

    /** Drops the connection without a complete response (used when headers were already sent and the request then failed). */
    void abort();

    /** False once the client has gone away. */
    default boolean isConnected() {
        return true;
    }

    /**
     * Completes when the host can take more data: at once, unless data written so far still waits to go
     * out (a slow client), then when it has drained or the client went away. Producers of large bodies
     * (proxy_pass) wait on it between writes to keep memory bounded.
     */
    default io.vertx.core.Future<Void> writable() {
        return io.vertx.core.Future.succeededFuture();
    }
}
