package dev.resty4j.lua;

import org.luaj.vm2.LuaError;

/**
 * A script passed its budget (time, instructions, memory, output). A Lua error, so LuaJ unwinds the Lua
 * frames and records the position; but {@code pcall}, {@code xpcall} and coroutine boundaries let it through,
 * so it always ends the handler (a 500, or a log line in log and timer contexts).
 */
public final class LuaLimitError extends LuaError {

    public LuaLimitError(String message) {
        super(message);
    }

    /** True for a budget error, also when LuaJ wrapped it. */
    public static boolean is(Throwable t) {
        return t instanceof LuaLimitError || t instanceof LuaError le && le.getCause() instanceof LuaLimitError;
    }
}
