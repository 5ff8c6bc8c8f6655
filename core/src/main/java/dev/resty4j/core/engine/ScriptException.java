package dev.resty4j.core.engine;

/** A script that cannot be loaded: a syntax error (naming chunk and line) or an unreadable file. */
public class ScriptException extends Exception {

    public ScriptException(String message) {
        super(message);
    }

    public ScriptException(String message, Throwable cause) {
        super(message, cause);
    }
}
