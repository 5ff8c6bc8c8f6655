package dev.resty4j.lua.lib;

import dev.resty4j.core.api.RequestHeaders;
import dev.resty4j.core.api.ResponseHeaders;
import dev.resty4j.lua.LuaValues;
import dev.resty4j.lua.LuaWorkerVm;
import java.util.List;
import java.util.Locale;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/** {@code ngx.header.NAME} and {@code ngx.resp.get_headers}. */
public final class NgxHeaderLib {

    private NgxHeaderLib() {
    }

    public static void install(LuaWorkerVm vm, LuaTable ngx) {
        LuaTable header = new LuaTable();
        LuaTable mt = new LuaTable();
        mt.set("__index", new NgxFunction("header.__index", a -> {
            Object v = ResponseHeaders.get(vm.request(), LuaValues.str(a.arg(2)));
            if (v == null) {
                return LuaValue.NIL;
            }
            if (v instanceof List<?> l) {
                LuaTable t = new LuaTable();
                for (int i = 0; i < l.size(); i++) {
                    t.set(i + 1, LuaValues.lstr((String) l.get(i)));
                }
                return t;
            }
            return LuaValues.lstr((String) v);
        }));
        mt.set("__newindex", new NgxFunction("header.__newindex", a -> {
            LuaValue v = a.arg(3);
            Object value = v.isnil() ? null : v.istable() ? LuaValues.stringList(v) : LuaValues.scalar(v);
            ResponseHeaders.set(vm.request(), LuaValues.str(a.arg(2)), value);
            return LuaValue.NONE;
        }));
        header.setmetatable(mt);
        ngx.set("header", header);

        LuaTable resp = new LuaTable();
        resp.set("get_headers", new NgxFunction("get_headers", a -> {
            int max = a.isnil(1) ? RequestHeaders.DEFAULT_MAX : a.checkint(1);
            boolean raw = a.optboolean(2, false);
            return headerTable(ResponseHeaders.list(vm.request(), max, raw), raw);
        }));
        ngx.set("resp", resp);
    }

    /** Metatable of non-raw header tables: any case and underscores find the lower-case, dashed key. */
    private static final LuaTable NORMALIZING = new LuaTable();

    static {
        NORMALIZING.set("__index", new NgxFunction("headers.__index", a -> {
            LuaValue key = a.arg(2);
            if (!key.isstring()) {
                return LuaValue.NIL;
            }
            String n = LuaValues.str(key).replace('_', '-').toLowerCase(Locale.ROOT);
            return a.arg1().checktable().rawget(LuaValues.lstr(n));
        }));
    }

    /**
     * Builds the table {@code get_headers} returns: repeated names become arrays; unless raw, lookups with
     * any case or underscores find the entry (OpenResty's {@code __index} normalisation).
     */
    static org.luaj.vm2.Varargs headerTable(RequestHeaders.Listing l, boolean raw) {
        LuaTable t = new LuaTable();
        for (int i = 0; i < l.keys().size(); i++) {
            LuaValue k = LuaValues.lstr(l.keys().get(i));
            LuaValue v = LuaValues.lstr(l.values().get(i));
            LuaValue old = t.rawget(k);
            if (old.isnil()) {
                t.rawset(k, v);
            } else if (old.istable()) {
                old.checktable().insert(0, v);
            } else {
                LuaTable arr = new LuaTable();
                arr.insert(0, old);
                arr.insert(0, v);
                t.rawset(k, arr);
            }
        }
        if (!raw) {
            t.setmetatable(NORMALIZING);
        }
        return l.truncated() ? LuaValue.varargsOf(t, LuaValue.valueOf("truncated")) : t;
    }
}
