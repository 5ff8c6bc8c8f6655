package dev.resty4j.core.shdict;

/**
 * The memory model behind {@link MemorySharedDict}'s hard size bound.
 *
 * <p>A Java heap has no fixed-size zone, so the bound is kept on an accounted cost per entry that imitates
 * what the same data would take in an nginx shared memory zone managed by nginx's slab allocator, as
 * lua-nginx-module lays it out. That way a dictionary declared {@code 1m} holds about as many entries as
 * it would under OpenResty, and eviction kicks in at about the same point.
 *
 * <ul>
 *   <li><b>Zone:</b> the declared size minus {@link #ZONE_OVERHEAD}, one page standing for the slab pool
 *       header, its size-class slots and the dictionary's own rbtree/LRU heads.</li>
 *   <li><b>Entry:</b> one allocation of {@link #NODE_HEADER} + key bytes + value bytes, where the value is
 *       the string's length, 8 for a number, 1 for a boolean, and {@link #LIST_HEAD_VALUE} for a list (its
 *       queue sentinel).</li>
 *   <li><b>List element:</b> one allocation of {@link #LIST_ELEMENT_HEADER} + value bytes.</li>
 *   <li><b>Rounding:</b> like {@code ngx_slab_alloc}, requests up to half a page take the next power of
 *       two (at least {@link #MIN_CHUNK}), larger ones whole pages.</li>
 * </ul>
 *
 * <p>Fragmentation is not modelled: a size class never pins a partly used page, so any freed byte can be
 * reused by an allocation of any size. That makes the model slightly more generous than nginx, never
 * less bounded.
 */
final class SlabModel {

    /** nginx's page size on common platforms ({@code ngx_pagesize}). */
    static final int PAGE_SIZE = 4096;

    /** Smallest slab chunk ({@code 1 << ngx_slab_min_shift}). */
    static final int MIN_CHUNK = 8;

    /** Largest request served from a size class; anything larger takes whole pages. */
    static final int MAX_CHUNK = PAGE_SIZE / 2;

    /** Smallest zone OpenResty accepts for {@code lua_shared_dict}. */
    static final long MIN_ZONE_SIZE = 8 * 1024;

    /** Bytes of the zone not available to entries (slab pool header, slots, dict heads). */
    static final long ZONE_OVERHEAD = PAGE_SIZE;

    /**
     * Fixed bytes of an entry before its key: {@code offsetof(ngx_rbtree_node_t, color)} (32 on 64-bit) plus
     * {@code offsetof(ngx_http_lua_shdict_node_t, data)} (36: color, type, key length, value length, expiry,
     * LRU queue links, user flags).
     */
    static final int NODE_HEADER = 68;

    /** Value bytes of a list entry: the {@code ngx_queue_t} sentinel its elements hang off. */
    static final int LIST_HEAD_VALUE = 16;

    /** Fixed bytes of a list element: queue links (16), value length (4), value type (1). */
    static final int LIST_ELEMENT_HEADER = 21;

    private SlabModel() {}

    /** Bytes the slab allocator hands out for a request of {@code n} bytes. */
    static long chunk(long n) {
        if (n <= MIN_CHUNK) {
            return MIN_CHUNK;
        }
        if (n <= MAX_CHUNK) {
            // next power of two >= n
            return Long.highestOneBit(n - 1) << 1;
        }
        return (n + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE;
    }

    /** Accounted cost of an entry with a scalar value of {@code valueLen} bytes. */
    static long entryCost(int keyLen, long valueLen) {
        return chunk(NODE_HEADER + (long) keyLen + valueLen);
    }

    /** Accounted cost of a list entry itself, without its elements. */
    static long listHeadCost(int keyLen) {
        return entryCost(keyLen, LIST_HEAD_VALUE);
    }

    /** Accounted cost of one list element of {@code valueLen} bytes. */
    static long listElementCost(long valueLen) {
        return chunk(LIST_ELEMENT_HEADER + valueLen);
    }

    /** Bytes available to entries in a zone declared {@code declaredSize} bytes. */
    static long usable(long declaredSize) {
        return declaredSize - ZONE_OVERHEAD;
    }

    /** Free bytes as nginx reports them: whole free pages only. */
    static long freePagesBytes(long freeBytes) {
        return freeBytes <= 0 ? 0 : freeBytes / PAGE_SIZE * PAGE_SIZE;
    }
}
