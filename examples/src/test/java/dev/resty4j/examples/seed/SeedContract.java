package dev.resty4j.examples.seed;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every seed contract has: the seed config it runs (the one thing an engine's subclass gives), a
 * directory for the wrapper config, and a Vert.x for the services the seed talks to.
 */
abstract class SeedContract {

    /** The seed config under test, verbatim, in the engine's language (e.g. {@code conf/seed/01-hello.conf}). */
    protected abstract Path conf();

    @TempDir
    Path tmp;
    Vertx vertx;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void closeVertx() {
        vertx.close().await();
    }
}
