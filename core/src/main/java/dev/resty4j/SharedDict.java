package dev.resty4j;

import java.util.List;

/**
 * A dictionary shared by all workers of one {@code Resty} instance: what {@code lua_shared_dict NAME SIZE}
 * declares and scripts reach as {@code ngx.shared.NAME}.
 *
 * <p>Semantics follow lua-nginx-module's {@code ngx.shared.DICT}: every operation is atomic across workers,
 * the declared size is a hard memory bound (least recently used entries are evicted to make room, and the
 * evicting operation reports {@code forcible}), and entries may carry an expiry and user flags.
 *
 * <p>Keys are "byte strings": Java strings whose chars are all in 0..255, one char per byte, so any Lua
 * string maps onto a key without loss. Values are {@link String} (byte string), {@link Double} or
 * {@link Boolean}; list entries are {@link String} or {@link Double}.
 *
 * <p>Errors never throw for conditions OpenResty reports as return values ({@code "exists"},
 * {@code "not found"}, {@code "no memory"}, {@code "not a number"}, {@code "value not a list"}, …); they
 * come back in the result's {@code err}. Invalid arguments (empty key, key longer than 65535 bytes,
 * unsupported value type) also come back as {@code err} ({@code "empty key"}, {@code "key too long"},
 * {@code "bad value type"}), so each engine can turn them into the same Lua/JS behaviour.
 */
public interface SharedDict {

    /** Name as declared. */
    String name();

    /** Declared size in bytes ({@code capacity()} in OpenResty). */
    long capacity();

    /** Bytes still free for new entries ({@code free_space()} in OpenResty). */
    long freeSpace();

    /** {@code get}: null when absent or expired. */
    Entry get(String key);

    /** {@code get_stale}: also returns an expired entry not yet removed, with {@link Entry#stale()} set. */
    Entry getStale(String key);

    /** {@code set}; {@code value == null} deletes. exptime in seconds, 0 = never expires. */
    StoreResult set(String key, Object value, double exptime, int flags);

    /** {@code safe_set}: like set, but never evicts valid entries; fails with {@code "no memory"}. */
    StoreResult safeSet(String key, Object value, double exptime, int flags);

    /** {@code add}: fails with {@code "exists"} when a non-expired entry exists. */
    StoreResult add(String key, Object value, double exptime, int flags);

    /** {@code safe_add}. */
    StoreResult safeAdd(String key, Object value, double exptime, int flags);

    /** {@code replace}: fails with {@code "not found"} when no non-expired entry exists. */
    StoreResult replace(String key, Object value, double exptime, int flags);

    /** {@code delete}. */
    StoreResult delete(String key);

    /**
     * {@code incr(key, value, init?, init_ttl?)}: {@code init == null} means the key must exist
     * ({@code "not found"} otherwise); a non-number value gives {@code "not a number"}.
     */
    IncrResult incr(String key, double delta, Double init, double initTtl);

    /** {@code lpush}: returns the new list length. */
    ListResult lpush(String key, Object value);

    /** {@code rpush}. */
    ListResult rpush(String key, Object value);

    /** {@code lpop}: value null (and err null) when the list is empty or absent. */
    PopResult lpop(String key);

    /** {@code rpop}. */
    PopResult rpop(String key);

    /** {@code llen}: 0 for an absent key. */
    ListResult llen(String key);

    /** {@code ttl}: remaining seconds; 0 for no expiry; err {@code "not found"} when absent. */
    TtlResult ttl(String key);

    /** {@code expire(key, exptime)}: err {@code "not found"} when absent. */
    StoreResult expire(String key, double exptime);

    /** {@code flush_all}: marks every entry expired (as OpenResty does; memory is reclaimed lazily). */
    void flushAll();

    /** {@code flush_expired(max_count)}: frees expired entries, at most max (0 = all); returns count freed. */
    int flushExpired(int maxCount);

    /** {@code get_keys(max_count)}: non-expired keys, at most max (0 = all). */
    List<String> getKeys(int maxCount);

    /** Number of entries evicted (LRU) to make room since creation, for metrics and tests. */
    long evictions();

    /** A stored value with its user flags. */
    record Entry(Object value, int flags, boolean stale) {}

    /** Result of a store operation: ok, or err; {@code forcible} when valid entries were evicted. */
    record StoreResult(boolean ok, String err, boolean forcible) {
        public static final StoreResult OK = new StoreResult(true, null, false);
        public static final StoreResult OK_FORCIBLE = new StoreResult(true, null, true);
        public static StoreResult error(String err) { return new StoreResult(false, err, false); }
    }

    /** Result of {@code incr}: the new value, or err. */
    record IncrResult(Double value, String err, boolean forcible) {}

    /** Result of push / llen: the list length, or err. */
    record ListResult(Long length, String err) {}

    /** Result of pop: the value (null when empty), or err. */
    record PopResult(Object value, String err) {}

    /** Result of ttl: seconds, or err. */
    record TtlResult(Double ttl, String err) {}
}
