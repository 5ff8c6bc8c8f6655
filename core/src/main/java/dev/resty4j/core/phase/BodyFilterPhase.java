package dev.resty4j.core.phase;

import dev.resty4j.Phase;
import dev.resty4j.core.request.RequestContext;

/**
 * The body filter: every chunk of response body passes through {@code body_filter_by_lua} as
 * {@code ngx.arg[1]} (data) and {@code ngx.arg[2]} (eof); the script may replace either. An error in the
 * script is logged and the chunk passes unchanged.
 */
public final class BodyFilterPhase {

    private BodyFilterPhase() {
    }

    /** Returns {@code {data, eof}} after the script ran on them. */
    public static Object[] filter(RequestContext req, byte[] data, boolean eof) {
        Object[] args = {data, eof};
        var script = req.location().script(Phase.BODY_FILTER);
        int savedExit = req.exitStatus();
        PhaseRunner.Outcome outcome = PhaseRunner.run(req, Phase.BODY_FILTER, script, args);
        req.exitStatus(savedExit);
        if (outcome == PhaseRunner.Outcome.ERROR || !(args[0] instanceof byte[])) {
            args[0] = data;
            args[1] = eof;
        }
        return args;
    }
}
