package dev.resty4j.http.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

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
    static <T> Future<T> within(Vertx vertx, Future<T> f, long ms, Runnable onTimeout) {
        if (ms <= 0 || f.isComplete()) {
            return f;
        }
        Promise<T> p = Promise.promise();
        long timer = vertx.setTimer(ms, id -> {
            if (p.tryFail(new TimeoutError()) && onTimeout != null) {
                onTimeout.run();
            }
        });
        f.onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                p.tryComplete(ar.result());
            } else {
                p.tryFail(ar.cause());
            }
        });
        return p.future();
    }
}
