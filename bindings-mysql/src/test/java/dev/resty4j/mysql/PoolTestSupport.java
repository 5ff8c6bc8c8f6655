package dev.resty4j.mysql;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for what the event loops do in the background (a close noticed, a timer run). */
final class PoolTestSupport {

    private PoolTestSupport() {
    }

    /** Polls {@code condition} for up to 10 seconds; fails naming {@code what} if it never holds. */
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }
}
