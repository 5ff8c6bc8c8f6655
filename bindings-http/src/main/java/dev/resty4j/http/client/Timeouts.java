package dev.resty4j.http.client;

import dev.resty4j.core.socket.Deadlines;
import io.vertx.core.Future;

/** Bounds a future in time, the way cosocket timeouts bound each operation. */
final class Timeouts {

    /** The failure of an operation that ran out of time; its message is ngx_lua's. */
    static final class TimeoutError extends Exception {
        TimeoutError() {
            super("timeout", null, false, false);
        }
    }

    private Timeouts() {
    }

    /**
     * {@code f}, or a {@link TimeoutError} after {@code ms} milliseconds, when {@code onTimeout} runs too (to
     * close the connection the operation was using). {@code ms <= 0} means no limit.
     */
    static <T> Future<T> within(Deadlines deadlines, Future<T> f, long ms, Runnable onTimeout) {
        return deadlines.bound(f, ms, TimeoutError::new, onTimeout, null);
    }
}
