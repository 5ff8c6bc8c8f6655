package dev.resty4j.lua.lib;

import dev.resty4j.core.worker.Fiber;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;

/**
 * The Lua object of an entry thread (what {@code coroutine.running()} returns in a handler) or of a light
 * thread ({@code ngx.thread.spawn}'s result). Its {@code coroutine.status} follows lua-nginx-module:
 * "running" while the thread runs or waits for I/O, "normal" while it resumed a user coroutine, "zombie"
 * when a light thread finished and its parent has not waited for it yet, "dead" afterwards.
 */
final class ScriptThread extends LuaThread {

    private final Coroutines coroutines;
    private final Fiber fiber;
    /** The coroutine that spawned this light thread (null for an entry thread). */
    private final LuaValue parent;
    /** The handler an entry-thread object belongs to. */
    private final Fiber.Group handler;

    ScriptThread(Coroutines coroutines, Fiber fiber, LuaValue parent) {
        super(coroutines.globals());
        this.coroutines = coroutines;
        this.fiber = fiber;
        this.parent = parent;
        this.handler = fiber.scope();
    }

    Fiber fiber() {
        return fiber;
    }

    boolean isLightThread() {
        return parent != null;
    }

    LuaValue parent() {
        return parent;
    }

    /** True while the thread can still run Lua code (for its children: whether they become zombies). */
    boolean alive() {
        if (isLightThread()) {
            return !fiber.isFinished() && !fiber.isCollected();
        }
        return handler == null || handler.handlerRunning();
    }

    @Override
    public String getStatus() {
        if (isLightThread() && fiber.isFinished() && !fiber.isCollected()) {
            return Coroutines.alive(parent) ? "zombie" : "dead";
        }
        if (!alive()) {
            return "dead";
        }
        return coroutines.currentOf(fiber) == this ? "running" : "normal";
    }
}
