package dev.resty4j.redis;

import io.vertx.core.Future;
import dev.resty4j.core.socket.Deadlines;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * The error strings OpenResty's cosockets return ({@code "timeout"}, {@code "closed"},
 * {@code "connection refused"}, …) for the failures the Vert.x client reports, and the timeout race every
 * cosocket operation runs under.
 */
final class CosocketErrors {

    static final String TIMEOUT = "timeout";
    static final String CLOSED = "closed";

    private CosocketErrors() {
    }

    /** A failure whose message is already a cosocket error string. */
    static final class CosocketException extends RuntimeException {
        CosocketException(String message) {
            super(message, null, false, false);
        }
    }

    static CosocketException error(String message) {
        return new CosocketException(message);
    }

    /** The cosocket error string for a failure of a connect or a command. */
    static String message(Throwable t, String host) {
        if (t instanceof CosocketException) {
            return t.getMessage();
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException) {
                return host + " could not be resolved";
            }
            if (c instanceof ConnectException) {
                return "connection refused";
            }
            if (c instanceof ClosedChannelException) {
                return CLOSED;
            }
            if (c.getClass().getSimpleName().equals("ConnectTimeoutException")) {
                return TIMEOUT;
            }
        }
        String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("connection refused")) {
            return "connection refused";
        }
        if (m.contains("connection reset")) { // Java says "Connection reset", nginx's strerror "... by peer"
            return "connection reset by peer";
        }
        if (m.contains("closed") || m.contains("broken pipe")) {
            return CLOSED;
        }
        return m.isEmpty() ? t.getClass().getSimpleName() : m;
    }

    /**
     * {@code f}, or a failure with {@link #TIMEOUT} when it has not completed within {@code ms} (0 or less:
     * no limit, like a cosocket timeout of 0). {@code onLate} receives the result that arrives after the
     * timeout fired (to close a connection nobody will use).
     */
    static <T> Future<T> within(Deadlines deadlines, Future<T> f, long ms, java.util.function.Consumer<T> onLate) {
        return deadlines.bound(f, ms, () -> error(TIMEOUT), null, onLate);
    }
}
