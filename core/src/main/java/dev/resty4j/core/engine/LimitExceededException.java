package dev.resty4j.core.engine;

import dev.resty4j.core.api.NgxApiException;

/**
 * A script passed one of its {@link ScriptLimits} (time, instructions, memory, buffered output). Engines
 * end the handler with it (a 500 for a request, a log line in log and timer contexts): unlike other API
 * errors, {@code pcall} does not catch it, so a script cannot go on past its budget.
 */
public class LimitExceededException extends NgxApiException {

    public LimitExceededException(String message) {
        super(message);
    }
}
