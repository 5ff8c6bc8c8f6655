package dev.resty4j.core.resty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.SharedDict;
import dev.resty4j.core.shdict.MemorySharedDict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShdictLockTest {

    private final SharedDict dict = new MemorySharedDict("locks", 1 << 20);
    private final List<Double> sleeps = new ArrayList<>();

    @Test
    void locksOnceAndUnlocks() {
        ShdictLock lock = new ShdictLock(dict, ShdictLock.Options.of(null, null, null, null, null));
        assertThat(lock.lock("k", sleeps::add)).isEqualTo(new ShdictLock.Result(0.0, null));
        assertThat(dict.get("k").value()).isEqualTo(true);
        assertThat(lock.lock("other", sleeps::add).err()).isEqualTo("locked");
        assertThat(lock.expire(10.0).value()).isEqualTo(true);
        assertThat(lock.unlock().value()).isEqualTo(1.0);
        assertThat(dict.get("k")).isNull();
        assertThat(lock.unlock().err()).isEqualTo("unlocked");
        assertThat(lock.expire(null).err()).isEqualTo("unlocked");
        assertThat(lock.lock(null, sleeps::add).err()).isEqualTo("nil key");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void waitsWithGrowingStepsUntilTheTimeout() {
        ShdictLock holder = new ShdictLock(dict, ShdictLock.Options.of(null, null, null, null, null));
        holder.lock("k", sleeps::add);
        ShdictLock waiter = new ShdictLock(dict, ShdictLock.Options.of(null, 0.02, null, null, null));
        assertThat(waiter.lock("k", sleeps::add).err()).isEqualTo("timeout");
        // 0.001, 0.002, 0.004, 0.008, then what is left of 0.02
        assertThat(sleeps).hasSize(5);
        assertThat(sleeps.get(3)).isEqualTo(0.008);
        assertThat(sleeps.stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(0.02, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void getsTheLockWhenTheHolderReleasesItWhileWaiting() {
        ShdictLock holder = new ShdictLock(dict, ShdictLock.Options.of(null, null, null, null, null));
        holder.lock("k", sleeps::add);
        ShdictLock waiter = new ShdictLock(dict, ShdictLock.Options.of(null, 1.0, 0.01, 1.0, null));
        ShdictLock.Result r = waiter.lock("k", s -> {
            sleeps.add(s);
            if (sleeps.size() == 3) {
                holder.unlock();
            }
        });
        assertThat(r.value()).isEqualTo(0.03);
    }

    @Test
    void optionsClampStepAndTimeoutToExptime() {
        assertThat(ShdictLock.Options.of(2.0, 10.0, 5.0, null, null))
                .isEqualTo(new ShdictLock.Options(2, 2, 2, 2, 0.5));
        assertThat(ShdictLock.Options.of(null, null, 5.0, null, null).step()).isEqualTo(5.0);
    }
}
