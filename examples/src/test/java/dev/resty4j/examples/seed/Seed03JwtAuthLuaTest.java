package dev.resty4j.examples.seed;

import java.nio.file.Path;

/** The seed's own Lua config, verbatim. */
class Seed03JwtAuthLuaTest extends Seed03JwtAuthContract {

    @Override
    protected Path conf() {
        return Path.of("conf/seed/03-jwt-auth.conf");
    }
}
