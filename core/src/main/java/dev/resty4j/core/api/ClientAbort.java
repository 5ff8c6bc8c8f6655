package dev.resty4j.core.api;

import dev.resty4j.Location;
import dev.resty4j.Phase;
import dev.resty4j.core.request.RequestContext;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * {@code ngx.on_abort(callback)}: registers the function lua-nginx-module runs (as a light thread) when the
 * client closes the connection early. Registration needs {@code lua_check_client_abort on} (location or
 * http level) and happens at most once per request.
 *
 * <p>Not implemented yet: noticing the abort and running the callback; a registered callback is kept but
 * never called (the request runs to its end, as without {@code lua_check_client_abort}).
 */
public final class ClientAbort {

    /** Phases where {@code ngx.on_abort} may be called. */
    public static final Set<Phase> CONTEXTS = EnumSet.of(Phase.REWRITE, Phase.ACCESS, Phase.CONTENT);

    /** The callbacks registered per request (weak: the entry goes with the request). */
    private static final Map<RequestContext, Object> HANDLERS = Collections.synchronizedMap(new WeakHashMap<>());

    private ClientAbort() {
    }

    /**
     * Registers {@code handler} (an engine function) for the request; returns null on success, or OpenResty's
     * error string: "lua_check_client_abort is off" or "duplicate call".
     */
    public static String register(RequestContext req, Object handler) {
        Contexts.check(req, CONTEXTS);
        if (!checkEnabled(req)) {
            return "lua_check_client_abort is off";
        }
        if (HANDLERS.putIfAbsent(req, handler) != null) {
            return "duplicate call";
        }
        return null;
    }

    /** The callback registered for the request, or null. */
    public static Object handler(RequestContext req) {
        return HANDLERS.get(req);
    }

    private static boolean checkEnabled(RequestContext req) {
        Location loc = req.location();
        List<String> args = loc == null ? null : loc.directive("lua_check_client_abort");
        if (args == null) {
            args = req.resty().settings().directive("lua_check_client_abort");
        }
        return args != null && !args.isEmpty() && "on".equalsIgnoreCase(args.get(0));
    }
}
