package dev.resty4j.core.api;

import dev.resty4j.core.request.RequestContext;

/** Lets the phase package end a response it built itself, without widening {@link Output}'s API. */
public final class OutputAccess {

    private OutputAccess() {
    }

    /** Hands everything pending to the host and ends the response. */
    public static void transmitEnd(RequestContext req) {
        Output.transmit(req, true);
    }
}
