package dev.resty4j.spi;

/** An opaque Java object passed to scripts and back (a connection, a compiled key, …). */
public interface NativeHandle {

    /** What scripts see in error messages and {@code tostring}. */
    default String typeName() {
        return getClass().getSimpleName();
    }
}
