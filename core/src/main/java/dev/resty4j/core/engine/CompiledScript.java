package dev.resty4j.core.engine;

import dev.resty4j.Script;

/**
 * A script after parsing and compilation: engine-specific code that any worker VM of the same engine can
 * instantiate. Compiled once per config load (or per request with {@code lua_code_cache off}).
 */
public interface CompiledScript {

    /** The script this was compiled from. */
    Script script();
}
