package dev.resty4j.core.shdict;

import dev.resty4j.SharedDict;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * In-memory {@link SharedDict} with the semantics of lua-nginx-module's {@code ngx.shared.DICT}.
 *
 * <h2>Concurrency</h2>
 * One lock per dictionary, like the mutex of an nginx shared memory zone: every operation is atomic, and
 * argument checks, value conversion and cost computation happen before the lock is taken.
 *
 * <h2>Memory bound</h2>
 * Each entry is charged what it would take in an nginx zone (see {@link SlabModel}); the charged total
 * never exceeds {@link #usableBytes()}. When a store needs room it first frees expired entries (soonest
 * expired first), then, unless it is a {@code safe_*} operation, evicts the least recently used valid
 * entries and reports {@code forcible}. A value that could not fit even in an empty dictionary fails with
 * {@code "no memory"} without evicting anything. As the OpenResty documentation specifies, list pushes
 * never evict valid entries: they only free expired ones, then fail with {@code "no memory"}.
 *
 * <h2>Expiry</h2>
 * Expired entries stay in memory (visible to {@code get_stale}) until they are freed: when room is
 * needed, by {@code flush_expired}, or when their key is written again. Expiry times have millisecond
 * resolution; a positive exptime shorter than 1 ms counts as 1 ms rather than "never".
 *
 * <h2>Differences forced by the {@link SharedDict} signatures</h2>
 * {@code get}/{@code get_stale} cannot carry an error, so for a list value (OpenResty: {@code nil,
 * "value is a list"}) and for an invalid key they return {@code null}. A negative or NaN exptime/init_ttl
 * (a Lua argument error in OpenResty) comes back as err {@code "bad exptime"} / {@code "bad init_ttl"}.
 */
public final class MemorySharedDict implements SharedDict {

    /** Longest key OpenResty accepts (its node stores the key length in 16 bits). */
    static final int MAX_KEY_LENGTH = 65535;

    /** {@link Node#expiresAt} of an entry without expiry. */
    private static final long NEVER = Long.MAX_VALUE;

    /** {@link Node#expiresAt} set by flush_all: expired whatever the clock says. */
    private static final long FLUSHED = Long.MIN_VALUE;

    /** Expiry cap (~31,000 years) so that {@code now + ttl} cannot overflow. */
    private static final double MAX_TTL_MILLIS = 1e15;

    private final String name;
    private final long capacity;
    private final long usable;
    private final LongSupplier clock;

    private final ReentrantLock lock = new ReentrantLock();

    // ---- everything below is guarded by lock ----

    private final HashMap<String, Node> index = new HashMap<>();

    /**
     * Sentinel of the circular LRU list: {@code lru.next} is the most recently used entry,
     * {@code lru.prev} the least recently used one (the eviction candidate).
     */
    private final Node lru = new Node(null);

    /**
     * Binary min-heap on {@link Node#expiresAt} of the entries that have an expiry, so that expired entries
     * are found without walking the whole dictionary. Each node knows its slot ({@link Node#heapIndex}).
     */
    private Node[] heap = new Node[16];
    private int heapSize;

    /** Accounted bytes of all entries, expired ones included (they hold memory until freed). */
    private long used;

    private long evictions;

