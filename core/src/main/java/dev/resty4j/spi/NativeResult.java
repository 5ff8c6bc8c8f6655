package dev.resty4j.spi;

import java.util.Arrays;
import java.util.List;

/** Several return values ({@code return ok, err}); elements are neutral values. */
public record NativeResult(List<Object> values) {

    public static NativeResult of(Object... values) {
        return new NativeResult(Arrays.asList(values));
    }

    /** OpenResty's failure convention: {@code nil, err}. */
    public static NativeResult error(String err) {
        return of(null, err);
    }
}
