package dev.resty4j.lua;

import org.luaj.vm2.LuaError;

/**
 * A Lua error whose message is final. LuaJ prefixes every error with the position of the innermost Lua
 * frame; Lua does that only for {@code error(msg)} at level 1. {@code error(msg, 0)} has no position,
 * {@code error(msg, 2)} the caller's, and {@code coroutine.wrap} re-raises a coroutine's error unchanged.
 */
public final class PositionedError extends LuaError {

    private final String text;

    public PositionedError(String text) {
        super(text, 0);
        this.text = text;
    }

    @Override
    public String getMessage() {
        return text;
    }
}
