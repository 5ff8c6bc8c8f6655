package dev.resty4j.core.socket;

/**
 * The failure of a cosocket operation as a script sees it: OpenResty's error string ("timeout", "closed",
 * "connection refused", …) and, for reads, the data received before the error (the third value of
 * {@code receive}: {@code nil, err, partial}). Cosocket futures fail with this; engines turn it into
 * return values, never into a script error.
 */
public final class CosocketError extends RuntimeException {

    private final transient byte[] partial;

    /** A failure before any data was read (OpenResty returns two values: {@code nil, err}). */
    public CosocketError(String message) {
        this(message, null);
    }

    /** A read that failed after consuming {@code partial} (three values: {@code nil, err, partial}). */
    public CosocketError(String message, byte[] partial) {
        super(message, null, false, false);
        this.partial = partial;
    }

    /** Data a failed read consumed (possibly empty), or null when the operation read nothing at all. */
    public byte[] partial() {
        return partial;
    }
}
