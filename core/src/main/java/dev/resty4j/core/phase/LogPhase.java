package dev.resty4j.core.phase;

import dev.resty4j.Location;
import dev.resty4j.Phase;
import dev.resty4j.Script;
import dev.resty4j.core.request.RequestContext;

/** The log phase: {@code log_by_lua}, after the response went out; errors are only logged. */
final class LogPhase {

    private LogPhase() {
    }

    static void run(RequestContext req) {
        Location loc = req.location();
        Script script = loc == null ? null : loc.script(Phase.LOG);
        if (script != null) {
            PhaseRunner.run(req, Phase.LOG, script, null);
        }
    }
}
