package dev.resty4j;

import dev.resty4j.core.engine.CompiledScript;
import dev.resty4j.core.engine.ScriptException;
import dev.resty4j.core.engine.WorkerVm;
import dev.resty4j.core.worker.Worker;

/**
 * A scripting language plugged into the engine-neutral core. Engines are found with
 * {@link java.util.ServiceLoader} (so adding {@code resty4j-lua} or {@code resty4j-js} to the class path
 * is all it takes), or registered explicitly with {@code Resty.Builder#engine}.
 *
 * <p>An engine is a thin adapter: every ngx API semantic lives in core ({@code dev.resty4j.core.api});
 * the engine converts values and exposes the functions under their OpenResty names.
 */
public interface ScriptEngine {

    /** The language name scripts are tagged with ({@code "lua"}, {@code "js"}); also the directive suffix ({@code content_by_lua_block}). */
    String language();

    /**
     * Parses and compiles a script once, at load time. A syntax error is reported here, naming the chunk
     * and line, so a broken config is refused before it serves anything.
     */
    CompiledScript compile(Script script) throws ScriptException;

    /** Creates the VM of one worker. The core guarantees that a VM is never entered by two threads at once. */
    WorkerVm newVm(Worker worker);
}
