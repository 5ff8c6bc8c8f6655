package dev.resty4j.core.api;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Formats for the time variables ({@code $time_local}, {@code $time_iso8601}). */
final class NgxTimeFormat {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private NgxTimeFormat() {
    }

    static String timeLocal(long millis) {
        return LOCAL.format(Instant.ofEpochMilli(millis));
    }

    static String iso8601(long millis) {
        return ISO.format(Instant.ofEpochMilli(millis));
    }
}
