package dev.resty4j.examples.seed;

import java.nio.file.Path;

/** The seed's own Lua config, verbatim. */
class Seed06TimerMetricsLuaTest extends Seed06TimerMetricsContract {

    @Override
    protected Path conf() {
        return Path.of("conf/seed/06-timer-metrics.conf");
    }
}
