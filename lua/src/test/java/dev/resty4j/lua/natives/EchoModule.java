package dev.resty4j.lua.natives;

import dev.resty4j.spi.NativeFunction;
import dev.resty4j.spi.NativeHandle;
import dev.resty4j.spi.NativeModule;
import dev.resty4j.spi.NativeNull;
import dev.resty4j.spi.NativeResult;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Map;

/** A native module for the tests: what a binding looks like from the engine's side. */
public final class EchoModule implements NativeModule {

    record Counter(int[] n) implements NativeHandle {}

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public Map<String, Object> constants() {
        return Map.of("VERSION", "1.0");
    }

    @Override
    public Map<String, NativeFunction> functions() {
        return Map.of(
                "echo", (call, args) -> NativeResult.of(args),
                "describe", (call, args) -> List.of(String.valueOf(args[0]), args[0] == null ? "null" : args[0].getClass().getSimpleName()),
                "later", (call, args) -> {
                    Promise<Object> p = Promise.promise();
                    call.resty().vertx().setTimer(20, id -> p.complete("later:" + args[0]));
                    return p.future();
                },
                "fail", (call, args) -> NativeResult.error("timeout"),
                "null", (call, args) -> NativeNull.NULL,
                "counter", (call, args) -> new Counter(new int[1]),
                "bump", (call, args) -> (double) ++((Counter) args[0]).n()[0]);
    }
}
