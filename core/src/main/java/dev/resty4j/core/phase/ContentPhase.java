package dev.resty4j.core.phase;

import dev.resty4j.Location;
import dev.resty4j.Phase;
import dev.resty4j.Script;
import dev.resty4j.core.api.Output;
import dev.resty4j.core.request.RequestContext;

/**
 * The content phase: {@code content_by_lua}, or a content handler a binding registered for the location
 * ({@code proxy_pass}), or, with neither, nginx's static file fallback, which finds nothing here: 404.
 */
final class ContentPhase {

    private ContentPhase() {
    }

    static Step run(RequestContext req, Location loc, ContentHandlers handlers) {
        Script script = loc.script(Phase.CONTENT);
        if (script != null) {
            Step step = Outcomes.after(req, Phase.CONTENT, PhaseRunner.run(req, Phase.CONTENT, script, null));
            if (step == Step.CONTINUE) {
                Output.finish(req);
                return Step.FINISHED;
            }
            return step;
        }
        ContentHandlers.Handler h = handlers.find(loc);
        if (h != null) {
            req.phase(Phase.CONTENT);
            h.handle(req);
            Output.finish(req);
            return Step.FINISHED;
        }
        if (req.contentFallback() != null) {
            handOff(req);
            return Step.FINISHED;
        }
        SpecialResponse.send(req, 404);
        return Step.FINISHED;
    }

    /** Gives the request to the embedding application's next handler. */
    static void handOff(RequestContext req) {
        req.handedOff(true);
        req.eof(true);
        req.contentFallback().run();
    }
}
