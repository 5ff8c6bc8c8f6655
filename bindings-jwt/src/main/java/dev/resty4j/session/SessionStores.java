package dev.resty4j.session;

import dev.resty4j.Resty;
import dev.resty4j.SharedDict;
import dev.resty4j.config.Directive;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.spi.Extensions;
import dev.resty4j.spi.RestyExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server-side stores of {@code storage = "redis"} sessions: per instance and Redis endpoint, one
 * Redis-backed dict, the same one {@code lua_shared_dict NAME SIZE redis=HOST:PORT} declares, obtained
 * from whichever {@link RestyExtension} understands {@code redis=} (resty4j-bindings-redis), so that this
 * module needs no Redis client of its own. Released when the instance closes.
 */
public final class SessionStores implements RestyExtension {

    private static final Map<Resty, Map<String, SharedDict>> REDIS = new ConcurrentHashMap<>();

    /** The dict holding sessions in the Redis at {@code endpoint} ({@code HOST:PORT}). */
    static SharedDict redis(Resty resty, String endpoint, long timeoutMs) {
        return REDIS.computeIfAbsent(resty, r -> new ConcurrentHashMap<>()).computeIfAbsent(endpoint, e -> {
            List<String> options = List.of("redis=" + e, "redis_timeout=" + timeoutMs);
            for (RestyExtension ext : Extensions.all()) {
                SharedDict d = ext.sharedDict("session", 0, options, resty.vertx());
                if (d != null) {
                    return d;
                }
            }
            throw new NgxApiException("resty.session: storage \"redis\" needs resty4j-bindings-redis on the class path");
        });
    }

    @Override
    public void configure(Resty resty, List<Directive> httpDirectives) {
        // no directives: stores are made on first use
    }

    @Override
    public void close(Resty resty) {
        Map<String, SharedDict> dicts = REDIS.remove(resty);
        if (dicts == null) {
            return;
        }
        for (SharedDict d : dicts.values()) {
            if (d instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    resty.logger().internalError("closing a session store failed", e);
                }
            }
        }
    }
}
