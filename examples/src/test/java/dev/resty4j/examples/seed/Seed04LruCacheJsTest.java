package dev.resty4j.examples.seed;

import java.nio.file.Path;

/** The seed rewritten in JavaScript ({@code conf/seed-js}), held to the same contract as the Lua original. */
class Seed04LruCacheJsTest extends Seed04LruCacheContract {

    @Override
    protected Path conf() {
        return Path.of("conf/seed-js/04-lru-cache.conf");
    }
}
