package dev.resty4j.core.regex;

/**
 * A pattern PCRE2 would reject (or that uses PCRE syntax java.util.regex cannot express), with PCRE2's
 * message text and the offset (in pattern characters) where it was detected.
 */
final class PcreSyntaxException extends Exception {

    private final int offset;

    PcreSyntaxException(String message, int offset) {
        super(message, null, false, false);
        this.offset = offset;
    }

    int offset() {
        return offset;
    }
}
