package dev.resty4j.core.phase;

import dev.resty4j.Location;
import dev.resty4j.Phase;
import dev.resty4j.Script;
import dev.resty4j.core.api.Output;
import dev.resty4j.core.api.Variables;
import dev.resty4j.core.request.RequestContext;
import java.nio.charset.StandardCharsets;

/**
 * The rewrite phase: nginx's rewrite-module directives ({@code set}, {@code set_by_lua}, {@code return})
 * in config order, then {@code rewrite_by_lua}, which runs at the end of the phase as in nginx.
 */
final class RewritePhase {

    private RewritePhase() {
    }

    static Step run(RequestContext req, Location loc) {
        for (Location.SetStep step : loc.setSteps()) {
            if (step.script() == null) {
                Variables.setUserVar(req, step.variable(), Variables.interpolate(req, step.valueTemplate()));
                continue;
            }
            Object[] args = new Object[step.argTemplates().size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = Variables.interpolate(req, step.argTemplates().get(i));
            }
            PhaseRunner.Outcome outcome = PhaseRunner.run(req, Phase.SET, step.script(), args);
            if (outcome == PhaseRunner.Outcome.ERROR) {
                Outcomes.fail(req);
                return Step.FINISHED;
            }
            Object result = req.phaseResult();
            Variables.setUserVar(req, step.variable(), result == null ? "" : result.toString());
        }
        if (loc.returnDirective() != null) {
            doReturn(req, loc.returnDirective());
            return Step.FINISHED;
        }
        Script script = loc.script(Phase.REWRITE);
        if (script == null) {
            return Step.CONTINUE;
        }
        return Outcomes.after(req, Phase.REWRITE, PhaseRunner.run(req, Phase.REWRITE, script, null));
    }

    /** nginx's {@code return code [text|url]}. */
    private static void doReturn(RequestContext req, Location.Return ret) {
        int code = ret.code();
        String text = ret.text() == null ? null : Variables.interpolate(req, ret.text());
        boolean redirect = code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
        if (redirect && text != null) {
            req.responseHeaders().set("Location", text);
            SpecialResponse.send(req, code);
            return;
        }
        if (text == null) {
            Outcomes.finish(req, code);
            return;
        }
        req.status(code);
        Output.write(req, text.getBytes(StandardCharsets.ISO_8859_1));
        Output.finish(req);
    }
}
