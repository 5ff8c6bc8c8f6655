package dev.resty4j.core.engine;

/**
 * A runtime error raised by a script: the message as the language reports it (for Lua,
 * {@code content_by_lua(nginx.conf:12):3: attempt to index a nil value}) and the script's traceback.
 * The core turns it into a 500 for that request and one error-log line.
 */
public class ScriptError extends RuntimeException {

    private final String traceback;

    public ScriptError(String message, String traceback) {
        super(message, null, false, false);
        this.traceback = traceback;
    }

    public ScriptError(String message, String traceback, Throwable cause) {
        super(message, cause, false, true);
        this.traceback = traceback;
    }

    /** The script-level stack traceback ("stack traceback:\n\t..."), possibly empty. */
    public String traceback() {
        return traceback == null ? "" : traceback;
    }
}
