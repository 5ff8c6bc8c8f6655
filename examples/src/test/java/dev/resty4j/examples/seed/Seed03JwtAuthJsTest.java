package dev.resty4j.examples.seed;

import java.nio.file.Path;

/** The seed rewritten in JavaScript ({@code conf/seed-js}), held to the same contract as the Lua original. */
class Seed03JwtAuthJsTest extends Seed03JwtAuthContract {

    @Override
    protected Path conf() {
        return Path.of("conf/seed-js/03-jwt-auth.conf");
    }
}
