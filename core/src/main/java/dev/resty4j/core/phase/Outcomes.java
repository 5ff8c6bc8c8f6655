package dev.resty4j.core.phase;

import dev.resty4j.Phase;
import dev.resty4j.core.api.Output;
import dev.resty4j.core.request.RequestContext;

/** lua-nginx-module's rules for what {@code ngx.exit}, errors and {@code ngx.exec} mean in each phase. */
final class Outcomes {

    static final int NGX_OK = 0;
    static final int NGX_ERROR = -1;
    static final int NGX_DECLINED = -5;

    private Outcomes() {
    }

    static Step after(RequestContext req, Phase phase, PhaseRunner.Outcome outcome) {
        switch (outcome) {
            case DONE:
                return continueOrEnd(req, phase);
            case EXEC:
                return Step.EXEC;
            case ERROR:
                fail(req);
                return Step.FINISHED;
            case EXIT:
            default:
                int status = req.exitStatus();
                req.exitStatus(RequestContext.NO_EXIT);
                if (phase != Phase.CONTENT && (status == NGX_OK || status == NGX_DECLINED || (status > 0 && status < 200))) {
                    // ngx.exit(ngx.OK) ends only the current phase handler.
                    return continueOrEnd(req, phase);
                }
                finish(req, status);
                return Step.FINISHED;
        }
    }

    /**
     * After a rewrite or access handler that let the request go on: if it already sent the response
     * headers, later phases must not answer again, so the response ends here (lua-nginx-module's rule).
     */
    private static Step continueOrEnd(RequestContext req, Phase phase) {
        boolean early = phase == Phase.SERVER_REWRITE || phase == Phase.REWRITE || phase == Phase.ACCESS;
        if (early && req.headersSent() && !req.isSubrequest()) {
            Output.finish(req);
            return Step.FINISHED;
        }
        return Step.CONTINUE;
    }

    /** Ends the request with an exit status. */
    static void finish(RequestContext req, int status) {
        if (status < 0) {
            // ngx.ERROR, and ngx.AGAIN / ngx.DONE, which make no sense as a request's end: 500, as nginx.
            fail(req);
            return;
        }
        if (req.http10Buffering() && status != 408 && status != 499 && status != 444) {
            // output buffered for an HTTP/1.0 client is the response: it goes out with the status
            // already set, or the exit status (lua-nginx-module's handle_exit)
            if (req.status() == 0 && status >= 200) {
                req.status(status);
            }
            if (req.status() != 0) {
                Output.finish(req);
                return;
            }
        }
        if (req.headersSent()) {
            if (status >= 300 && status != req.status()) {
                req.resty().logger().log(dev.resty4j.core.log.LogLevel.ERR, req, "attempt to set status " + status
                        + " via ngx.exit after sending out the response status " + req.status());
            }
            Output.finish(req);
            return;
        }
        if (status >= 300 || status == 204 && req.pendingBytes() == 0) {
            SpecialResponse.send(req, status);
            return;
        }
        if (status >= 200) {
            req.status(status);
        }
        Output.finish(req);
    }

    /** A failed phase: 500 if nothing went out yet, else end what was started. */
    static void fail(RequestContext req) {
        if (req.headersSent()) {
            Output.finish(req);
        } else {
            req.responseHeaders().clear();
            SpecialResponse.send(req, 500);
        }
    }
}
