package dev.resty4j.config;

/**
 * Internal signal from {@link LuaBlockScanner} / {@link JsBlockScanner} that a raw code block is not
 * terminated. {@link Lexer} turns it into a {@link ConfigException} located at the directive.
 */
final class RawBlockException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String reason;
    private final int position;

    /**
     * @param reason   e.g. {@code missing the closing long bracket "]]"}, or {@code null} when simply no
     *                 matching <code>&#125;</code> was found
     * @param position source offset of the construct that is not closed (ignored when reason is null)
     */
    RawBlockException(String reason, int position) {
        super(reason, null, false, false);
        this.reason = reason;
        this.position = position;
    }

    String reason() {
        return reason;
    }

    int position() {
        return position;
    }
}
