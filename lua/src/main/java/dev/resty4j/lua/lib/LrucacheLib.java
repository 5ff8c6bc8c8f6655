package dev.resty4j.lua.lib;

import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.resty.LruCache;
import dev.resty4j.lua.LuaWorkerVm;
import java.util.List;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code resty.lrucache} and {@code resty.lrucache.pureffi} (same API, same behaviour here): per-worker LRU caches
 * of Lua values on the core {@link LruCache}, with {@code ngx.now()}'s clock.
 */
final class LrucacheLib {

    private static final String VERSION = "0.15";

    private LrucacheLib() {
    }

    @SuppressWarnings("unchecked")
    private static LruCache<LuaValue, LuaValue> cache(Varargs a) {
        return ObjectTable.self(a, LruCache.class);
    }

    static LuaTable module(LuaWorkerVm vm) {
        LuaTable methods = new LuaTable();
        LuaTable mt = ObjectTable.metatable(methods);
        methods.set("get", new NgxFunction("get", a -> {
            LruCache.Lookup<LuaValue> r = cache(a).get(a.arg(2));
            if (r == null) {
                return LuaValue.NIL;
            }
            return LuaValue.varargsOf(new LuaValue[] {orNil(r.value()), orNil(r.staleValue()), LuaValue.valueOf((double) r.flags())});
        }));
        methods.set("set", new NgxFunction("set", a -> {
            LuaValue key = a.arg(2);
            if (key.isnil()) {
                throw new NgxApiException("table index is nil");
            }
            LuaValue ttl = a.arg(4);
            LuaValue flags = a.arg(5);
            Double seconds = null;
            if (ttl.toboolean()) {
                if (!ttl.isnumber()) {
                    throw new NgxApiException("attempt to perform arithmetic on local 'ttl' (a "
                            + ttl.typename() + " value)");
                }
                seconds = ttl.todouble();
            }
            long f = flags.type() == LuaValue.TNUMBER && flags.todouble() >= 0 ? (long) flags.todouble() : 0;
            LuaValue value = a.arg(3);
            cache(a).set(key, value.isnil() ? null : value, seconds, f);
            return LuaValue.NONE;
        }));
        methods.set("delete", new NgxFunction("delete", a -> LuaValue.valueOf(cache(a).delete(a.arg(2)))));
        methods.set("count", new NgxFunction("count", a -> LuaValue.valueOf(cache(a).count())));
        methods.set("capacity", new NgxFunction("capacity", a -> LuaValue.valueOf(cache(a).capacity())));
        methods.set("flush_all", new NgxFunction("flush_all", a -> {
            cache(a).flushAll();
            return LuaValue.NONE;
        }));
        methods.set("get_keys", new NgxFunction("get_keys", a -> {
            LuaValue max = a.arg(2);
            List<LuaValue> keys = cache(a).keys(max.isnumber() ? (int) max.todouble() : 0);
            LuaTable res = a.arg(3).istable() ? a.arg(3).checktable() : new LuaTable(keys.size() + 1, 0);
            for (int i = 0; i < keys.size(); i++) {
                res.set(i + 1, keys.get(i));
            }
            res.set(keys.size() + 1, LuaValue.NIL);
            return res;
        }));

        LuaTable m = new LuaTable();
        m.set("_VERSION", VERSION);
        m.set("new", new NgxFunction("new", a -> {
            LuaValue size = a.arg1();
            if (!size.isnumber()) {
                throw new NgxApiException("attempt to compare " + size.typename() + " with number");
            }
            if (size.todouble() < 1) {
                return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("size too small"));
            }
            // load_factor (argument 2) only tunes pureffi's hash table.
            LruCache<LuaValue, LuaValue> c = new LruCache<>((int) Math.min(size.todouble(), Integer.MAX_VALUE),
                    () -> vm.worker().resty().currentTimeMillis() / 1000.0);
            return new ObjectTable<>(c, mt);
        }));
        return m;
    }

    private static LuaValue orNil(LuaValue v) {
        return v == null ? LuaValue.NIL : v;
    }
}
