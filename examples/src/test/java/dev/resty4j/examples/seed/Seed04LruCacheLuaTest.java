package dev.resty4j.examples.seed;

import java.nio.file.Path;

/** The seed's own Lua config, verbatim. */
class Seed04LruCacheLuaTest extends Seed04LruCacheContract {

    @Override
    protected Path conf() {
        return Path.of("conf/seed/04-lru-cache.conf");
    }
}
