package dev.resty4j.spi;

import dev.resty4j.Resty;
import dev.resty4j.SharedDict;
import dev.resty4j.config.Directive;
import java.util.List;
import java.util.Set;

/**
 * A module that adds nginx directives and behaviour to every {@link Resty} built while it is on the class
 * path (found with {@link java.util.ServiceLoader}): e.g. bindings-http adds {@code upstream} blocks and
 * {@code proxy_pass}. The config loader accepts the directives an extension claims at every level: at
 * location (and inherited server/http) level they are kept on the {@link dev.resty4j.Location}
 * ({@code location.directives(name)}); at http level they are handed to {@link #configure}.
 */
public interface RestyExtension {

    /** Directive names this extension understands ({@code "upstream"}, {@code "proxy_pass"}, …). */
    default Set<String> directives() {
        return Set.of();
    }

    /**
     * Called once for each new instance, before init_by_lua runs: register content handlers
     * ({@code resty.pipeline().contentHandlers().register(...)}) and read the http-level directives claimed.
     *
     * @param httpDirectives the claimed directives found at http level, with their blocks, in config order
     */
    void configure(Resty resty, List<Directive> httpDirectives);

    /**
     * The dict for {@code lua_shared_dict NAME SIZE OPTION...} when this extension understands the options
     * (bindings-redis: {@code redis=HOST:PORT}), else null. Called while the instance is being built, before
     * {@link #configure}; the first extension answering wins.
     */
    default SharedDict sharedDict(String name, long size, List<String> options, io.vertx.core.Vertx vertx) {
        return null;
    }

    /** Called once when the instance closes, before Vert.x does: release clients and pooled connections. */
    default void close(Resty resty) {
    }
}
