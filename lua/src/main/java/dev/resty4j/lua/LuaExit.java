package dev.resty4j.lua;

import org.luaj.vm2.LuaError;

/**
 * Unwinds a script after {@code ngx.exit}, {@code ngx.exec} or {@code ngx.redirect}. It is a LuaError so
 * LuaJ passes it through Lua frames untouched; resty4j's {@code pcall}/{@code xpcall} rethrow it, so an
 * exit inside a protected call still ends the handler, as in OpenResty (where ngx.exit yields).
 */
final class LuaExit extends LuaError {

    static final LuaExit INSTANCE = new LuaExit();

    private LuaExit() {
        super("ngx.exit");
        setStackTrace(new StackTraceElement[0]);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
