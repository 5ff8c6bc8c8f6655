package dev.resty4j.core.phase;

import dev.resty4j.Location;
import dev.resty4j.Phase;
import dev.resty4j.Resty;
import dev.resty4j.core.ServerConfig;
import dev.resty4j.core.api.Output;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.worker.Worker;

/**
 * Drives one request through nginx's phases on a worker: server_rewrite, find location, rewrite, access,
 * precontent, content, then the log phase after the response. Internal redirects ({@code ngx.exec}) go
 * back to location matching, at most 10 times, as nginx allows.
 */
public final class RequestPipeline {

    private static final int MAX_REDIRECTS = 10;

    private final Resty resty;
    private final ContentHandlers contentHandlers = new ContentHandlers();

    public RequestPipeline(Resty resty) {
        this.resty = resty;
    }

    /** Content handlers bindings and applications register (e.g. {@code proxy_pass}). */
    public ContentHandlers contentHandlers() {
        return contentHandlers;
    }

    /** Runs the request on the next worker; returns at once. */
    public void dispatch(RequestContext req, ServerConfig server) {
        Worker w = resty.nextWorker();
        req.worker(w);
        w.spawn(() -> process(req, server));
    }

    /** Runs the whole request on the calling fiber (which must hold the request's worker). */
    public void process(RequestContext req, ServerConfig server) {
        req.server(server);
        try {
            runPhases(req, server);
            if (req.handedOff()) {
                return; // the application produces the response; its host runs the log phase at the end
            }
            if (!req.eof()) {
                Output.finish(req);
            }
        } catch (Throwable t) {
            resty.logger().internalError("request *" + req.id() + " failed inside resty4j", t);
            if (!req.eof()) {
                try {
                    Outcomes.fail(req);
                } catch (Throwable t2) {
                    req.sink().abort();
                }
            }
        }
        runLogPhase(req);
    }

    /**
     * Ends the request on the calling fiber: its cleanups (cosockets left open), then the log phase. Hosts
     * call it for requests they finished themselves.
     */
    public void runLogPhase(RequestContext req) {
        req.runCleanups();
        try {
            LogPhase.run(req);
        } catch (Throwable t) {
            resty.logger().internalError("log phase of request *" + req.id() + " failed", t);
        }
        resty.metrics().requestDone(req);
    }

    /**
     * Runs a subrequest to completion on the calling fiber: location matching, rewrite, content, and the
     * output filters, but no access phase (nginx skips it for subrequests) and no log phase.
     */
    public void subrequest(RequestContext child) {
        try {
            runPhases(child, child.server());
            if (!child.eof()) {
                Output.finish(child);
            }
        } catch (Throwable t) {
            resty.logger().internalError("subrequest *" + child.id() + " failed inside resty4j", t);
            if (!child.eof()) {
                Outcomes.fail(child);
            }
        }
        child.runCleanups();
    }

    private void runPhases(RequestContext req, ServerConfig server) {
        if (server.serverRewrite() != null && !req.isSubrequest()) {
            Step s = Outcomes.after(req, Phase.SERVER_REWRITE,
                    PhaseRunner.run(req, Phase.SERVER_REWRITE, server.serverRewrite(), null));
            if (s == Step.FINISHED) {
                return;
            }
        }
        Location loc = server.find(req.uri());
        while (true) {
            req.location(loc);
            captureGroups(req, loc);
            if (loc == null) {
                if (req.contentFallback() != null && !req.isSubrequest()) {
                    ContentPhase.handOff(req);
                } else {
                    SpecialResponse.send(req, 404);
                }
                return;
            }
            long max = loc.clientMaxBodySize() >= 0 ? loc.clientMaxBodySize() : resty.settings().clientMaxBodySize();
            if (max > 0 && req.body() != null && req.body().length > max) {
                resty.logger().log(LogLevel.ERR, req, "client intended to send too large body: "
                        + req.body().length + " bytes");
                SpecialResponse.send(req, 413);
                return;
            }
            if (loc.needRequestBody()) {
                dev.resty4j.core.api.RequestBody.received(req);
            }
            Step s = RewritePhase.run(req, loc);
            if (s == Step.CONTINUE && !req.isSubrequest()) {
                s = AccessPhase.run(req, loc);
            }
            if (s == Step.CONTINUE) {
                s = PrecontentPhase.run(req, loc);
            }
            if (s == Step.CONTINUE) {
                s = ContentPhase.run(req, loc, contentHandlers);
            }
            if (s != Step.EXEC) {
                return;
            }
            loc = internalRedirect(req, server);
            if (loc == null && req.eof()) {
                return;
            }
        }
    }

    /** Keeps a regex location's capture groups for {@code $1}… ({@code ngx.var[1]}). */
    private static void captureGroups(RequestContext req, Location loc) {
        if (loc == null || loc.regex() == null) {
            return;
        }
        java.util.regex.Matcher m = loc.regex().matcher(req.uri());
        if (m.find()) {
            String[] groups = new String[m.groupCount() + 1];
            for (int i = 0; i <= m.groupCount(); i++) {
                groups[i] = m.group(i);
            }
            req.captures(groups);
        }
    }

    /** Applies a pending ngx.exec: new URI and args, a fresh ngx.ctx, location matching again. */
    private Location internalRedirect(RequestContext req, ServerConfig server) {
        String target = req.execUri();
        String args = req.execArgs();
        req.exec(null, null);
        req.redirects(req.redirects() + 1);
        if (req.redirects() > MAX_REDIRECTS) {
            resty.logger().log(LogLevel.ERR, req, "rewrite or internal redirection cycle while internally redirecting to \""
                    + target + "\"");
            Outcomes.fail(req);
            return null;
        }
        req.internal(true);
        for (int i = 0; i < 2; i++) {
            req.engineCtx(i, null);
        }
        if (target.startsWith("@")) {
            Location named = server.named(target);
            if (named == null) {
                resty.logger().log(LogLevel.ERR, req, "named location \"" + target + "\" not found");
                Outcomes.fail(req);
                return null;
            }
            return named;
        }
        int q = target.indexOf('?');
        if (q >= 0) {
            String inline = target.substring(q + 1);
            target = target.substring(0, q);
            if (args == null || args.isEmpty()) {
                args = inline;
            }
        }
        req.uri(target);
        req.args(args == null || args.isEmpty() ? null : args);
        return server.find(target);
    }
}
