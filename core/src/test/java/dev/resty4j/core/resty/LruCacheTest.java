package dev.resty4j.core.resty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LruCacheTest {

    private double now = 1000;
    private final LruCache<String, String> cache = new LruCache<>(3, () -> now);

    @Test
    void evictsTheLeastRecentlyUsedItem() {
        cache.set("a", "1", null, 0);
        cache.set("b", "2", null, 0);
        cache.set("c", "3", null, 0);
        assertThat(cache.get("a").value()).isEqualTo("1"); // a becomes most recent
        cache.set("d", "4", null, 0); // evicts b
        assertThat(cache.get("b")).isNull();
        assertThat(cache.keys(0)).containsExactly("d", "a", "c");
        assertThat(cache.keys(-1)).isEmpty();
        assertThat(cache.count()).isEqualTo(3);
        assertThat(cache.capacity()).isEqualTo(3);
    }

    @Test
    void expiredItemsReturnTheStaleValueAndFlagsAndStayCounted() {
        cache.set("k", "v", 0.5, 7);
        assertThat(cache.get("k")).isEqualTo(new LruCache.Lookup<>("v", null, 7L));
        now += 0.6;
        assertThat(cache.get("k")).isEqualTo(new LruCache.Lookup<>(null, "v", 7L));
        assertThat(cache.count()).isEqualTo(1);
        cache.set("k", "w", null, 0);
        now += 1000;
        assertThat(cache.get("k")).isEqualTo(new LruCache.Lookup<>("w", null, 0L));
    }

    @Test
    void getOfAnExpiredItemStillCountsAsAUse() {
        cache.set("old", "1", 0.1, 0);
        cache.set("b", "2", null, 0);
        cache.set("c", "3", null, 0);
        now += 1;
        assertThat(cache.get("old").staleValue()).isEqualTo("1");
        cache.set("d", "4", null, 0); // evicts b, not the expired-but-used "old"
        assertThat(cache.keys(2)).containsExactly("d", "old");
        assertThat(cache.get("b")).isNull();
    }

    @Test
    void nilValuesMissWithoutTouchingTheOrder() {
        cache.set("a", null, null, 0);
        cache.set("b", "2", null, 0);
        assertThat(cache.get("a")).isNull();
        assertThat(cache.count()).isEqualTo(2);
        assertThat(cache.keys(0)).containsExactly("b", "a");
    }

    @Test
    void deleteAndFlushAll() {
        cache.set("a", "1", null, 0);
        cache.set("b", "2", null, 0);
        assertThat(cache.delete("a")).isTrue();
        assertThat(cache.delete("a")).isFalse();
        assertThat(cache.count()).isEqualTo(1);
        cache.flushAll();
        assertThat(cache.count()).isZero();
        assertThat(cache.get("b")).isNull();
        assertThat(cache.keys(0)).isEmpty();
    }

    @Test
    void flagsAreAnUnsigned32BitField() {
        cache.set("a", "1", null, 0x1_0000_0005L);
        assertThat(cache.get("a").flags()).isEqualTo(5);
    }

    @Test
    void refusesAZeroCapacity() {
        assertThatThrownBy(() -> new LruCache<String, String>(0, () -> now)).hasMessage("size too small");
    }
}
