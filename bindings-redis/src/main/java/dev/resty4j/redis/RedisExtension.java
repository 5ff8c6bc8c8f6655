package dev.resty4j.redis;

import dev.resty4j.Resty;
import dev.resty4j.SharedDict;
import dev.resty4j.config.Directive;
import dev.resty4j.spi.RestyExtension;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Hooks the Redis binding into each instance: Redis-backed shared dicts
 * ({@code lua_shared_dict NAME SIZE redis=HOST:PORT}) and the release of pooled connections and clients
 * when the instance closes.
 */
public final class RedisExtension implements RestyExtension {

    @Override
    public void configure(Resty resty, List<Directive> httpDirectives) {
        // nothing to claim: resty.redis needs no directive
        Warmup.once(resty.vertx());
    }

    @Override
    public SharedDict sharedDict(String name, long size, List<String> options, Vertx vertx) {
        return RedisSharedDict.fromOptions(name, size, options, vertx);
    }

    @Override
    public void close(Resty resty) {
        RedisBinding.close(resty);
        for (SharedDict d : resty.sharedDicts().values()) {
            if (d instanceof RedisSharedDict r) {
                r.close();
            }
        }
    }
}
