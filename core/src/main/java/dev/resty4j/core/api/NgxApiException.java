package dev.resty4j.core.api;

/**
 * An ngx API call that OpenResty answers with a Lua error (wrong phase, bad argument, headers already
 * sent, …). Engines raise it as a script error with exactly this message, so {@code pcall} sees
 * OpenResty's text.
 */
public class NgxApiException extends RuntimeException {

    public NgxApiException(String message) {
        super(message, null, false, false);
    }
}
