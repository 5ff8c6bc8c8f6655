package dev.resty4j.core.regex;

/**
 * The subject as java.util.regex reads it, counting every character read against a budget. A
 * backtracking matcher reads the subject on every step, so the count bounds the work of one match
 * the way PCRE's match limit ({@code lua_regex_match_limit}) does: when it runs out, the read throws
 * {@link LimitExceeded} and the match is abandoned instead of hanging the worker.
 */
final class BoundedText implements CharSequence {

    /** Thrown from {@link #charAt} when the budget is spent; preallocated, no stack trace. */
    static final class LimitExceeded extends RuntimeException {
        static final LimitExceeded INSTANCE = new LimitExceeded();

        private LimitExceeded() {
            super("regex match limit exceeded", null, false, false);
        }
    }

    private final String text;
    private long remaining;

    BoundedText(String text) {
        this.text = text;
    }

    /** Starts a new match with {@code reads} character reads allowed. */
    void budget(long reads) {
        this.remaining = reads;
    }

    @Override
    public char charAt(int index) {
        if (--remaining < 0) {
            throw LimitExceeded.INSTANCE;
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end);
    }

    @Override
    public String toString() {
        return text;
    }
}
