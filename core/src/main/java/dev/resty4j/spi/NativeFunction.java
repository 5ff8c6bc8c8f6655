package dev.resty4j.spi;

/**
 * A function of a {@link NativeModule}. Arguments and results are neutral values, converted by each
 * engine:
 * <ul>
 *   <li>{@code null} (nil / undefined), {@link NativeNull#NULL} ({@code ngx.null}), {@link Boolean},
 *       {@link Double} or {@link Long} (numbers; engines pass numbers as Double),</li>
 *   <li>{@link String} (a byte string: one char per byte, ISO-8859-1, as Lua strings are bytes) or
 *       {@code byte[]},</li>
 *   <li>{@link java.util.List} (an array table), {@link java.util.Map} with String keys (a hash table),</li>
 *   <li>{@link NativeHandle} (an opaque Java object, e.g. a connection, handed back on later calls),</li>
 *   <li>as a result only: {@link NativeResult} for several return values, or an {@code io.vertx.core.Future}
 *       of any of the above, which the engine awaits (suspending the script, not the worker).</li>
 * </ul>
 * Errors a script should see as a raised error are thrown as {@code dev.resty4j.core.api.NgxApiException};
 * errors an OpenResty library returns as {@code nil, err} are returned that way ({@code NativeResult.of(null, "timeout")}).
 */
@FunctionalInterface
public interface NativeFunction {

    Object call(NativeCall call, Object[] args);
}
