package dev.resty4j.examples.seed;

import java.nio.file.Path;

/** The seed rewritten in JavaScript ({@code conf/seed-js}), held to the same contract as the Lua original. */
class Seed05SharedDictJsTest extends Seed05SharedDictContract {

    @Override
    protected Path conf() {
        return Path.of("conf/seed-js/05-shared-dict.conf");
    }
}
