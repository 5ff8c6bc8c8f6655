package dev.resty4j.core.phase;

import dev.resty4j.Location;
import dev.resty4j.Phase;
import dev.resty4j.Script;
import dev.resty4j.core.api.ResponseHeaders;
import dev.resty4j.core.api.Variables;
import dev.resty4j.core.request.Headers;
import dev.resty4j.core.request.RequestContext;

/**
 * The header filter: runs once, when a response's headers are about to go (first output, ngx.flush, or
 * the end of the request). Applies {@code default_type}, {@code add_header}, the
 * {@code header_filter_by_lua} script and {@code more_clear_headers}; after it, headers and status are
 * fixed. An {@code ngx.exit(status)} or an error in the script replaces the response with that status's
 * page (a 500 for errors), as nginx does.
 */
public final class HeaderFilterPhase {

    private HeaderFilterPhase() {
    }

    public static void ensureSent(RequestContext req) {
        if (req.headersSent() || req.phase() == Phase.HEADER_FILTER) {
            return;
        }
        if (req.status() == 0) {
            req.status(200);
        }
        Location loc = req.location();
        Headers out = req.responseHeaders();
        int status = req.status();
        ResponseHeaders.applyDefaultType(req);
        if (loc != null) {
            for (Location.AddHeader h : loc.addHeaders()) {
                if (h.always() || addHeaderApplies(status)) {
                    String v = Variables.interpolate(req, h.valueTemplate());
                    if (!v.isEmpty()) {
                        out.add(h.name(), v);
                    }
                }
            }
            Script script = loc.script(Phase.HEADER_FILTER);
            if (script != null) {
                int savedExit = req.exitStatus();
                req.exitStatus(RequestContext.NO_EXIT);
                PhaseRunner.Outcome outcome = PhaseRunner.run(req, Phase.HEADER_FILTER, script, null);
                int exit = req.exitStatus();
                req.exitStatus(savedExit);
                if (outcome == PhaseRunner.Outcome.ERROR) {
                    replace(req, 500);
                    return;
                }
                if (outcome == PhaseRunner.Outcome.EXIT && exit >= 200 && exit != req.status()) {
                    replace(req, exit);
                    return;
                }
            }
            clearHeaders(req, loc);
        }
        if (NotModified.apply(req) == 412) {
            req.outputFilterFailed(true); // the output call that sent the headers fails, as in nginx
            replace(req, 412);
            return;
        }
        req.headersSent(true);
    }

    /** nginx applies add_header (without always) only to these statuses. */
    private static boolean addHeaderApplies(int status) {
        return switch (status) {
            case 200, 201, 204, 206, 301, 302, 303, 304, 307, 308 -> true;
            default -> false;
        };
    }

    private static void clearHeaders(RequestContext req, Location loc) {
        for (String name : loc.clearHeaders()) {
            Headers out = req.responseHeaders();
            if (name.endsWith("*")) {
                String prefix = name.substring(0, name.length() - 1);
                for (int i = out.size() - 1; i >= 0; i--) {
                    if (out.name(i).regionMatches(true, 0, prefix, 0, prefix.length())) {
                        out.remove(out.name(i));
                    }
                }
            } else {
                out.remove(name);
            }
            String prefix = name.endsWith("*") ? name.substring(0, name.length() - 1) : null;
            if (prefix != null ? "server".regionMatches(true, 0, prefix, 0, prefix.length()) : name.equalsIgnoreCase("server")) {
                req.serverCleared(true);
            }
        }
    }

    /** Replaces the response with a special response and ends it (no second header filter run). */
    private static void replace(RequestContext req, int status) {
        req.clearPending();
        req.status(status);
        req.responseHeaders().remove("Content-Length");
        byte[] page = req.headerOnly() ? new byte[0] : SpecialResponse.page(status);
        if (page.length > 0) {
            req.responseHeaders().set("Content-Type", "text/html");
            req.addPending(page);
        }
        req.headersSent(true);
        req.eof(true);
        dev.resty4j.core.api.OutputAccess.transmitEnd(req);
    }
}
