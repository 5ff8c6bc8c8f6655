package dev.resty4j.examples.seed;

import java.nio.file.Path;

/** The seed's own Lua config, verbatim. */
class Seed02RedisRateLimitLuaTest extends Seed02RedisRateLimitContract {

    @Override
    protected Path conf() {
        return Path.of("conf/seed/02-redis-rate-limit.conf");
    }
}
