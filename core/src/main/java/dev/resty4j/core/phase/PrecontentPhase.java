package dev.resty4j.core.phase;

import dev.resty4j.Location;
import dev.resty4j.Phase;
import dev.resty4j.Script;
import dev.resty4j.core.request.RequestContext;

/** The precontent phase ({@code precontent_by_lua}), between access and content. */
final class PrecontentPhase {

    private PrecontentPhase() {
    }

    static Step run(RequestContext req, Location loc) {
        Script script = loc.script(Phase.PRECONTENT);
        if (script == null) {
            return Step.CONTINUE;
        }
        return Outcomes.after(req, Phase.PRECONTENT, PhaseRunner.run(req, Phase.PRECONTENT, script, null));
    }
}
