package dev.resty4j.examples.seed;

import java.nio.file.Path;

/** The seed's own Lua config, verbatim. */
class Seed05SharedDictLuaTest extends Seed05SharedDictContract {

    @Override
    protected Path conf() {
        return Path.of("conf/seed/05-shared-dict.conf");
    }
}