    /**
     * @param name        the dictionary name, as in {@code lua_shared_dict NAME SIZE}
     * @param sizeBytes   declared zone size; at least 8k, like OpenResty
     * @param clockMillis wall clock in milliseconds, used for expiry (a fake one in tests)
     * @throws IllegalArgumentException when the name is empty or the size is below 8k
     */
    public MemorySharedDict(String name, long sizeBytes, LongSupplier clockMillis) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("lua_shared_dict name must not be empty");
        }
        if (sizeBytes < SlabModel.MIN_ZONE_SIZE) {
            throw new IllegalArgumentException("lua_shared_dict \"" + name + "\" size " + sizeBytes
                    + " is too small (at least 8k = 8192 bytes)");
        }
        this.name = name;
        this.capacity = sizeBytes;
        this.usable = SlabModel.usable(sizeBytes);
        this.clock = Objects.requireNonNull(clockMillis, "clockMillis");
        lru.prev = lru;
        lru.next = lru;
    }

    /** A dictionary whose expiry follows {@link System#currentTimeMillis()}. */
    public MemorySharedDict(String name, long sizeBytes) {
        this(name, sizeBytes, System::currentTimeMillis);
    }

    // ------------------------------------------------------------------------------------------------
    // Introspection

    @Override
    public String name() {
        return name;
    }

    @Override
    public long capacity() {
        return capacity;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Like nginx, counts whole free 4096-byte pages only, so a small entry may still fit when this
     * returns 0. Memory held by expired entries not yet freed is not free.
     */
    @Override
    public long freeSpace() {
        lock.lock();
        try {
            return SlabModel.freePagesBytes(usable - used);
        } finally {
            lock.unlock();
        }
    }

    /** Bytes available to entries: the declared size minus the modelled zone overhead. */
    public long usableBytes() {
        return usable;
    }

    /** Accounted bytes currently held by entries, expired ones not yet freed included. */
    public long usedBytes() {
        lock.lock();
        try {
            return used;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long evictions() {
        lock.lock();
        try {
            return evictions;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Reads

    /** {@inheritDoc} Also null for a list value and for an invalid key (see class comment). */
    @Override
    public Entry get(String key) {
        return read(key, false);
    }

    /** {@inheritDoc} Also null for a list value and for an invalid key (see class comment). */
    @Override
    public Entry getStale(String key) {
        return read(key, true);
    }

    private Entry read(String key, boolean stale) {
        if (checkKey(key) != null) {
            return null;
        }
        lock.lock();
        try {
            Node node = index.get(key);
            if (node == null || node.value instanceof ArrayDeque) {
                return null;
            }
            boolean expired = node.expiredAt(clock.getAsLong());
            if (expired && !stale) {
                return null;
            }
            touch(node);
            return new Entry(node.value, node.flags, expired);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public TtlResult ttl(String key) {
        String err = checkKey(key);
        if (err != null) {
            return new TtlResult(null, err);
        }
        lock.lock();
        try {
            long now = clock.getAsLong();
            Node node = liveNode(key, now);
            if (node == null) {
                return new TtlResult(null, "not found");
            }
            return new TtlResult(node.expiresAt == NEVER ? 0.0 : (node.expiresAt - now) / 1000.0, null);
        } finally {
            lock.unlock();
        }
    }

    /** {@inheritDoc} Keys come most recently used first; reading them does not count as a use. */
    @Override
    public List<String> getKeys(int maxCount) {
        lock.lock();
        try {
            long now = clock.getAsLong();
            int limit = maxCount <= 0 ? index.size() : Math.min(maxCount, index.size());
            List<String> keys = new ArrayList<>(limit);
            for (Node n = lru.next; n != lru && keys.size() < limit; n = n.next) {
                if (!n.expiredAt(now)) {
                    keys.add(n.key);
                }
            }
            return keys;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Stores

    private enum StoreOp { SET, ADD, REPLACE }

    @Override
    public StoreResult set(String key, Object value, double exptime, int flags) {
        return store(StoreOp.SET, false, key, value, exptime, flags);
    }

    @Override
    public StoreResult safeSet(String key, Object value, double exptime, int flags) {
        return store(StoreOp.SET, true, key, value, exptime, flags);
    }

    @Override
    public StoreResult add(String key, Object value, double exptime, int flags) {
        return store(StoreOp.ADD, false, key, value, exptime, flags);
    }

    @Override
    public StoreResult safeAdd(String key, Object value, double exptime, int flags) {
        return store(StoreOp.ADD, true, key, value, exptime, flags);
    }

    @Override
    public StoreResult replace(String key, Object value, double exptime, int flags) {
        return store(StoreOp.REPLACE, false, key, value, exptime, flags);
    }

    @Override
    public StoreResult delete(String key) {
        return store(StoreOp.SET, false, key, null, 0, 0);
    }

    /**
     * set / add / replace and their safe variants. A null value deletes, under the same conditions as the
     * operation would store (so {@code add(k, null)} on a live key still reports {@code "exists"}).
     */
    private StoreResult store(StoreOp op, boolean safe, String key, Object value, double exptime, int flags) {
        String err = checkKey(key);
        if (err != null) {
            return StoreResult.error(err);
        }
        Object v = null;
        long cost = 0;
        if (value != null) {
            v = scalarValue(value);
            if (v == null) {
                return StoreResult.error("bad value type");
            }
            cost = SlabModel.entryCost(key.length(), valueBytes(v));
        }
        long ttl = ttlMillis(exptime);
        if (ttl < 0) {
            return StoreResult.error("bad exptime");
        }

        lock.lock();
        try {
            long now = clock.getAsLong();
            Node node = index.get(key);
            boolean live = node != null && !node.expiredAt(now);
            if (op == StoreOp.ADD && live) {
                return StoreResult.error("exists");
            }
            if (op == StoreOp.REPLACE && !live) {
                return StoreResult.error("not found");
            }
            if (v == null) {
                if (node != null) {
                    removeNode(node);
                }
                return StoreResult.OK;
            }
            if (cost > usable) {
                // could not fit even in an empty dictionary: fail without destroying anything
                return StoreResult.error("no memory");
            }
            // the entry's old allocation is released by the store, so only the difference needs room
            long need = cost - (node == null ? 0 : node.cost);
            int room = makeRoom(need, node, !safe, now);
            if (room == NO_ROOM) {
                return StoreResult.error("no memory");
            }
            if (node == null) {
                node = new Node(key);
                index.put(key, node);
            }
            node.value = v;
            node.flags = flags;
            node.cost = cost;
            used += need;
            setExpiry(node, expiresAt(now, ttl));
            touch(node);
            return room == ROOM_BY_EVICTION ? StoreResult.OK_FORCIBLE : StoreResult.OK;
        } finally {
            lock.unlock();
        }
    }

    /** {@inheritDoc} A positive {@code initTtl} applies only when the entry is created. */
    @Override
    public IncrResult incr(String key, double delta, Double init, double initTtl) {
        String err = checkKey(key);
        if (err != null) {
            return new IncrResult(null, err, false);
        }
        long ttl = ttlMillis(initTtl);
        if (ttl < 0) {
            return new IncrResult(null, "bad init_ttl", false);
        }
        long cost = SlabModel.entryCost(key.length(), Double.BYTES);

        lock.lock();
        try {
            long now = clock.getAsLong();
            Node node = index.get(key);
            if (node != null && !node.expiredAt(now)) {
                if (!(node.value instanceof Double d)) {
                    return new IncrResult(null, "not a number", false);
                }
                // same size, updated in place; expiry and flags are kept
                Double result = d + delta;
                node.value = result;
                touch(node);
                return new IncrResult(result, null, false);
            }
            if (init == null) {
                return new IncrResult(null, "not found", false);
            }
            // absent or expired: (re)create it as init + delta
            long need = cost - (node == null ? 0 : node.cost);
            int room = makeRoom(need, node, true, now);
            if (room == NO_ROOM) {
                return new IncrResult(null, "no memory", false);
            }
            if (node == null) {
                node = new Node(key);
                index.put(key, node);
            }
            Double result = init + delta;
            node.value = result;
            node.flags = 0;
            node.cost = cost;
            used += need;
            setExpiry(node, expiresAt(now, ttl));
            touch(node);
            return new IncrResult(result, null, room == ROOM_BY_EVICTION);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public StoreResult expire(String key, double exptime) {
        String err = checkKey(key);
        if (err != null) {
            return StoreResult.error(err);
        }
        long ttl = ttlMillis(exptime);
        if (ttl < 0) {
            return StoreResult.error("bad exptime");
        }
        lock.lock();
        try {
            long now = clock.getAsLong();
            Node node = liveNode(key, now);
            if (node == null) {
                return StoreResult.error("not found");
            }
            setExpiry(node, expiresAt(now, ttl));
            return StoreResult.OK;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Lists: the value of a list entry is an ArrayDeque of String / Double elements

    @Override
    public ListResult lpush(String key, Object value) {
        return push(key, value, true);
    }

    @Override
    public ListResult rpush(String key, Object value) {
        return push(key, value, false);
    }

    private ListResult push(String key, Object value, boolean atHead) {
        String err = checkKey(key);
        if (err != null) {
            return new ListResult(null, err);
        }
        Object v = listValue(value);
        if (v == null) {
            return new ListResult(null, "bad value type");
        }
        long elementCost = SlabModel.listElementCost(valueBytes(v));

        lock.lock();
        try {
            long now = clock.getAsLong();
            Node node = index.get(key);
            if (node != null && node.expiredAt(now)) {
                // an expired entry of any type is replaced by a fresh list without expiry
                removeNode(node);
                node = null;
            }
            if (node != null && !(node.value instanceof ArrayDeque)) {
                return new ListResult(null, "value not a list");
            }
            long need = elementCost + (node == null ? SlabModel.listHeadCost(key.length()) : 0);
            if (need > usable || makeRoom(need, node, false, now) == NO_ROOM) {
                return new ListResult(null, "no memory");
            }
            if (node == null) {
                node = new Node(key);
                node.value = new ArrayDeque<>();
                index.put(key, node);
            }
            ArrayDeque<Object> list = listOf(node);
            if (atHead) {
                list.addFirst(v);
            } else {
                list.addLast(v);
            }
            node.cost += need;
            used += need;
            touch(node);
            return new ListResult((long) list.size(), null);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public PopResult lpop(String key) {
        return pop(key, true);
    }

    @Override
    public PopResult rpop(String key) {
        return pop(key, false);
    }

    private PopResult pop(String key, boolean atHead) {
        String err = checkKey(key);
        if (err != null) {
            return new PopResult(null, err);
        }
        lock.lock();
        try {
            Node node = liveNode(key, clock.getAsLong());
            if (node == null) {
                return new PopResult(null, null);
            }
            if (!(node.value instanceof ArrayDeque)) {
                return new PopResult(null, "value not a list");
            }
            ArrayDeque<Object> list = listOf(node);
            Object v = atHead ? list.pollFirst() : list.pollLast();
            if (list.isEmpty()) {
                // OpenResty removes a list once its last element is popped
                removeNode(node);
            } else {
                long freed = SlabModel.listElementCost(valueBytes(v));
                node.cost -= freed;
                used -= freed;
            }
            return new PopResult(v, null);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ListResult llen(String key) {
        String err = checkKey(key);
        if (err != null) {
            return new ListResult(null, err);
        }
        lock.lock();
        try {
            Node node = liveNode(key, clock.getAsLong());
            if (node == null) {
                return new ListResult(0L, null);
            }
            if (!(node.value instanceof ArrayDeque)) {
                return new ListResult(null, "value not a list");
            }
            return new ListResult((long) listOf(node).size(), null);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Flushing

    @Override
    public void flushAll() {
        lock.lock();
        try {
            // Every entry gets the same expiry, so any order is a valid heap: rebuild it in one pass.
            if (heap.length < index.size()) {
                heap = new Node[index.size()];
            }
            int i = 0;
            for (Node n = lru.next; n != lru; n = n.next) {
                n.expiresAt = FLUSHED;
                n.heapIndex = i;
                heap[i++] = n;
            }
            heapSize = i;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int flushExpired(int maxCount) {
        lock.lock();
        try {
            long now = clock.getAsLong();
            int freed = 0;
            while (heapSize > 0 && heap[0].expiredAt(now) && (maxCount <= 0 || freed < maxCount)) {
                removeNode(heap[0]);
                freed++;
            }
            return freed;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Room making (lock held)

    private static final int NO_ROOM = -1;
    private static final int ROOM_FREE = 0;
    private static final int ROOM_BY_EVICTION = 1;

    /**
     * Frees memory until {@code need} more bytes fit: expired entries first (soonest expired first), then,
     * if {@code mayEvict}, least recently used valid entries. {@code self} (the entry being rewritten, or
     * null) is never freed. Returns {@link #NO_ROOM} when the bytes still do not fit; expired entries freed
     * on the way stay freed, which is harmless.
     */
    private int makeRoom(long need, Node self, boolean mayEvict, long now) {
        if (used + need <= usable) {
            return ROOM_FREE;
        }
        // keep self out of the heap while purging, then put it back: its expiry is the caller's business
        boolean selfInHeap = self != null && self.heapIndex >= 0;
        if (selfInHeap) {
            heapRemove(self);
        }
        try {
            while (used + need > usable && heapSize > 0 && heap[0].expiredAt(now)) {
                removeNode(heap[0]);
            }
            if (used + need <= usable) {
                return ROOM_FREE;
            }
            if (!mayEvict) {
                return NO_ROOM;
            }
            // No expired entry is left (besides perhaps self), so every victim here is a valid entry.
            Node victim = lru.prev;
            while (used + need > usable && victim != lru) {
                Node before = victim.prev;
                if (victim != self) {
                    removeNode(victim);
                    evictions++;
                }
                victim = before;
            }
            return used + need <= usable ? ROOM_BY_EVICTION : NO_ROOM;
        } finally {
            if (selfInHeap) {
                heapAdd(self);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Entry bookkeeping (lock held)

    /** The non-expired entry for key, marked as used; null when absent or expired. */
    private Node liveNode(String key, long now) {
        Node node = index.get(key);
        if (node == null || node.expiredAt(now)) {
            return null;
        }
        touch(node);
        return node;
    }

    private void removeNode(Node node) {
        index.remove(node.key);
        node.prev.next = node.next;
        node.next.prev = node.prev;
        node.prev = node.next = null;
        if (node.heapIndex >= 0) {
            heapRemove(node);
        }
        used -= node.cost;
    }

    /** Moves (or links) node to the most recently used end of the LRU list. */
    private void touch(Node node) {
        if (lru.next == node) {
            return;
        }
        if (node.prev != null) {
            node.prev.next = node.next;
            node.next.prev = node.prev;
        }
        node.prev = lru;
        node.next = lru.next;
        lru.next.prev = node;
        lru.next = node;
    }

    private void setExpiry(Node node, long at) {
        node.expiresAt = at;
        if (at == NEVER) {
            if (node.heapIndex >= 0) {
                heapRemove(node);
            }
        } else if (node.heapIndex >= 0) {
            siftDown(siftUp(node.heapIndex));
        } else {
            heapAdd(node);
        }
    }

    // ---- expiry heap ----

    private void heapAdd(Node node) {
        if (heapSize == heap.length) {
            heap = Arrays.copyOf(heap, heapSize * 2);
        }
        heap[heapSize] = node;
        node.heapIndex = heapSize;
        heapSize++;
        siftUp(node.heapIndex);
    }

    private void heapRemove(Node node) {
        int i = node.heapIndex;
        node.heapIndex = -1;
        heapSize--;
        Node last = heap[heapSize];
        heap[heapSize] = null;
        if (i != heapSize) {
            heap[i] = last;
            last.heapIndex = i;
            siftDown(siftUp(i));
        }
    }

    /** Moves the node at i up while it expires sooner than its parent; returns its final slot. */
    private int siftUp(int i) {
        Node node = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Node p = heap[parent];
            if (p.expiresAt <= node.expiresAt) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = node;
        node.heapIndex = i;
        return i;
    }

    private void siftDown(int i) {
        Node node = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= heapSize) {
                break;
            }
            if (child + 1 < heapSize && heap[child + 1].expiresAt < heap[child].expiresAt) {
                child++;
            }
            Node c = heap[child];
            if (node.expiresAt <= c.expiresAt) {
                break;
            }
            heap[i] = c;
            c.heapIndex = i;
            i = child;
        }
        heap[i] = node;
        node.heapIndex = i;
    }

    // ------------------------------------------------------------------------------------------------
    // Argument conversion (no lock)

    /** The error for an unusable key, or null. Keys are byte strings: one char per byte. */
    static String checkKey(String key) {
        if (key == null) {
            return "nil key";
        }
        if (key.isEmpty()) {
            return "empty key";
        }
        if (key.length() > MAX_KEY_LENGTH) {
            return "key too long";
        }
        return null;
    }

    /** Stored form of a scalar value, or null when the type is not storable. Integral numbers become Double. */
    private static Object scalarValue(Object value) {
        if (value instanceof Boolean) {
            return value;
        }
        return listValue(value);
    }

    /** Stored form of a list element (String or Double), or null when the type is not allowed. */
    private static Object listValue(Object value) {
        return switch (value) {
            case String s -> s;
            case Double d -> d;
            case Integer i -> i.doubleValue();
            case Long l -> l.doubleValue();
            case Short s -> s.doubleValue();
            case Byte b -> b.doubleValue();
            case Float f -> f.doubleValue();
            case null, default -> null;
        };
    }

    /** Value bytes as nginx stores them: string length, 8 for a number, 1 for a boolean. */
    private static long valueBytes(Object v) {
        if (v instanceof String s) {
            return s.length();
        }
        return v instanceof Boolean ? 1 : Double.BYTES;
    }

    /** Expiry in whole milliseconds: 0 for none, -1 when invalid; a positive value never rounds to "none". */
    private static long ttlMillis(double seconds) {
        if (!(seconds >= 0)) {
            return -1; // negative or NaN
        }
        if (seconds == 0) {
            return 0;
        }
        return Math.max(1, (long) Math.min(seconds * 1000.0, MAX_TTL_MILLIS));
    }

    private static long expiresAt(long now, long ttlMillis) {
        return ttlMillis == 0 ? NEVER : now + ttlMillis;
    }

    @SuppressWarnings("unchecked")
    private static ArrayDeque<Object> listOf(Node node) {
        return (ArrayDeque<Object>) node.value;
    }

    @Override
    public String toString() {
        return "MemorySharedDict[" + name + ", " + capacity + " bytes]";
    }

    /** One entry: its value, user flags, expiry, accounted cost, and links into the LRU list and expiry heap. */
    private static final class Node {
        final String key;
        /** String, Double, Boolean, or an ArrayDeque of list elements. */
        Object value;
        int flags;
        long expiresAt = NEVER;
        long cost;
        Node prev;
        Node next;
        int heapIndex = -1;

        Node(String key) {
            this.key = key;
        }

        boolean expiredAt(long now) {
            return expiresAt <= now;
        }
    }
}
