package dev.resty4j.lua.lib;

import dev.resty4j.SharedDict;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.lua.LuaValues;
import dev.resty4j.lua.LuaWorkerVm;
import java.util.List;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code ngx.shared.DICT}: each declared dict as a Lua object whose methods call the engine-neutral
 * {@link SharedDict}. Return values follow OpenResty: {@code ok, err, forcible} for stores,
 * {@code value, flags} for get, {@code value, flags, stale} for get_stale.
 */
public final class NgxSharedLib {

    private NgxSharedLib() {
    }

    public static void install(LuaWorkerVm vm, LuaTable ngx) {
        LuaTable methods = methods();
        LuaTable shared = new LuaTable();
        for (SharedDict d : vm.worker().resty().sharedDicts().values()) {
            LuaTable mt = new LuaTable();
            mt.set("__index", methods);
            shared.set(d.name(), new LuaUserdata(d, mt));
        }
        ngx.set("shared", shared);
    }

    private static SharedDict dict(Varargs a) {
        LuaValue self = a.arg1();
        if (self instanceof LuaUserdata u && u.m_instance instanceof SharedDict d) {
            return d;
        }
        throw new NgxApiException("bad \"zone\" argument");
    }

    private static String key(Varargs a) {
        LuaValue k = a.arg(2);
        if (k.isnil()) {
            return null;
        }
        return LuaValues.scalar(k);
    }

    private static Object value(LuaValue v) {
        return switch (v.type()) {
            case LuaValue.TNIL -> null;
            case LuaValue.TBOOLEAN -> v.toboolean();
            case LuaValue.TNUMBER -> v.todouble();
            case LuaValue.TSTRING -> LuaValues.str(v);
            default -> new Object(); // the dict answers "bad value type"
        };
    }

    static LuaValue toLua(Object v) {
        if (v == null) {
            return LuaValue.NIL;
        }
        if (v instanceof Double d) {
            return LuaValue.valueOf(d);
        }
        if (v instanceof Boolean b) {
            return LuaValue.valueOf(b);
        }
        return LuaValues.lstr((String) v);
    }

    private static Varargs store(SharedDict.StoreResult r) {
        return LuaValue.varargsOf(LuaValue.valueOf(r.ok()), r.err() == null ? LuaValue.NIL : LuaValue.valueOf(r.err()),
                LuaValue.valueOf(r.forcible()));
    }

    private static Varargs entry(SharedDict.Entry e, boolean stale) {
        if (e == null) {
            return LuaValue.NIL;
        }
        LuaValue flags = e.flags() == 0 ? LuaValue.NIL : LuaValue.valueOf(e.flags());
        if (stale) {
            return LuaValue.varargsOf(toLua(e.value()), flags, LuaValue.valueOf(e.stale()));
        }
        return e.flags() == 0 ? toLua(e.value()) : LuaValue.varargsOf(toLua(e.value()), flags);
    }

    /** OpenResty's key errors, returned (not raised) by every method: nil, "" and over-long keys. */
    private static String keyError(String k) {
        if (k == null) {
            return "nil key";
        }
        if (k.isEmpty()) {
            return "empty key";
        }
        return k.length() > 65535 ? "key too long" : null;
    }

    private static double exptime(Varargs a, int i) {
        double e = a.optdouble(i, 0);
        if (e < 0) {
            throw new NgxApiException("bad \"exptime\" argument");
        }
        return e;
    }

