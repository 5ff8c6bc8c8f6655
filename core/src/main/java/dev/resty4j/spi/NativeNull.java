package dev.resty4j.spi;

/** The neutral form of {@code ngx.null} / {@code cjson.null}: a null that is a value (e.g. a nil Redis bulk reply). */
public enum NativeNull {
    NULL
}
