package dev.resty4j.lua;

import dev.resty4j.Script;
import dev.resty4j.ScriptEngine;
import dev.resty4j.core.engine.CompiledScript;
import dev.resty4j.core.engine.ScriptException;
import dev.resty4j.core.engine.WorkerVm;
import dev.resty4j.core.worker.Worker;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LuaC;

/**
 * Lua on LuaJ 3.0.1: scripts compile once to a LuaJ {@link Prototype} (shared by all workers); each worker
 * instantiates closures over its own globals.
 */
public final class LuaScriptEngine implements ScriptEngine {

    @Override
    public String language() {
        return "lua";
    }

    @Override
    public CompiledScript compile(Script script) throws ScriptException {
        return new CompiledLua(script, compile(script.source(), script.chunkName()));
    }

    /** Compiles Lua source; a syntax error names the chunk and line. */
    static Prototype compile(String source, String chunkName) throws ScriptException {
        try {
            // Lua sources are bytes: scripts written in UTF-8 keep their bytes.
            // "=" makes Lua use the name as is ("content_by_lua(nginx.conf:12):3: ..."), "@" marks a file.
            String name = chunkName.startsWith("@") || chunkName.startsWith("=") ? chunkName : "=" + chunkName;
            return LuaC.instance.compile(new ByteArrayInputStream(source.getBytes(StandardCharsets.UTF_8)), name);
        } catch (LuaError e) {
            throw new ScriptException("failed to compile " + chunkName + ": " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new ScriptException("failed to read " + chunkName + ": " + e.getMessage(), e);
        }
    }

    @Override
    public WorkerVm newVm(Worker worker) {
        return new LuaWorkerVm(worker);
    }

    /** A compiled Lua chunk. */
    record CompiledLua(Script script, Prototype prototype) implements CompiledScript {}
}
