package dev.resty4j.core.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A worker's deadlines: every timeout a cosocket or binding sets, on one timer. */
class DeadlinesTest {

    private final Vertx vertx = Vertx.vertx();
    private final Deadlines deadlines = new Deadlines(((VertxInternal) vertx).createEventLoopContext());

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void deadlinesOfDifferentDurationsFireInDueOrder() throws InterruptedException {
        List<String> fired = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(3);
        deadlines.schedule(300, () -> { fired.add("300"); all.countDown(); });
        deadlines.schedule(100, () -> { fired.add("100"); all.countDown(); });
        deadlines.schedule(200, () -> { fired.add("200"); all.countDown(); });
        assertThat(all.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(fired).containsExactly("100", "200", "300");
    }

    @Test
    void cancelledDeadlinesNeverFireAndDoNotHoldBackLiveOnes() throws InterruptedException {
        AtomicInteger wrongly = new AtomicInteger();
        // a long-lived deadline at the head of its duration's queue (an idle pooled connection's) ...
        Deadlines.Entry idle = deadlines.schedule(60_000, wrongly::incrementAndGet);
        // ... and many short-lived ones of the same duration behind it, set and cancelled
        for (int i = 0; i < 10_000; i++) {
            deadlines.cancel(deadlines.schedule(60_000, wrongly::incrementAndGet));
        }
        for (int i = 0; i < 10_000; i++) {
            deadlines.cancel(deadlines.schedule(50, wrongly::incrementAndGet));
        }
        CountDownLatch live = new CountDownLatch(1);
        long start = System.nanoTime();
        deadlines.schedule(50, live::countDown);
        assertThat(live.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(49);
        deadlines.cancel(idle);
        Thread.sleep(100);
        assertThat(wrongly).hasValue(0);
    }

    @Test
    void cancellingAFiredDeadlineIsHarmless() throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        Deadlines.Entry e = deadlines.schedule(10, fired::countDown);
        assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
        deadlines.cancel(e);
        CountDownLatch next = new CountDownLatch(1);
        deadlines.schedule(10, next::countDown);
        assertThat(next.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void boundFailsWithTheTimeoutErrorAndHandsALateResultOver() throws InterruptedException {
        Promise<String> slow = Promise.promise();
        AtomicReference<String> late = new AtomicReference<>();
        CountDownLatch timedOut = new CountDownLatch(1);
        Future<String> bounded = deadlines.bound(slow.future(), 30, () -> new IllegalStateException("timeout"),
                timedOut::countDown, late::set);
        assertThat(timedOut.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(bounded.failed()).isTrue();
        assertThat(bounded.cause()).hasMessage("timeout");
        slow.complete("connection");
        assertThat(late).hasValue("connection");
    }

    @Test
    void boundPassesAnEarlyResultThroughAndNeverTimesOut() throws InterruptedException {
        Promise<String> fast = Promise.promise();
        AtomicInteger timeouts = new AtomicInteger();
        Future<String> bounded = deadlines.bound(fast.future(), 30, () -> new IllegalStateException("timeout"),
                timeouts::incrementAndGet, null);
        fast.complete("reply");
        assertThat(bounded.result()).isEqualTo("reply");
        Thread.sleep(80);
        assertThat(timeouts).hasValue(0);
    }

    @Test
    void boundMapsAFailureInTimeEvenWithoutALimitAndIgnoresOneAfterTheTimeout() throws InterruptedException {
        List<String> seen = new CopyOnWriteArrayList<>();
        java.util.function.Function<Throwable, Throwable> map = t -> {
            seen.add(t.getMessage());
            return new IllegalStateException("mapped " + t.getMessage());
        };

        Promise<String> unlimited = Promise.promise();
        Future<String> noLimit = deadlines.bound(unlimited.future(), 0, () -> new IllegalStateException("timeout"),
                null, null, map);
        unlimited.fail("refused");
        assertThat(noLimit.cause()).hasMessage("mapped refused");

        Promise<String> slow = Promise.promise();
        CountDownLatch timedOut = new CountDownLatch(1);
        Future<String> bounded = deadlines.bound(slow.future(), 30, () -> new IllegalStateException("timeout"),
                timedOut::countDown, null, map);
        assertThat(timedOut.await(5, TimeUnit.SECONDS)).isTrue();
        slow.fail("reset");
        assertThat(bounded.cause()).hasMessage("timeout");
        assertThat(seen).containsExactly("refused"); // the late failure was not handed to the mapper
    }
}
