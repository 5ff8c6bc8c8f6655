package dev.resty4j.js;

import dev.resty4j.Script;
import dev.resty4j.core.engine.ScriptException;
import java.io.IOException;
import java.nio.file.Files;
import org.graalvm.polyglot.Source;

/**
 * How script text becomes GraalJS sources. A phase script ({@code content_by_js_block}, {@code *_by_js_file},
 * {@code Location.Builder.phase(…, Script.js(…))}) is a function body, as a Lua chunk is: it may {@code return}
 * early and use {@code await} at its top level, so it is wrapped in an (async, when it awaits) function, on
 * the first line so that line numbers stay those of the script. An njs handler ({@code js_content main.hello})
 * names an export of an ES module imported with {@code js_import}.
 */
final class JsSources {

    enum Kind { BLOCK, NJS }

    private JsSources() {
    }

    static Kind kind(Script script) {
        return script.chunkName().startsWith("js_") && script.file() != null ? Kind.NJS : Kind.BLOCK;
    }

    /** The name errors and stack traces use: the chunk name without Lua's "=" / "@" markers. */
    static String displayName(Script script) {
        String n = script.chunkName();
        return n.startsWith("=") || n.startsWith("@") ? n.substring(1) : n;
    }

    static Source source(Script script, Kind kind) throws ScriptException {
        if (kind == Kind.NJS) {
            return moduleSource(script);
        }
        String body = script.source();
        String head = body.contains("await") ? "(async function () {" : "(function () {";
        return Source.newBuilder("js", head + body + "\n})", displayName(script)).buildLiteral();
    }

    /** The ES module a njs handler lives in (read from the js_import file). */
    static Source moduleSource(Script script) throws ScriptException {
        try {
            return Source.newBuilder("js", Files.readString(script.file()), script.file().toString())
                    .mimeType("application/javascript+module").build();
        } catch (IOException e) {
            throw new ScriptException("failed to read js module " + script.file() + ": " + e.getMessage(), e);
        }
    }

    /** The export a njs handler names: {@code main.hello} → {@code hello}. */
    static String exportName(Script script) {
        String ref = script.source().trim();
        int dot = ref.indexOf('.');
        return dot < 0 ? ref : ref.substring(dot + 1);
    }
}
