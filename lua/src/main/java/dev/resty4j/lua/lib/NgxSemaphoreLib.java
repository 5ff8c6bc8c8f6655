package dev.resty4j.lua.lib;

import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.api.NgxSemaphore;
import dev.resty4j.lua.LuaWorkerVm;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * lua-resty-core's {@code ngx.semaphore} module ({@code require "ngx.semaphore"}), registered in
 * {@code package.preload}: {@code new(n)}, {@code sem:wait(timeout)}, {@code sem:post(n)},
 * {@code sem:count()}, with that module's argument checks and results. The semaphore is the core's
 * {@link NgxSemaphore}; an instance is a table whose {@code sem} field holds it, as in lua-resty-core.
 */
public final class NgxSemaphoreLib {

    private NgxSemaphoreLib() {
    }

    public static void install(LuaWorkerVm vm, Globals g) {
        LuaTable m = new LuaTable();
        LuaTable mt = new LuaTable();
        mt.set("__index", m);
        m.set("new", new NgxFunction("new", a -> {
            LuaValue n = a.arg1().tonumber();
            double count = n.isnil() ? 0 : n.todouble();
            if (count < 0) {
                throw new NgxApiException("no negative number");
            }
            LuaTable self = new LuaTable();
            self.set("sem", new LuaUserdata(NgxSemaphore.create(vm.worker(), (int) count)));
            self.setmetatable(mt);
            return self;
        }));
        m.set("wait", new NgxFunction("wait", a -> {
            NgxSemaphore sem = semaphore(a);
            LuaValue t = a.arg(2).tonumber();
            String err = sem.waitFor(vm.request(), t.isnil() ? 0 : t.todouble());
            return err == null ? LuaValue.TRUE : LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(err));
        }));
        m.set("post", new NgxFunction("post", a -> {
            NgxSemaphore sem = semaphore(a);
            LuaValue n = a.arg(2);
            double count = n.isnil() ? 1 : n.tonumber().optdouble(1);
            if (count < 1) {
                throw new NgxApiException("no negative number");
            }
            sem.post((int) count);
            return LuaValue.TRUE;
        }));
        m.set("count", new NgxFunction("count", a -> LuaValue.valueOf(semaphore(a).count())));
        LuaTable preload = g.get("package").get("preload").checktable();
        preload.set("ngx.semaphore", new NgxFunction("ngx.semaphore", a -> m));
    }

    private static NgxSemaphore semaphore(Varargs a) {
        LuaValue self = a.arg1();
        if (self.istable() && self.get("sem") instanceof LuaUserdata u && u.m_instance instanceof NgxSemaphore s) {
            return s;
        }
        throw new NgxApiException("not a semaphore instance");
    }
}
