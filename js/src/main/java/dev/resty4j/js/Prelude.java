package dev.resty4j.js;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The JS side of the API's shape ({@code prelude.js}): assembles {@code ngx}, {@code require} and njs's {@code r}. */
final class Prelude {

    private static final String TEXT = load();

    private Prelude() {
    }

    static String text() {
        return TEXT;
    }

    private static String load() {
        try (InputStream in = Prelude.class.getResourceAsStream("prelude.js")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