    private static Varargs error(String err) {
        return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(err));
    }

    /** add/replace refuse nil values with OpenResty's message (set with nil deletes). */
    private static Varargs nilValue(Varargs a) {
        return a.arg(3).isnil()
                ? LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("attempt to add or replace nil values"), LuaValue.FALSE)
                : null;
    }

    private static LuaTable methods() {
        LuaTable m = new LuaTable();
        m.set("get", new NgxFunction("get", a -> {
            String k = key(a);
            String err = keyError(k);
            return err != null ? error(err) : entry(dict(a).get(k), false);
        }));
        m.set("get_stale", new NgxFunction("get_stale", a -> {
            String k = key(a);
            String err = keyError(k);
            return err != null ? error(err) : entry(dict(a).getStale(k), true);
        }));
        m.set("set", new NgxFunction("set", a -> store(dict(a).set(key(a), value(a.arg(3)), exptime(a, 4), a.optint(5, 0)))));
        m.set("safe_set", new NgxFunction("safe_set", a -> store(dict(a).safeSet(key(a), value(a.arg(3)), exptime(a, 4), a.optint(5, 0)))));
        m.set("add", new NgxFunction("add", a -> {
            Varargs nil = nilValue(a);
            return nil != null ? nil : store(dict(a).add(key(a), value(a.arg(3)), exptime(a, 4), a.optint(5, 0)));
        }));
        m.set("safe_add", new NgxFunction("safe_add", a -> {
            Varargs nil = nilValue(a);
            return nil != null ? nil : store(dict(a).safeAdd(key(a), value(a.arg(3)), exptime(a, 4), a.optint(5, 0)));
        }));
        m.set("replace", new NgxFunction("replace", a -> {
            Varargs nil = nilValue(a);
            return nil != null ? nil : store(dict(a).replace(key(a), value(a.arg(3)), exptime(a, 4), a.optint(5, 0)));
        }));
        m.set("delete", new NgxFunction("delete", a -> store(dict(a).delete(key(a)))));
        m.set("incr", new NgxFunction("incr", a -> {
            LuaValue delta = a.arg(3);
            if (!delta.isnumber()) {
                throw new NgxApiException("bad argument #3 to 'incr' (number expected, got " + delta.typename() + ")");
            }
            Double init = a.isnil(4) ? null : a.checkdouble(4);
            SharedDict.IncrResult r = dict(a).incr(key(a), delta.todouble(), init, a.optdouble(5, 0));
            if (r.err() != null) {
                return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(r.err()));
            }
            return init == null ? LuaValue.valueOf(r.value())
                    : LuaValue.varargsOf(LuaValue.valueOf(r.value()), LuaValue.NIL, LuaValue.valueOf(r.forcible()));
        }));
        m.set("lpush", new NgxFunction("lpush", a -> list(dict(a).lpush(key(a), value(a.arg(3))))));
        m.set("rpush", new NgxFunction("rpush", a -> list(dict(a).rpush(key(a), value(a.arg(3))))));
        m.set("lpop", new NgxFunction("lpop", a -> pop(dict(a).lpop(key(a)))));
        m.set("rpop", new NgxFunction("rpop", a -> pop(dict(a).rpop(key(a)))));
        m.set("llen", new NgxFunction("llen", a -> list(dict(a).llen(key(a)))));
        m.set("ttl", new NgxFunction("ttl", a -> {
            SharedDict.TtlResult r = dict(a).ttl(key(a));
            return r.err() != null ? LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(r.err())) : LuaValue.valueOf(r.ttl());
        }));
        m.set("expire", new NgxFunction("expire", a -> store(dict(a).expire(key(a), a.checkdouble(3)))));
        m.set("flush_all", new NgxFunction("flush_all", a -> {
            dict(a).flushAll();
            return LuaValue.NONE;
        }));
        m.set("flush_expired", new NgxFunction("flush_expired", a -> LuaValue.valueOf(dict(a).flushExpired(a.optint(2, 0)))));
        m.set("get_keys", new NgxFunction("get_keys", a -> {
            List<String> keys = dict(a).getKeys(a.optint(2, 1024));
            LuaTable t = new LuaTable(keys.size(), 0);
            for (int i = 0; i < keys.size(); i++) {
                t.set(i + 1, LuaValues.lstr(keys.get(i)));
            }
            return t;
        }));
        m.set("capacity", new NgxFunction("capacity", a -> LuaValue.valueOf((double) dict(a).capacity())));
        m.set("free_space", new NgxFunction("free_space", a -> LuaValue.valueOf((double) dict(a).freeSpace())));
        return m;
    }

    private static Varargs list(SharedDict.ListResult r) {
        return r.err() != null ? LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(r.err())) : LuaValue.valueOf((double) r.length());
    }

    private static Varargs pop(SharedDict.PopResult r) {
        return r.err() != null ? LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(r.err())) : toLua(r.value());
    }
}
