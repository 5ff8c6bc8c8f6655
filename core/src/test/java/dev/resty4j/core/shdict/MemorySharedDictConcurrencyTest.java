package dev.resty4j.core.shdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.SharedDict.StoreResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemorySharedDictConcurrencyTest {

    private static final int THREADS = 8;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void shutdown() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Runs task(threadIndex) on every thread at once and waits for all of them, rethrowing failures. */
    private void runConcurrently(ThreadTask task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                task.run(thread);
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
    }

    @FunctionalInterface
    private interface ThreadTask {
        void run(int thread) throws Exception;
    }

    @Test
    void concurrentIncrementsAreNeverLost() throws Exception {
        MemorySharedDict dict = new MemorySharedDict("counters", 1 << 20);
        int perThread = 100_000;

        runConcurrently(thread -> {
            for (int i = 0; i < perThread; i++) {
                assertThat(dict.incr("hits", 1, 0.0, 0).err()).isNull();
            }
        });

        assertThat(dict.get("hits").value()).isEqualTo((double) THREADS * perThread);
    }

    @Test
    void concurrentAddOfOneKeySucceedsOnce() throws Exception {
        int keys = 20_000;
        MemorySharedDict dict = new MemorySharedDict("locks", 8 << 20);
        AtomicIntegerArray wins = new AtomicIntegerArray(keys);
        AtomicIntegerArray winner = new AtomicIntegerArray(keys);

        runConcurrently(thread -> {
            for (int i = 0; i < keys; i++) {
                StoreResult r = dict.add("lock:" + i, (double) thread, 0, 0);
                if (r.ok()) {
                    wins.incrementAndGet(i);
                    winner.set(i, thread);
                } else {
                    assertThat(r.err()).isEqualTo("exists");
                }
            }
        });

        for (int i = 0; i < keys; i++) {
            assertThat(wins.get(i)).as("successful adds of lock:%d", i).isEqualTo(1);
            assertThat(dict.get("lock:" + i).value()).isEqualTo((double) winner.get(i));
        }
    }

    @Test
    void mixedOperationsUnderEvictionPressureKeepTheBound() throws Exception {
        FakeClock clock = new FakeClock();
        MemorySharedDict dict = new MemorySharedDict("mixed", 64 * 1024, clock);

        runConcurrently(thread -> {
            for (int i = 0; i < 20_000; i++) {
                String key = "k" + (i * 7 + thread) % 3000;
                switch (i % 6) {
                    case 0 -> dict.set(key, "v".repeat(i % 200), i % 5, 0);
                    case 1 -> dict.get(key);
                    case 2 -> dict.incr("n" + thread, 1, 0.0, 0);
                    case 3 -> dict.rpush("list" + thread % 2, (double) i);
                    case 4 -> dict.lpop("list" + thread % 2);
                    default -> {
                        dict.delete(key);
                        if (thread == 0 && i % 600 == 0) {
                            clock.advanceMillis(1000);
                            dict.flushExpired(10);
                        }
                    }
                }
                assertThat(dict.usedBytes()).isLessThanOrEqualTo(dict.usableBytes());
            }
        });

        // the books balance: after deleting everything nothing is left accounted
        for (String key : dict.getKeys(0)) {
            dict.delete(key);
        }
        dict.flushAll();
        dict.flushExpired(0);
        assertThat(dict.usedBytes()).isZero();
        assertThat(dict.getKeys(0)).isEmpty();
    }
}
