package dev.resty4j.core.resty;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * lua-resty-lrucache ({@code resty.lrucache} and {@code resty.lrucache.pureffi}, which share one API): a
 * per-worker LRU cache of at most {@code capacity} items with optional per-item TTL and user flags.
 *
 * <p>Exact semantics of the original, which scripts can observe:
 * <ul>
 *   <li>{@code get} of an expired item returns no value but the stale value and its flags, and still counts as
 *       a use (the item moves to the most-recently-used end); expired items stay until evicted, deleted or
 *       overwritten, and are counted by {@link #count()} and listed by {@link #keys(int)};</li>
 *   <li>{@code get} of a key stored with a nil value is a miss and does not touch the order;</li>
 *   <li>{@code set} of a new key on a full cache evicts exactly the least recently used item;</li>
 *   <li>{@link #keys(int)} lists most recently used first.</li>
 * </ul>
 * Implemented on an insertion-ordered {@link LinkedHashMap} (each use re-appends the entry), not Caffeine:
 * Caffeine's eviction is asynchronous and frequency-based (W-TinyLFU), so eviction order, {@code count()}
 * and stale reads would differ from the original. Values are engine values (Lua values), {@code null} for nil.
 * Not thread-safe: a cache lives in one worker VM, like the original in one nginx worker's Lua VM.
 *
 * @param <K> key type (must have value equality, as Lua table keys have)
 * @param <V> value type
 */
public final class LruCache<K, V> {

    /** What {@code get} returns: {@code value, stale_value, flags} as in the original. */
    public record Lookup<V>(V value, V staleValue, long flags) {}

    private static final class Node<V> {
        V value;
        double expire;
        long flags;
    }

    private final int capacity;
    private final DoubleSupplier nowSeconds;
    private final LinkedHashMap<K, Node<V>> items;

    /**
     * @param capacity at least 1 (the original answers {@code nil, "size too small"} below that)
     * @param nowSeconds the clock {@code ngx.now()} reads, in seconds
     */
    public LruCache(int capacity, DoubleSupplier nowSeconds) {
        if (capacity < 1) {
            throw new IllegalArgumentException("size too small");
        }
        this.capacity = capacity;
        this.nowSeconds = nowSeconds;
        this.items = new LinkedHashMap<>(Math.min(capacity, 1024) * 4 / 3 + 1);
    }

    /** {@code get(key)}: null on a miss (or a nil value). */
    public Lookup<V> get(K key) {
        Node<V> n = items.get(key);
        if (n == null || n.value == null) {
            return null;
        }
        items.putLast(key, n);
        if (n.expire >= 0 && n.expire < nowSeconds.getAsDouble()) {
            return new Lookup<>(null, n.value, n.flags);
        }
        return new Lookup<>(n.value, null, n.flags);
    }

    /**
     * {@code set(key, value, ttl, flags)}: {@code ttl} null never expires; {@code flags} is stored as the
     * original's uint32 field (the caller passes 0 when the Lua argument is not a non-negative number).
     */
    public void set(K key, V value, Double ttl, long flags) {
        Node<V> n = items.get(key);
        if (n == null) {
            if (items.size() >= capacity) {
                items.pollFirstEntry();
            }
            n = new Node<>();
        }
        items.putLast(key, n);
        n.value = value;
        n.expire = ttl == null ? -1 : nowSeconds.getAsDouble() + ttl;
        n.flags = flags & 0xFFFFFFFFL;
    }

    /** {@code delete(key)}: true when the key was present (even expired). */
    public boolean delete(K key) {
        return items.remove(key) != null;
    }

    /** {@code count()}: items held, expired ones included. */
    public int count() {
        return items.size();
    }

    /** {@code capacity()}: the {@code max_items} given to {@code new}. */
    public int capacity() {
        return capacity;
    }

    /**
     * {@code get_keys(max_count)}: keys from most to least recently used (expired ones included), at most
     * {@code max}; 0 means all, a negative count none.
     */
    public List<K> keys(int max) {
        int limit = max == 0 ? items.size() : Math.max(0, Math.min(max, items.size()));
        List<K> out = new ArrayList<>(limit);
        for (K k : items.sequencedKeySet().reversed()) {
            if (out.size() >= limit) {
                break;
            }
            out.add(k);
        }
        return out;
    }

    /** {@code flush_all()}: drops every item. */
    public void flushAll() {
        items.clear();
    }

    @Override
    public String toString() {
        return "LruCache[" + items.size() + "/" + capacity + "]";
    }
}
