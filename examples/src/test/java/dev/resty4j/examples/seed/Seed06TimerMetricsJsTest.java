package dev.resty4j.examples.seed;

import java.nio.file.Path;

/** The seed rewritten in JavaScript ({@code conf/seed-js}), held to the same contract as the Lua original. */
class Seed06TimerMetricsJsTest extends Seed06TimerMetricsContract {

    @Override
    protected Path conf() {
        return Path.of("conf/seed-js/06-timer-metrics.conf");
    }
}
