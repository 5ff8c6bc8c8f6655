package dev.resty4j.js.api;

import dev.resty4j.SharedDict;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.js.JsValues;
import dev.resty4j.js.JsWorkerVm;
import java.util.List;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * One shared dict in JS, over the engine-neutral {@link SharedDict}. Results follow the JS rule: the value
 * on success; {@code null} where OpenResty's nil is a normal answer (a missing key); {@code false} where
 * {@code false, "exists"/"not found"} is (add, replace, expire); an Error with OpenResty's message for
 * the other failures ({@code "no memory"}, {@code "not a number"}, key errors).
 */
public final class JsSharedDict {

    private final JsWorkerVm vm;
    private final SharedDict dict;

    JsSharedDict(JsWorkerVm vm, SharedDict dict) {
        this.vm = vm;
        this.dict = dict;
    }

    private static String key(Value k) {
        String key = JsValues.scalar(k);
        if (key == null) {
            throw new NgxApiException("nil key");
        }
        if (key.isEmpty()) {
            throw new NgxApiException("empty key");
        }
        if (key.length() > 65535) {
            throw new NgxApiException("key too long");
        }
        return key;
    }

    private static Object value(Value v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isString()) {
            return JsValues.toBytes(v.asString());
        }
        return new Object(); // the dict answers "bad value type"
    }

    private static Object toJs(Object v) {
        if (v instanceof String s) {
            return JsValues.fromBytes(s);
        }
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return d.longValue() == (int) d.longValue() ? (Object) (int) d.longValue() : (Object) d;
        }
        return v;
    }

    private static double num(Value v, double dflt) {
        return v == null || v.isNull() ? dflt : v.asDouble();
    }

    private static int flags(Value v) {
        return v == null || v.isNull() ? 0 : v.asInt();
    }

    private static double exptime(Value v) {
        double e = num(v, 0);
        if (e < 0) {
            throw new NgxApiException("bad \"exptime\" argument");
        }
        return e;
    }

    private static boolean store(SharedDict.StoreResult r, String softError) {
        if (r.ok()) {
            return true;
        }
        if (softError != null && softError.equals(r.err())) {
            return false;
        }
        throw new NgxApiException(r.err());
    }

    @HostAccess.Export
    public Object get(Value... args) {
        Value k = Args.at(args, 0);
        SharedDict.Entry e = dict.get(key(k));
        return e == null ? null : toJs(e.value());
    }

    /** {@code [value, flags, stale]}, or null. */
    @HostAccess.Export
    public Object get_stale(Value... args) {
        Value k = Args.at(args, 0);
        SharedDict.Entry e = dict.getStale(key(k));
        if (e == null) {
            return null;
        }
        Value arr = vm.newArray();
        arr.setArrayElement(0, toJs(e.value()));
        arr.setArrayElement(1, e.flags());
        arr.setArrayElement(2, e.stale());
        return arr;
    }

    /** The flags stored with a key (0 when none or missing). */
    @HostAccess.Export
    public int get_flags(Value... args) {
        Value k = Args.at(args, 0);
        SharedDict.Entry e = dict.get(key(k));
        return e == null ? 0 : e.flags();
    }

    @HostAccess.Export
    public boolean set(Value... args) {
        Value k = Args.at(args, 0);
        Value v = Args.at(args, 1);
        Value exptime = Args.at(args, 2);
        Value flags = Args.at(args, 3);
        return store(dict.set(key(k), value(v), exptime(exptime), flags(flags)), null);
    }

    @HostAccess.Export
    public boolean safe_set(Value... args) {
        Value k = Args.at(args, 0);
        Value v = Args.at(args, 1);
        Value exptime = Args.at(args, 2);
        Value flags = Args.at(args, 3);
        return store(dict.safeSet(key(k), value(v), exptime(exptime), flags(flags)), null);
    }

    @HostAccess.Export
    public boolean add(Value... args) {
        Value k = Args.at(args, 0);
        Value v = Args.at(args, 1);
        Value exptime = Args.at(args, 2);
        Value flags = Args.at(args, 3);
        nonNil(v);
        return store(dict.add(key(k), value(v), exptime(exptime), flags(flags)), "exists");
    }

    @HostAccess.Export
    public boolean safe_add(Value... args) {
        Value k = Args.at(args, 0);
        Value v = Args.at(args, 1);
        Value exptime = Args.at(args, 2);
        Value flags = Args.at(args, 3);
        nonNil(v);
        return store(dict.safeAdd(key(k), value(v), exptime(exptime), flags(flags)), "exists");
    }

    @HostAccess.Export
    public boolean replace(Value... args) {
        Value k = Args.at(args, 0);
        Value v = Args.at(args, 1);
        Value exptime = Args.at(args, 2);
        Value flags = Args.at(args, 3);
        nonNil(v);
        return store(dict.replace(key(k), value(v), exptime(exptime), flags(flags)), "not found");
    }

    private static void nonNil(Value v) {
        if (v == null || v.isNull()) {
            throw new NgxApiException("attempt to add or replace nil values");
        }
    }

    @HostAccess.Export
    public boolean delete(Value... args) {
        Value k = Args.at(args, 0);
        return store(dict.delete(key(k)), null);
    }

    /** The new value; null for a missing key without {@code init}. */
    @HostAccess.Export
    public Object incr(Value... args) {
        Value k = Args.at(args, 0);
        Value delta = Args.at(args, 1);
        Value init = Args.at(args, 2);
        Value initTtl = Args.at(args, 3);
        if (delta == null || !delta.isNumber()) {
            throw new NgxApiException("bad value type");
        }
        Double i = init == null || init.isNull() ? null : init.asDouble();
        SharedDict.IncrResult r = dict.incr(key(k), delta.asDouble(), i, num(initTtl, 0));
        if (r.err() != null) {
            if (r.err().equals("not found")) {
                return null;
            }
            throw new NgxApiException(r.err());
        }
        return toJs(r.value());
    }

    @HostAccess.Export
    public Object lpush(Value... args) {
        Value k = Args.at(args, 0);
        Value v = Args.at(args, 1);
        return list(dict.lpush(key(k), value(v)));
    }

    @HostAccess.Export
    public Object rpush(Value... args) {
        Value k = Args.at(args, 0);
        Value v = Args.at(args, 1);
        return list(dict.rpush(key(k), value(v)));
    }

    @HostAccess.Export
    public Object lpop(Value... args) {
        Value k = Args.at(args, 0);
        return pop(dict.lpop(key(k)));
    }

    @HostAccess.Export
    public Object rpop(Value... args) {
        Value k = Args.at(args, 0);
        return pop(dict.rpop(key(k)));
    }

    @HostAccess.Export
    public Object llen(Value... args) {
        Value k = Args.at(args, 0);
        return list(dict.llen(key(k)));
    }

    private static Object list(SharedDict.ListResult r) {
        if (r.err() != null) {
            throw new NgxApiException(r.err());
        }
        return r.length();
    }

    private static Object pop(SharedDict.PopResult r) {
        if (r.err() != null) {
            throw new NgxApiException(r.err());
        }
        return toJs(r.value());
    }

    /** Seconds left (0 = never expires); null for a missing key. */
    @HostAccess.Export
    public Object ttl(Value... args) {
        Value k = Args.at(args, 0);
        SharedDict.TtlResult r = dict.ttl(key(k));
        if (r.err() != null) {
            if (r.err().equals("not found")) {
                return null;
            }
            throw new NgxApiException(r.err());
        }
        return r.ttl();
    }

    @HostAccess.Export
    public boolean expire(Value... args) {
        Value k = Args.at(args, 0);
        Value exptime = Args.at(args, 1);
        return store(dict.expire(key(k), exptime(exptime)), "not found");
    }

    @HostAccess.Export
    public void flush_all() {
        dict.flushAll();
    }

    @HostAccess.Export
    public int flush_expired(Value... args) {
        Value max = Args.at(args, 0);
        return dict.flushExpired(max == null || max.isNull() ? 0 : max.asInt());
    }

    @HostAccess.Export
    public Value get_keys(Value... args) {
        Value max = Args.at(args, 0);
        List<String> keys = dict.getKeys(max == null || max.isNull() ? 1024 : max.asInt());
        Value arr = vm.newArray();
        for (int i = 0; i < keys.size(); i++) {
            arr.setArrayElement(i, JsValues.fromBytes(keys.get(i)));
        }
        return arr;
    }

    @HostAccess.Export
    public double capacity() {
        return dict.capacity();
    }

    @HostAccess.Export
    public double free_space() {
        return dict.freeSpace();
    }
}
