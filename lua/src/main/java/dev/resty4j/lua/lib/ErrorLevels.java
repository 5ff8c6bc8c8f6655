package dev.resty4j.lua.lib;

import dev.resty4j.lua.LuaWorkerVm;
import dev.resty4j.lua.PositionedError;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/**
 * Lua's {@code error(message [, level])} with its levels, which LuaJ ignores: level 1 (the default) puts the
 * position where {@code error} was called, level 2 that of the function's caller (how libraries blame
 * their caller), level 0 none. Non-string messages (tables) are raised as they are.
 */
public final class ErrorLevels {

    private ErrorLevels() {
    }

    public static void install(LuaWorkerVm vm, Globals g) {
        g.set("error", new NgxFunction("error", a -> {
            LuaValue msg = a.arg1();
            int level = a.optint(2, 1);
            if (!msg.isstring()) {
                throw msg.isnil() ? new LuaError((String) null, level) : new LuaError(msg);
            }
            if (level == 1) {
                throw new LuaError(msg.tojstring(), 1); // LuaJ adds the calling frame's position
            }
            String at = level > 1 ? vm.hooks().positionBelow(level - 1) : null;
            throw new PositionedError(at == null ? msg.tojstring() : at + ": " + msg.tojstring());
        }));
    }
}
