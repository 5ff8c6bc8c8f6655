package dev.resty4j.core.shdict;

import java.util.function.LongSupplier;

/** A millisecond clock that only moves when a test advances it. */
final class FakeClock implements LongSupplier {

    private volatile long now = 1_700_000_000_000L;

    @Override
    public long getAsLong() {
        return now;
    }

    void advanceMillis(long millis) {
        now += millis;
    }

    void advanceSeconds(double seconds) {
        now += Math.round(seconds * 1000);
    }
}
