package dev.resty4j.lua.lib;

import dev.resty4j.core.api.NgxApiException;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * An object of a lua-resty library ({@code resty.lrucache} cache, {@code resty.lock} lock, digest, aes): a Lua
 * table, as the original's {@code setmetatable({...}, mt)} is, whose Java state the methods reach without a
 * field lookup. Once the script drops the table, the state goes with it.
 */
final class ObjectTable<T> extends LuaTable {

    private final T state;

    ObjectTable(T state, LuaTable metatable) {
        this.state = state;
        setmetatable(metatable);
    }

    /** A metatable whose {@code __index} is {@code methods}. */
    static LuaTable metatable(LuaTable methods) {
        LuaTable mt = new LuaTable();
        mt.set("__index", methods);
        return mt;
    }

    /** The state of {@code self} (argument 1), or the Lua error a method called without {@code :} gets. */
    static <T> T self(Varargs a, Class<T> type) {
        LuaValue v = a.arg1();
        if (v instanceof ObjectTable<?> o && type.isInstance(o.state)) {
            return type.cast(o.state);
        }
        throw new NgxApiException("attempt to index local 'self' (a " + v.typename() + " value)");
    }
}
