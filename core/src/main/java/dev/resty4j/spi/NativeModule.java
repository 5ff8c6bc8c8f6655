package dev.resty4j.spi;

import java.util.Map;

/**
 * A library implemented in Java and offered to every script engine: how bindings ({@code resty.redis},
 * {@code resty.http}, …) expose their engine-neutral Java API without knowing any engine.
 *
 * <p>A binding ships (1) a {@code NativeModule} registered with {@link java.util.ServiceLoader}, whose
 * functions take and return {@linkplain NativeFunction neutral values} (returning a Vert.x {@code Future}
 * for I/O, which the engine awaits without blocking the worker), and (2) thin per-language glue that gives
 * the library its familiar API, e.g. {@code resty4j/lua/resty/redis.lua} on the class path, which calls
 * {@code require "resty4j.native.redis"}. All semantics stay in the Java module; the glue only shapes the
 * API.
 */
public interface NativeModule {

    /** The module's name; engines expose it as {@code resty4j.native.<name>}. */
    String name();

    /** The module's functions by name. */
    Map<String, NativeFunction> functions();

    /** Constants (strings, numbers, booleans) exposed beside the functions. */
    default Map<String, Object> constants() {
        return Map.of();
    }
}
