package dev.resty4j.core.regex;

/** A pattern that does not compile; the message is OpenResty's ({@code pcre2_compile() failed: ...}). */
public final class RegexCompileException extends Exception {

    RegexCompileException(String message) {
        super(message, null, false, false);
    }
}
