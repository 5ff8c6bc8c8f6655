package dev.resty4j.core.regex;

/**
 * A match that could not complete, with the PCRE2 error code OpenResty reports as
 * {@code "pcre_exec() failed: CODE"}.
 */
final class RegexExecException extends Exception {

    /** {@code PCRE2_ERROR_MATCHLIMIT}: the match budget ({@code lua_regex_match_limit}) ran out. */
    static final int MATCH_LIMIT = -47;
    /** {@code PCRE2_ERROR_DEPTHLIMIT}: the backtracking nested too deep even on the deep stack. */
    static final int DEPTH_LIMIT = -53;
    /** {@code PCRE2_ERROR_BADOFFSET}: the start offset is beyond the subject. */
    static final int BAD_OFFSET = -33;
    /** {@code PCRE2_ERROR_BADUTFOFFSET}: the start offset is inside a UTF-8 character. */
    static final int BAD_UTF_OFFSET = -36;

    private final int code;

    RegexExecException(int code) {
        super("pcre_exec() failed: " + code, null, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }
}
