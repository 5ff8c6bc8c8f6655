package dev.resty4j.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A wall clock that stands still until a test moves it. Give it to {@code Resty.builder().clock(...)} (or
 * let {@link RestyTester.Builder#withFakeClock()} do it) and everything scripts read as "now" follows it:
 * {@code ngx.now}, {@code ngx.time}, {@code ngx.req.start_time}, {@code $msec}, and shared-dict expiry.
 *
 * <p>It does not make waiting faster: {@code ngx.sleep} and other timers still wait real time, because
 * they run on Vert.x timers. Moving the clock is what expires a shared-dict entry, not sleeping.
 *
 * <p>Thread-safe: scripts read it on worker fibers while the test advances it.
 */
public final class FakeClock implements LongSupplier {

    /** Where a clock starts unless told otherwise: 2023-11-14T22:13:20Z, a round 1.7e12 ms. */
    public static final Instant DEFAULT_START = Instant.ofEpochMilli(1_700_000_000_000L);

    private final AtomicLong millis;

    private FakeClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    /** A clock at {@link #DEFAULT_START}. */
    public static FakeClock create() {
        return new FakeClock(DEFAULT_START.toEpochMilli());
    }

    /** A clock at the given instant (millisecond precision, as {@code ngx.now}). */
    public static FakeClock startingAt(Instant start) {
        return new FakeClock(start.toEpochMilli());
    }

    /** Moves the clock forward; a negative amount is refused (use {@link #set} to go back on purpose). */
    public FakeClock advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("a clock advances forward; got " + amount + " (use set() to go back)");
        }
        millis.addAndGet(amount.toMillis());
        return this;
    }

    /** Moves the clock to an instant, forward or back (to test scripts that must cope with a clock step). */
    public FakeClock set(Instant instant) {
        millis.set(instant.toEpochMilli());
        return this;
    }

    /** Milliseconds since the epoch. */
    public long millis() {
        return millis.get();
    }

    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    /** The {@link LongSupplier} view {@code Resty.Builder#clock} takes: {@link #millis()}. */
    @Override
    public long getAsLong() {
        return millis.get();
    }

    @Override
    public String toString() {
        return "FakeClock[" + instant() + "]";
    }
}
