package dev.resty4j.lua.lib;

import dev.resty4j.SharedDict;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.api.Sleep;
import dev.resty4j.core.resty.ShdictLock;
import dev.resty4j.lua.LuaValues;
import dev.resty4j.lua.LuaWorkerVm;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code resty.lock}: {@code lock = resty_lock:new(dict_name, opts)}, {@code elapsed, err = lock:lock(key)},
 * {@code ok, err = lock:unlock()}, {@code ok, err = lock:expire(timeout)}, on the core {@link ShdictLock}. Waiting
 * is {@code ngx.sleep}: the request's fiber is suspended on a timer and the worker keeps serving.
 */
final class RestyLockLib {

    private static final String VERSION = "0.09";

    private RestyLockLib() {
    }

    static LuaTable module(LuaWorkerVm vm) {
        LuaTable methods = new LuaTable();
        LuaTable mt = ObjectTable.metatable(methods);
        methods.set("lock", new NgxFunction("lock", a -> {
            ShdictLock lock = ObjectTable.self(a, ShdictLock.class);
            LuaValue key = a.arg(2);
            ShdictLock.Result r = lock.lock(key.toboolean() ? LuaValues.scalar(key) : null,
                    seconds -> Sleep.sleep(vm.worker(), vm.request(), seconds));
            if (r.err() == null) {
                a.arg1().rawset("key", key);
            }
            return result(r);
        }));
        methods.set("unlock", new NgxFunction("unlock", a -> result(ObjectTable.self(a, ShdictLock.class).unlock())));
        methods.set("expire", new NgxFunction("expire", a -> {
            LuaValue t = a.arg(2);
            return result(ObjectTable.self(a, ShdictLock.class).expire(t.isnil() ? null : t.checkdouble()));
        }));

        LuaTable m = new LuaTable();
        m.set("_VERSION", VERSION);
        m.set("new", new NgxFunction("new", a -> {
            LuaValue name = a.arg(2);
            SharedDict dict = name.isstring() ? vm.worker().resty().sharedDict(LuaValues.str(name)) : null;
            if (dict == null) {
                return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("dictionary not found"));
            }
            LuaValue opts = a.arg(3);
            ShdictLock.Options o = ShdictLock.Options.of(opt(opts, "exptime"), opt(opts, "timeout"), opt(opts, "step"),
                    opt(opts, "ratio"), opt(opts, "max_step"));
            ObjectTable<ShdictLock> self = new ObjectTable<>(new ShdictLock(dict, o), mt);
            // The fields the original keeps on the object.
            self.rawset("dict", vm.ngx().get("shared").get(name));
            self.rawset("exptime", LuaValue.valueOf(o.exptime()));
            self.rawset("timeout", LuaValue.valueOf(o.timeout()));
            self.rawset("step", LuaValue.valueOf(o.step()));
            self.rawset("ratio", LuaValue.valueOf(o.ratio()));
            self.rawset("max_step", LuaValue.valueOf(o.maxStep()));
            return self;
        }));
        return m;
    }

    private static Double opt(LuaValue opts, String field) {
        if (opts.isnil()) {
            return null;
        }
        LuaValue v = opts.get(field);
        if (v.isnil()) {
            return null;
        }
        if (!v.isnumber()) {
            throw new NgxApiException("bad option '" + field + "' (number expected, got " + v.typename() + ")");
        }
        return v.todouble();
    }

    private static Varargs result(ShdictLock.Result r) {
        if (r.err() != null) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(r.err()));
        }
        Object v = r.value();
        return v instanceof Boolean b ? LuaValue.valueOf(b) : LuaValue.valueOf((Double) v);
    }
}
