package dev.resty4j.examples.seed;

import java.nio.file.Path;

/** The seed rewritten in JavaScript ({@code conf/seed-js}), held to the same contract as the Lua original. */
class Seed01HelloJsTest extends Seed01HelloContract {

    @Override
    protected Path conf() {
        return Path.of("conf/seed-js/01-hello.conf");
    }
}
