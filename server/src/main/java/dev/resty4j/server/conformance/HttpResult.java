package dev.resty4j.server.conformance;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A response as read off the wire by {@link RawHttpClient}.
 *
 * @param version   the response's protocol version, e.g. {@code HTTP/1.1}
 * @param status    the status code
 * @param reason    the reason phrase (may be empty)
 * @param headers   the header fields in wire order, duplicates kept
 * @param rawHead   the status line and header lines exactly as received (CRLFs included, without
 *                  the blank line ending the head), decoded as ISO-8859-1
 * @param body      the body bytes after de-chunking
 * @param truncated true when the connection closed before the announced body was complete
 */
public record HttpResult(String version, int status, String reason, List<Header> headers, String rawHead,
        byte[] body, boolean truncated) {

    /** One header field. */
    public record Header(String name, String value) {
    }

    /** All values of {@code name} (case-insensitive), in wire order. */
    public List<String> headerValues(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return headers.stream().filter(h -> h.name().toLowerCase(Locale.ROOT).equals(lower)).map(Header::value)
                .toList();
    }

    /**
     * The value of {@code name} as Test::Nginx sees it (HTTP::Response {@code header()}): multiple
     * values joined with {@code ", "}; {@code null} when absent.
     */
    public String header(String name) {
        List<String> values = headerValues(name);
        return values.isEmpty() ? null : String.join(", ", values);
    }

    /** The body decoded as UTF-8 (the cases' expected bodies are UTF-8 text). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
