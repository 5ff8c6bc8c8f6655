package dev.resty4j;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A script attached to a phase: its language, its source text and the chunk name that error messages and
 * tracebacks use ({@code content_by_lua(nginx.conf:12)} for a config block, the file name for a file).
 *
 * @param language    the engine's language name, {@code "lua"} or {@code "js"}
 * @param source      the script text
 * @param chunkName   the name used in error messages and tracebacks
 * @param firstLine   line of the config file on which the script text starts (1 for files), so that
 *                    errors point at the config line nginx would report
 * @param file        the file the text came from, or null for inline code; with {@code lua_code_cache off}
 *                    file scripts are re-read for every request
 */
public record Script(String language, String source, String chunkName, int firstLine, Path file) {

    public Script {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(chunkName, "chunkName");
    }

    /** Inline Lua code, named like an OpenResty {@code *_by_lua_block}. */
    public static Script lua(String source) {
        return new Script("lua", source, "=lua", 1, null);
    }

    /** Inline Lua code with an explicit chunk name. */
    public static Script lua(String source, String chunkName) {
        return new Script("lua", source, chunkName, 1, null);
    }

    /** Inline JavaScript code. */
    public static Script js(String source) {
        return new Script("js", source, "=js", 1, null);
    }

    /** A copy that names the phase directive and config position it came from. */
    public Script at(String chunkName, int firstLine) {
        return new Script(language, source, chunkName, firstLine, file);
    }
}
