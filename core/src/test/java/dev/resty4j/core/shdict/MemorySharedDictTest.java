package dev.resty4j.core.shdict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.resty4j.SharedDict.Entry;
import dev.resty4j.SharedDict.IncrResult;
import dev.resty4j.SharedDict.ListResult;
import dev.resty4j.SharedDict.PopResult;
import dev.resty4j.SharedDict.StoreResult;
import dev.resty4j.SharedDict.TtlResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemorySharedDictTest {

    private final FakeClock clock = new FakeClock();

    /** 16k: 12288 usable bytes, i.e. 96 entries of 128 bytes. */
    private final MemorySharedDict dict = new MemorySharedDict("dogs", 16 * 1024, clock);

    private static final StoreResult EXISTS = StoreResult.error("exists");
    private static final StoreResult NOT_FOUND = StoreResult.error("not found");
    private static final StoreResult NO_MEMORY = StoreResult.error("no memory");

    /** Keys "k00".."kNN" with 1-byte values cost 128 bytes each (68 + 3 + 1 -> 128). */
    private static String k(int i) {
        return String.format("k%02d", i);
    }

    private static final long SMALL_ENTRY = 128;

    private int fillWithSmallEntries() {
        int n = (int) (dict.usableBytes() / SMALL_ENTRY);
        for (int i = 0; i < n; i++) {
            assertThat(dict.set(k(i), "v", 0, 0)).isEqualTo(StoreResult.OK);
        }
        assertThat(dict.usedBytes()).isEqualTo(dict.usableBytes());
        return n;
    }

    // ---- construction ----

    @Test
    void capacityIsTheDeclaredSize() {
        assertThat(dict.name()).isEqualTo("dogs");
        assertThat(dict.capacity()).isEqualTo(16 * 1024);
        assertThat(dict.usableBytes()).isEqualTo(16 * 1024 - 4096);
        assertThat(dict.freeSpace()).isEqualTo(12288);
        assertThat(dict.evictions()).isZero();
    }

    @Test
    void acceptsEightKilobytes() {
        MemorySharedDict small = new MemorySharedDict("small", 8192);
        assertThat(small.capacity()).isEqualTo(8192);
        assertThat(small.set("a", "b", 0, 0).ok()).isTrue();
        assertThat(small.get("a").value()).isEqualTo("b");
    }

    @Test
    void refusesSizesBelowEightKilobytes() {
        assertThatThrownBy(() -> new MemorySharedDict("tiny", 8191))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tiny")
                .hasMessageContaining("too small");
    }

    @Test
    void refusesEmptyNameAndNullClock() {
        assertThatThrownBy(() -> new MemorySharedDict("", 8192)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MemorySharedDict(null, 8192)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MemorySharedDict("x", 8192, null)).isInstanceOf(NullPointerException.class);
    }

    // ---- get and set ----

    @Test
    void storesEachValueTypeWithItsFlags() {
        assertThat(dict.set("s", "hello", 0, 0)).isEqualTo(StoreResult.OK);
        assertThat(dict.set("d", 3.5, 0, 7)).isEqualTo(StoreResult.OK);
        assertThat(dict.set("t", true, 0, 0)).isEqualTo(StoreResult.OK);
        assertThat(dict.set("f", false, 0, -1)).isEqualTo(StoreResult.OK);

        assertThat(dict.get("s")).isEqualTo(new Entry("hello", 0, false));
        assertThat(dict.get("d")).isEqualTo(new Entry(3.5, 7, false));
        assertThat(dict.get("t")).isEqualTo(new Entry(true, 0, false));
        assertThat(dict.get("f")).isEqualTo(new Entry(false, -1, false));
        assertThat(dict.get("missing")).isNull();
    }

    @Test
    void integralNumbersBecomeDoubles() {
        dict.set("i", 42, 0, 0);
        dict.set("l", 1L << 40, 0, 0);
        assertThat(dict.get("i").value()).isEqualTo(42.0);
        assertThat(dict.get("l").value()).isEqualTo((double) (1L << 40));
    }

    @Test
    void byteStringsRoundTrip() {
        String bytes = "\u0000\u00ff\u0080binary\n";
        dict.set(bytes, bytes, 0, 0);
        assertThat(dict.get(bytes).value()).isEqualTo(bytes);
    }

    @Test
    void setOverwritesValueAndFlags() {
        dict.set("a", "one", 0, 1);
        dict.set("a", 2.0, 0, 0);
        assertThat(dict.get("a")).isEqualTo(new Entry(2.0, 0, false));
    }

    @Test
    void setNullDeletes() {
        dict.set("a", "one", 0, 0);
        assertThat(dict.set("a", null, 0, 0)).isEqualTo(StoreResult.OK);
        assertThat(dict.get("a")).isNull();
        assertThat(dict.usedBytes()).isZero();
    }

    @Test
    void deleteRemovesAndIsFineOnMissingKeys() {
        dict.set("a", "one", 0, 0);
        assertThat(dict.delete("a")).isEqualTo(StoreResult.OK);
        assertThat(dict.delete("a")).isEqualTo(StoreResult.OK);
        assertThat(dict.get("a")).isNull();
    }

    @Test
    void rejectsUnsupportedValueTypes() {
        assertThat(dict.set("a", new Object(), 0, 0)).isEqualTo(StoreResult.error("bad value type"));
        assertThat(dict.set("a", List.of(1), 0, 0)).isEqualTo(StoreResult.error("bad value type"));
        assertThat(dict.add("a", new StringBuilder("x"), 0, 0)).isEqualTo(StoreResult.error("bad value type"));
        assertThat(dict.get("a")).isNull();
    }

    @Test
    void rejectsBadExptime() {
        assertThat(dict.set("a", "x", -1, 0)).isEqualTo(StoreResult.error("bad exptime"));
        assertThat(dict.set("a", "x", Double.NaN, 0)).isEqualTo(StoreResult.error("bad exptime"));
    }

    @Test
    void getOfAListIsNull() {
        dict.rpush("l", "x");
        assertThat(dict.get("l")).isNull();
        assertThat(dict.getStale("l")).isNull();
    }

    @Test
    void setReplacesAList() {
        dict.rpush("l", "x");
        dict.rpush("l", "y");
        assertThat(dict.set("l", "plain", 0, 0)).isEqualTo(StoreResult.OK);
        assertThat(dict.get("l").value()).isEqualTo("plain");
        assertThat(dict.usedBytes()).isEqualTo(SlabModel.entryCost(1, 5));
    }

    // ---- key validation ----

    private final String tooLong = "x".repeat(65536);

    @Test
    void nilEmptyAndTooLongKeys() {
        assertThat(dict.set(null, "v", 0, 0)).isEqualTo(StoreResult.error("nil key"));
        assertThat(dict.set("", "v", 0, 0)).isEqualTo(StoreResult.error("empty key"));
        assertThat(dict.set(tooLong, "v", 0, 0)).isEqualTo(StoreResult.error("key too long"));
    }

    @Test
    void everyOperationChecksTheKey() {
        assertThat(dict.safeSet("", "v", 0, 0).err()).isEqualTo("empty key");
        assertThat(dict.add("", "v", 0, 0).err()).isEqualTo("empty key");
        assertThat(dict.safeAdd("", "v", 0, 0).err()).isEqualTo("empty key");
        assertThat(dict.replace("", "v", 0, 0).err()).isEqualTo("empty key");
        assertThat(dict.delete(null).err()).isEqualTo("nil key");
        assertThat(dict.incr("", 1, 0.0, 0)).isEqualTo(new IncrResult(null, "empty key", false));
        assertThat(dict.lpush(tooLong, "v")).isEqualTo(new ListResult(null, "key too long"));
        assertThat(dict.rpush("", "v")).isEqualTo(new ListResult(null, "empty key"));
        assertThat(dict.lpop("")).isEqualTo(new PopResult(null, "empty key"));
        assertThat(dict.rpop(null)).isEqualTo(new PopResult(null, "nil key"));
        assertThat(dict.llen("")).isEqualTo(new ListResult(null, "empty key"));
        assertThat(dict.ttl("")).isEqualTo(new TtlResult(null, "empty key"));
        assertThat(dict.expire(null, 1)).isEqualTo(StoreResult.error("nil key"));
        assertThat(dict.get("")).isNull();
        assertThat(dict.getStale(null)).isNull();
    }

    @Test
    void keyOfExactly65535BytesIsAccepted() {
        MemorySharedDict big = new MemorySharedDict("big", 1 << 20, clock);
        String key = "k".repeat(65535);
        assertThat(big.set(key, "v", 0, 0)).isEqualTo(StoreResult.OK);
        assertThat(big.get(key).value()).isEqualTo("v");
    }

    // ---- add and replace ----

    @Test
    void addFailsWhenALiveEntryExists() {
        assertThat(dict.add("a", "one", 0, 0)).isEqualTo(StoreResult.OK);
        assertThat(dict.add("a", "two", 0, 0)).isEqualTo(EXISTS);
        assertThat(dict.safeAdd("a", "two", 0, 0)).isEqualTo(EXISTS);
        assertThat(dict.get("a").value()).isEqualTo("one");
    }

    @Test
    void addSucceedsOverAnExpiredEntry() {
        dict.set("a", "old", 1, 5);
        clock.advanceSeconds(1);
        assertThat(dict.add("a", "new", 0, 0)).isEqualTo(StoreResult.OK);
        assertThat(dict.get("a")).isEqualTo(new Entry("new", 0, false));
    }

    @Test
    void addOfAListKeyReportsExists() {
        dict.lpush("l", 1.0);
        assertThat(dict.add("l", "x", 0, 0)).isEqualTo(EXISTS);
    }

    @Test
    void replaceNeedsALiveEntry() {
        assertThat(dict.replace("a", "x", 0, 0)).isEqualTo(NOT_FOUND);
        dict.set("a", "old", 1, 0);
        assertThat(dict.replace("a", "new", 0, 3)).isEqualTo(StoreResult.OK);
        assertThat(dict.get("a")).isEqualTo(new Entry("new", 3, false));
        assertThat(dict.ttl("a").ttl()).isZero();

        dict.set("b", "old", 1, 0);
        clock.advanceSeconds(1);
        assertThat(dict.replace("b", "new", 0, 0)).isEqualTo(NOT_FOUND);
    }

    @Test
    void nullValueDeletesUnderTheSameConditions() {
        dict.set("a", "x", 0, 0);
        assertThat(dict.add("a", null, 0, 0)).isEqualTo(EXISTS);
        assertThat(dict.replace("a", null, 0, 0)).isEqualTo(StoreResult.OK);
        assertThat(dict.get("a")).isNull();
        assertThat(dict.replace("a", null, 0, 0)).isEqualTo(NOT_FOUND);
        assertThat(dict.add("a", null, 0, 0)).isEqualTo(StoreResult.OK);
        assertThat(dict.get("a")).isNull();
    }

    // ---- expiry ----

    @Test
    void entriesExpireAfterExptime() {
        dict.set("a", "x", 2, 0);
        clock.advanceMillis(1999);
        assertThat(dict.get("a").value()).isEqualTo("x");
        clock.advanceMillis(1);
        assertThat(dict.get("a")).isNull();
    }

    @Test
    void fractionalExptimeDownToOneMillisecond() {
        dict.set("a", "x", 0.001, 0);
        assertThat(dict.get("a")).isNotNull();
        clock.advanceMillis(1);
        assertThat(dict.get("a")).isNull();

        // below the resolution still expires (it does not turn into "never")
        dict.set("b", "x", 0.0001, 0);
        clock.advanceMillis(1);
        assertThat(dict.get("b")).isNull();
    }

    @Test
    void zeroExptimeNeverExpires() {
        dict.set("a", "x", 0, 0);
        clock.advanceSeconds(1e9);
        assertThat(dict.get("a").value()).isEqualTo("x");
    }

    @Test
    void getStaleReturnsExpiredEntriesUntilFreed() {
        dict.set("a", "x", 1, 9);
        assertThat(dict.getStale("a")).isEqualTo(new Entry("x", 9, false));
        clock.advanceSeconds(1);
        assertThat(dict.get("a")).isNull();
        assertThat(dict.getStale("a")).isEqualTo(new Entry("x", 9, true));
        assertThat(dict.flushExpired(0)).isEqualTo(1);
        assertThat(dict.getStale("a")).isNull();
    }

    @Test
    void ttlReportsRemainingSeconds() {
        assertThat(dict.ttl("a")).isEqualTo(new TtlResult(null, "not found"));
        dict.set("a", "x", 1.5, 0);
        assertThat(dict.ttl("a").ttl()).isCloseTo(1.5, within(1e-9));
        clock.advanceMillis(500);
        assertThat(dict.ttl("a")).isEqualTo(new TtlResult(1.0, null));
        clock.advanceMillis(999);
        assertThat(dict.ttl("a").ttl()).isCloseTo(0.001, within(1e-9));
        clock.advanceMillis(1);
        assertThat(dict.ttl("a")).isEqualTo(new TtlResult(null, "not found"));
    }

    @Test
    void ttlIsZeroWithoutExpiry() {
        dict.set("a", "x", 0, 0);
        assertThat(dict.ttl("a")).isEqualTo(new TtlResult(0.0, null));
    }

    @Test
    void expireChangesOrRemovesTheExpiry() {
        assertThat(dict.expire("a", 1)).isEqualTo(NOT_FOUND);
        dict.set("a", "x", 0, 0);
        assertThat(dict.expire("a", 10)).isEqualTo(StoreResult.OK);
        assertThat(dict.ttl("a").ttl()).isEqualTo(10.0);
        assertThat(dict.expire("a", 0)).isEqualTo(StoreResult.OK);
        assertThat(dict.ttl("a").ttl()).isZero();
        clock.advanceSeconds(100);
        assertThat(dict.get("a")).isNotNull();

        assertThat(dict.expire("a", 0.5)).isEqualTo(StoreResult.OK);
        clock.advanceMillis(500);
        assertThat(dict.get("a")).isNull();
        assertThat(dict.expire("a", 10)).isEqualTo(NOT_FOUND);
        assertThat(dict.expire("a", -1)).isEqualTo(StoreResult.error("bad exptime"));
    }

    @Test
    void setWithoutExptimeClearsAPreviousOne() {
        dict.set("a", "x", 1, 0);
        dict.set("a", "y", 0, 0);
        clock.advanceSeconds(2);
        assertThat(dict.get("a").value()).isEqualTo("y");
    }

    @Test
    void listsExpireToo() {
        dict.rpush("l", "a");
        dict.expire("l", 1);
        assertThat(dict.ttl("l").ttl()).isEqualTo(1.0);
        clock.advanceSeconds(1);
        assertThat(dict.llen("l")).isEqualTo(new ListResult(0L, null));
        assertThat(dict.lpop("l")).isEqualTo(new PopResult(null, null));
        // pushing onto the expired list starts a fresh one without expiry
        assertThat(dict.rpush("l", "b")).isEqualTo(new ListResult(1L, null));
        assertThat(dict.ttl("l").ttl()).isZero();
        assertThat(dict.lpop("l").value()).isEqualTo("b");
    }

    // ---- flush ----

    @Test
    void flushAllMarksEverythingExpired() {
        dict.set("a", "x", 0, 1);
        dict.set("b", 2.0, 100, 0);
        dict.rpush("l", "e");
        long used = dict.usedBytes();

        dict.flushAll();

        assertThat(dict.get("a")).isNull();
        assertThat(dict.get("b")).isNull();
        assertThat(dict.llen("l").length()).isZero();
        assertThat(dict.getKeys(0)).isEmpty();
        assertThat(dict.getStale("a")).isEqualTo(new Entry("x", 1, true));
        assertThat(dict.getStale("b")).isEqualTo(new Entry(2.0, 0, true));
        assertThat(dict.ttl("a").err()).isEqualTo("not found");
        assertThat(dict.add("a", "new", 0, 0)).isEqualTo(StoreResult.OK);
        assertThat(dict.incr("b", 1, null, 0).err()).isEqualTo("not found");
        // memory is reclaimed lazily
        assertThat(dict.usedBytes()).isEqualTo(used);
    }

    @Test
    void flushExpiredFreesExpiredEntriesOnly() {
        dict.set("keep", "x", 0, 0);
        for (int i = 0; i < 5; i++) {
            dict.set("e" + i, "x", 1, 0);
        }
        assertThat(dict.flushExpired(0)).isZero();
        clock.advanceSeconds(1);
        assertThat(dict.flushExpired(2)).isEqualTo(2);
        assertThat(dict.flushExpired(0)).isEqualTo(3);
        assertThat(dict.flushExpired(0)).isZero();
        assertThat(dict.getKeys(0)).containsExactly("keep");
        assertThat(dict.usedBytes()).isEqualTo(SlabModel.entryCost(4, 1));
    }

    @Test
    void flushAllThenFlushExpiredEmptiesTheDict() {
        for (int i = 0; i < 10; i++) {
            dict.set(k(i), "v", i % 2 == 0 ? 0 : 100, 0);
        }
        dict.lpush("l", "x");
        dict.flushAll();
        assertThat(dict.flushExpired(0)).isEqualTo(11);
        assertThat(dict.usedBytes()).isZero();
        assertThat(dict.freeSpace()).isEqualTo(12288);
        // the dict is fully usable afterwards, expiry included
        dict.set("a", "x", 1, 0);
        dict.set("b", "x", 0, 0);
        clock.advanceSeconds(1);
        assertThat(dict.flushExpired(0)).isEqualTo(1);
        assertThat(dict.getKeys(0)).containsExactly("b");
    }

    // ---- incr ----

    @Test
    void missingKeyWithoutInitIsNotFound() {
        assertThat(dict.incr("n", 1, null, 0)).isEqualTo(new IncrResult(null, "not found", false));
    }

    @Test
    void missingKeyWithInitStartsAtInitPlusDelta() {
        assertThat(dict.incr("n", 2, 10.0, 0)).isEqualTo(new IncrResult(12.0, null, false));
        assertThat(dict.incr("n", -0.5, 100.0, 0)).isEqualTo(new IncrResult(11.5, null, false));
        assertThat(dict.get("n")).isEqualTo(new Entry(11.5, 0, false));
        assertThat(dict.ttl("n").ttl()).isZero();
    }

    @Test
    void initTtlAppliesOnlyWhenCreating() {
        assertThat(dict.incr("n", 1, 0.0, 0.1).value()).isEqualTo(1.0);
        assertThat(dict.ttl("n").ttl()).isCloseTo(0.1, within(1e-9));
        assertThat(dict.incr("n", 1, 0.0, 50).value()).isEqualTo(2.0);
        assertThat(dict.ttl("n").ttl()).isCloseTo(0.1, within(1e-9));
        clock.advanceMillis(100);
        assertThat(dict.get("n")).isNull();
        // the expired counter starts over
        assertThat(dict.incr("n", 1, 0.0, 0).value()).isEqualTo(1.0);
        assertThat(dict.incr("x", 1, null, 0).err()).isEqualTo("not found");
    }

    @Test
    void keepsTheExistingTtlAndFlags() {
        dict.set("n", 5.0, 10, 4);
        clock.advanceSeconds(3);
        assertThat(dict.incr("n", 1, null, 0).value()).isEqualTo(6.0);
        assertThat(dict.ttl("n").ttl()).isEqualTo(7.0);
        assertThat(dict.get("n")).isEqualTo(new Entry(6.0, 4, false));
    }

    @Test
    void nonNumbersCannotBeIncremented() {
        dict.set("s", "5", 0, 0);
        dict.set("b", true, 0, 0);
        dict.rpush("l", 1.0);
        assertThat(dict.incr("s", 1, null, 0)).isEqualTo(new IncrResult(null, "not a number", false));
        assertThat(dict.incr("b", 1, 0.0, 0).err()).isEqualTo("not a number");
        assertThat(dict.incr("l", 1, 0.0, 0).err()).isEqualTo("not a number");
        assertThat(dict.get("s").value()).isEqualTo("5");
    }

    @Test
    void incrOverAnExpiredStringCreatesANumber() {
        dict.set("s", "text", 1, 3);
        clock.advanceSeconds(1);
        assertThat(dict.incr("s", 1, 0.0, 0).value()).isEqualTo(1.0);
        assertThat(dict.get("s")).isEqualTo(new Entry(1.0, 0, false));
        assertThat(dict.usedBytes()).isEqualTo(SlabModel.entryCost(1, 8));
    }

    @Test
    void rejectsBadInitTtl() {
        assertThat(dict.incr("n", 1, 0.0, -1).err()).isEqualTo("bad init_ttl");
    }

    // ---- lists ----

    @Test
    void pushesAndPopsAtBothEnds() {
        assertThat(dict.lpush("l", "b")).isEqualTo(new ListResult(1L, null));
        assertThat(dict.lpush("l", "a")).isEqualTo(new ListResult(2L, null));
        assertThat(dict.rpush("l", 3.0)).isEqualTo(new ListResult(3L, null));
        assertThat(dict.rpush("l", 4)).isEqualTo(new ListResult(4L, null));
        assertThat(dict.llen("l")).isEqualTo(new ListResult(4L, null));

        assertThat(dict.lpop("l")).isEqualTo(new PopResult("a", null));
        assertThat(dict.rpop("l")).isEqualTo(new PopResult(4.0, null));
        assertThat(dict.rpop("l")).isEqualTo(new PopResult(3.0, null));
        assertThat(dict.llen("l").length()).isEqualTo(1L);
        assertThat(dict.lpop("l")).isEqualTo(new PopResult("b", null));
    }

    @Test
    void anEmptiedListIsRemoved() {
        dict.rpush("l", "x");
        dict.lpop("l");
        assertThat(dict.getKeys(0)).isEmpty();
        assertThat(dict.usedBytes()).isZero();
        assertThat(dict.add("l", "now a string", 0, 0)).isEqualTo(StoreResult.OK);
    }

    @Test
    void missingListsAreEmpty() {
        assertThat(dict.llen("none")).isEqualTo(new ListResult(0L, null));
        assertThat(dict.lpop("none")).isEqualTo(new PopResult(null, null));
        assertThat(dict.rpop("none")).isEqualTo(new PopResult(null, null));
    }

    @Test
    void nonListValuesAreRefused() {
        dict.set("s", "x", 0, 0);
        ListResult notAList = new ListResult(null, "value not a list");
        assertThat(dict.lpush("s", "y")).isEqualTo(notAList);
        assertThat(dict.rpush("s", "y")).isEqualTo(notAList);
        assertThat(dict.llen("s")).isEqualTo(notAList);
        assertThat(dict.lpop("s")).isEqualTo(new PopResult(null, "value not a list"));
        assertThat(dict.rpop("s")).isEqualTo(new PopResult(null, "value not a list"));
        assertThat(dict.get("s").value()).isEqualTo("x");
    }

    @Test
    void onlyStringsAndNumbersGoInLists() {
        ListResult bad = new ListResult(null, "bad value type");
        assertThat(dict.lpush("l", true)).isEqualTo(bad);
        assertThat(dict.rpush("l", null)).isEqualTo(bad);
        assertThat(dict.rpush("l", new Object())).isEqualTo(bad);
        assertThat(dict.llen("l").length()).isZero();
        assertThat(dict.rpush("l", 7L)).isEqualTo(new ListResult(1L, null));
        assertThat(dict.lpop("l").value()).isEqualTo(7.0);
    }

    @Test
    void pushingOntoAnExpiredScalarStartsAList() {
        dict.set("s", "x", 1, 0);
        clock.advanceSeconds(1);
        assertThat(dict.lpush("s", "y")).isEqualTo(new ListResult(1L, null));
        assertThat(dict.llen("s").length()).isEqualTo(1L);
    }

    @Test
    void listMemoryIsAccounted() {
        dict.rpush("list", "12345"); // head 68+4+16 -> 128, element 21+5 -> 32
        dict.rpush("list", 1.0); // element 21+8 -> 32
        assertThat(dict.usedBytes()).isEqualTo(128 + 32 + 32);
        dict.lpop("list");
        assertThat(dict.usedBytes()).isEqualTo(128 + 32);
        dict.delete("list");
        assertThat(dict.usedBytes()).isZero();
    }

    @Test
    void pushNeverEvictsValidEntries() {
        int n = fillWithSmallEntries();
        assertThat(dict.rpush("l", "x")).isEqualTo(new ListResult(null, "no memory"));
        assertThat(dict.evictions()).isZero();
        assertThat(dict.getKeys(0)).hasSize(n);
    }

    @Test
    void pushFreesExpiredEntries() {
        int n = fillWithSmallEntries();
        dict.expire(k(5), 1);
        dict.expire(k(6), 1);
        clock.advanceSeconds(1);
        assertThat(dict.rpush("l", "x")).isEqualTo(new ListResult(1L, null)); // 128 + 32 bytes
        assertThat(dict.getStale(k(5))).isNull();
        assertThat(dict.getStale(k(6))).isNull();
        assertThat(dict.evictions()).isZero();
        assertThat(dict.getKeys(0)).hasSize(n - 1);
    }

    // ---- get keys ----

    @Test
    void returnsLiveKeysUpToMax() {
        for (int i = 0; i < 10; i++) {
            dict.set(k(i), "v", i < 3 ? 1 : 0, 0);
        }
        clock.advanceSeconds(1);
        assertThat(dict.getKeys(0)).hasSize(7).doesNotContain(k(0), k(1), k(2));
        assertThat(dict.getKeys(4)).hasSize(4);
        assertThat(dict.getKeys(100)).hasSize(7);
    }

    @Test
    void mostRecentlyUsedFirst() {
        dict.set("a", "v", 0, 0);
        dict.set("b", "v", 0, 0);
        dict.set("c", "v", 0, 0);
        dict.get("a");
        assertThat(dict.getKeys(0)).containsExactly("a", "c", "b");
    }

    // ---- memory bound ----

    @Test
    void setEvictsTheLeastRecentlyUsedEntry() {
        int n = fillWithSmallEntries();
        assertThat(dict.freeSpace()).isZero();
        dict.get(k(0)); // k00 is now the most recently used; k01 the least

        assertThat(dict.set("new", "v", 0, 0)).isEqualTo(StoreResult.OK_FORCIBLE);
        assertThat(dict.get(k(1))).isNull();
        assertThat(dict.get(k(0))).isNotNull();
        assertThat(dict.get("new")).isNotNull();
        assertThat(dict.evictions()).isEqualTo(1);
        assertThat(dict.getKeys(0)).hasSize(n);

        // next victims follow insertion order since nothing else was touched
        dict.set("new2", "v", 0, 0);
        assertThat(dict.get(k(2))).isNull();
        assertThat(dict.evictions()).isEqualTo(2);
    }

    @Test
    void setTouchesTheEntry() {
        fillWithSmallEntries();
        dict.set(k(0), "w", 0, 0);
        dict.set("new", "v", 0, 0);
        assertThat(dict.get(k(0))).isNotNull();
        assertThat(dict.get(k(1))).isNull();
    }

    @Test
    void expiredEntriesGoBeforeValidOnes() {
        fillWithSmallEntries();
        dict.expire(k(50), 1); // recently set, but expired: it goes first
        clock.advanceSeconds(1);

        assertThat(dict.set("new", "v", 0, 0)).isEqualTo(StoreResult.OK);
        assertThat(dict.getStale(k(50))).isNull();
        assertThat(dict.get(k(0))).isNotNull();
        assertThat(dict.evictions()).isZero();
    }

    @Test
    void aLargeValueEvictsAsManyEntriesAsNeeded() {
        int n = fillWithSmallEntries();
        String value = "x".repeat(1000); // 68 + 3 + 1000 -> 2048 = 16 small entries
        assertThat(dict.set("big", value, 0, 0)).isEqualTo(StoreResult.OK_FORCIBLE);
        assertThat(dict.evictions()).isEqualTo(16);
        assertThat(dict.get(k(15))).isNull();
        assertThat(dict.get(k(16))).isNotNull();
        assertThat(dict.getKeys(0)).hasSize(n - 16 + 1);
        assertThat(dict.usedBytes()).isEqualTo(dict.usableBytes());
    }

    @Test
    void growingAnEntryNeverEvictsItself() {
        fillWithSmallEntries();
        // k00 is the LRU entry; it grows from 128 to 256 bytes, evicting k01 instead
        assertThat(dict.set(k(0), "x".repeat(100), 0, 0)).isEqualTo(StoreResult.OK_FORCIBLE);
        assertThat(dict.get(k(0)).value()).isEqualTo("x".repeat(100));
        assertThat(dict.get(k(1))).isNull();
        assertThat(dict.evictions()).isEqualTo(1);
    }

    @Test
    void safeOperationsNeverEvictValidEntries() {
        int n = fillWithSmallEntries();
        assertThat(dict.safeSet("new", "v", 0, 0)).isEqualTo(NO_MEMORY);
        assertThat(dict.safeAdd("new", "v", 0, 0)).isEqualTo(NO_MEMORY);
        // growing an existing entry needs room too
        assertThat(dict.safeSet(k(3), "x".repeat(100), 0, 0)).isEqualTo(NO_MEMORY);
        assertThat(dict.get(k(3)).value()).isEqualTo("v");
        // same-size rewrites need none
        assertThat(dict.safeSet(k(3), "w", 0, 0)).isEqualTo(StoreResult.OK);
        assertThat(dict.evictions()).isZero();
        assertThat(dict.getKeys(0)).hasSize(n);
    }

    @Test
    void safeOperationsStillFreeExpiredEntries() {
        fillWithSmallEntries();
        dict.expire(k(9), 0.5);
        clock.advanceSeconds(1);
        assertThat(dict.safeAdd("new", "v", 0, 0)).isEqualTo(StoreResult.OK);
        assertThat(dict.getStale(k(9))).isNull();
        assertThat(dict.evictions()).isZero();
    }

    @Test
    void aValueLargerThanTheDictIsRefusedWithoutEvicting() {
        int n = fillWithSmallEntries();
        String huge = "x".repeat(20_000);
        assertThat(dict.set("huge", huge, 0, 0)).isEqualTo(NO_MEMORY);
        assertThat(dict.add("huge", huge, 0, 0)).isEqualTo(NO_MEMORY);
        assertThat(dict.replace(k(1), huge, 0, 0)).isEqualTo(NO_MEMORY);
        assertThat(dict.rpush("huge", huge)).isEqualTo(new ListResult(null, "no memory"));
        assertThat(dict.get(k(1)).value()).isEqualTo("v");
        assertThat(dict.evictions()).isZero();
        assertThat(dict.getKeys(0)).hasSize(n);
    }

    @Test
    void aValueFillingTheWholeDictFits() {
        fillWithSmallEntries();
        // 68 + 3 + 12000 -> 3 pages = 12288 = everything
        assertThat(dict.set("all", "x".repeat(12000), 0, 0)).isEqualTo(StoreResult.OK_FORCIBLE);
        assertThat(dict.getKeys(0)).containsExactly("all");
        assertThat(dict.evictions()).isEqualTo(96);
    }

    @Test
    void incrCreationEvictsAndReportsForcible() {
        fillWithSmallEntries();
        assertThat(dict.incr("counter", 1, 0.0, 0)).isEqualTo(new IncrResult(1.0, null, true));
        assertThat(dict.evictions()).isEqualTo(1);
    }

    @Test
    void freeSpaceCountsWholePages() {
        assertThat(dict.freeSpace()).isEqualTo(12288);
        dict.set("a", "v", 0, 0);
        assertThat(dict.freeSpace()).isEqualTo(8192);
        dict.delete("a");
        assertThat(dict.freeSpace()).isEqualTo(12288);
    }

    @Test
    void floodOfDistinctKeysStaysWithinTheBound() {
        MemorySharedDict mb = new MemorySharedDict("flood", Sizes.parseSize("1m"), clock);
        int forcible = 0;
        List<Long> evictionSamples = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            StoreResult r = mb.set("key-" + i, "value-" + i, i % 3 == 0 ? 60 : 0, i);
            assertThat(r.ok()).isTrue();
            if (r.forcible()) {
                forcible++;
            }
            assertThat(mb.usedBytes()).isLessThanOrEqualTo(mb.usableBytes());
            if (i % 50_000 == 49_999) {
                evictionSamples.add(mb.evictions());
            }
        }
        int live = mb.getKeys(0).size();
        assertThat(evictionSamples).isSorted().doesNotHaveDuplicates();
        assertThat(mb.evictions()).isEqualTo(200_000 - live).isEqualTo(forcible);
        // 68 + ~11 + ~12 bytes -> 128 per entry
        assertThat(live).isEqualTo((int) (mb.usableBytes() / 128));
        assertThat(mb.get("key-199999")).isEqualTo(new Entry("value-199999", 199_999, false));
        assertThat(mb.get("key-0")).isNull();
    }
}
