package dev.resty4j.core.phase;

import dev.resty4j.Location;
import dev.resty4j.Phase;
import dev.resty4j.Script;
import dev.resty4j.core.request.RequestContext;

/** The access phase: {@code access_by_lua}, where authentication and rate limits decide. */
final class AccessPhase {

    private AccessPhase() {
    }

    static Step run(RequestContext req, Location loc) {
        Script script = loc.script(Phase.ACCESS);
        if (script == null) {
            return Step.CONTINUE;
        }
        return Outcomes.after(req, Phase.ACCESS, PhaseRunner.run(req, Phase.ACCESS, script, null));
    }
}
