package dev.resty4j.core.phase;

import dev.resty4j.Location;
import dev.resty4j.core.request.RequestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Content handlers that are not scripts, keyed by the location directive that enables them
 * ({@code proxy_pass} from bindings-http, or a Java handler an embedding application registers). A
 * handler runs on the request's fiber and may suspend on futures through the worker.
 */
public final class ContentHandlers {

    /** Produces a location's content. */
    @FunctionalInterface
    public interface Handler {
        void handle(RequestContext req);
    }

    /** Creates a location's handler from the directive's arguments (and the location's other directives). */
    @FunctionalInterface
    public interface Factory {
        Handler create(Location location, List<String> args);
    }

    private final Map<String, Factory> factories = new ConcurrentHashMap<>();
    private final Map<Location, Handler> byLocation = new ConcurrentHashMap<>();

    public void register(String directive, Factory factory) {
        factories.put(directive, factory);
    }

    public boolean knows(String directive) {
        return factories.containsKey(directive);
    }

    Handler find(Location loc) {
        Handler h = byLocation.get(loc);
        if (h != null) {
            return h;
        }
        for (Map.Entry<String, List<List<String>>> d : loc.extraDirectives().entrySet()) {
            Factory f = factories.get(d.getKey());
            if (f != null && !d.getValue().isEmpty()) {
                h = f.create(loc, d.getValue().get(d.getValue().size() - 1));
                byLocation.put(loc, h);
                return h;
            }
        }
        return null;
    }
}
