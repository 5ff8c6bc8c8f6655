package dev.resty4j.redis;

import dev.resty4j.SharedDict;
import io.vertx.core.Vertx;
import java.util.List;

/** Placeholder, replaced below. */
abstract class RedisSharedDict implements SharedDict {
    static SharedDict fromOptions(String name, long size, List<String> options, Vertx vertx) {
        return null;
    }

    abstract void close();
}
