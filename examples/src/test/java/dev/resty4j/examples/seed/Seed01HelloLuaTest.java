package dev.resty4j.examples.seed;

import java.nio.file.Path;

/** The seed's own Lua config, verbatim. */
class Seed01HelloLuaTest extends Seed01HelloContract {

    @Override
    protected Path conf() {
        return Path.of("conf/seed/01-hello.conf");
    }
}
