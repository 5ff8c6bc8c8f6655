package dev.resty4j.core.regex;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;

/**
 * Matching one compiled pattern against one subject, possibly several times from increasing offsets
 * (gmatch, gsub, split), as {@code pcre2_match} with a start offset does: lookbehind and {@code \b}
 * see the text before the offset, {@code ^} does not match there, {@code \G} does.
 *
 * <h2>Bounded work</h2>
 * Each {@link #exec} gets a fresh budget of subject reads ({@link BoundedText}); running out is
 * PCRE's match-limit error. java.util.regex also recurses once per iteration of a repeated group,
 * and a virtual thread's stack holds only about a thousand such iterations, where PCRE2 (whose
 * backtracking lives on the heap) holds millions. So a match that overflows the stack is run again
 * on a platform thread with a large stack ({@value #DEEP_STACK_MB} MB); only if that overflows too is
 * it an error ({@code PCRE2_ERROR_DEPTHLIMIT}). The worker stays held meanwhile, as an nginx worker
 * is during {@code pcre2_match}.
 *
 * <h2>DFA mode ({@code d})</h2>
 * PCRE's DFA matcher returns the longest match starting at the leftmost position where any match
 * starts. The backtracking matcher finds that position; the longest end is then found by trying
 * longer spans with {@link Matcher#matches()} over the region, stopping as soon as a failed attempt
 * did not reach the region's end (no longer span can match then). DFA mode ignores
 * {@code lua_regex_match_limit} as PCRE does, but still runs on the default budget.
 */
final class Execution {

    static final int DEEP_STACK_MB = 512;

    private static final ExecutorService DEEP_STACK = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(null, r, "resty4j-regex-deep-stack", (long) DEEP_STACK_MB << 20);
                t.setDaemon(true);
                return t;
            });

    private final CompiledRegex re;
    private final String subject;
    private final Utf8Text utf;
    private final int utfError;
    private final BoundedText text;
    private final Matcher m;
    private final long budget;

    /**
     * @param subject the subject byte string
     * @param budget  subject reads allowed per {@link #exec}
     */
    Execution(CompiledRegex re, String subject, long budget) {
        this.re = re;
        this.subject = subject;
        this.budget = budget;
        RegexFlags f = re.flags();
        String chars = subject;
        Utf8Text u = null;
        int err = 0;
        if (f.utf8()) {
            err = f.noUtf8Check() ? 0 : (int) Utf8Text.check(subject);
            u = Utf8Text.decode(subject);
            chars = u.chars;
        }
        this.utf = u;
        this.utfError = err;
        this.text = new BoundedText(chars);
        this.m = re.pattern().matcher(text);
        m.useTransparentBounds(true);
        m.useAnchoringBounds(false);
    }

    String subject() {
        return subject;
    }

    CompiledRegex regex() {
        return re;
    }

    /**
     * Matches from byte offset {@code start}.
     *
     * @return the capture offsets in bytes as PCRE's ovector ({@code [start0, end0, start1, end1, ...]},
     *         -1 for groups that did not participate; only the whole match in DFA mode), or null when
     *         there is no match
     * @throws RegexExecException with the PCRE2 error code OpenResty would report
     */
    int[] exec(int start) throws RegexExecException {
        if (utfError != 0) {
            throw new RegexExecException(utfError);
        }
        if (start < 0 || start > subject.length()) {
            throw new RegexExecException(RegexExecException.BAD_OFFSET);
        }
        int from = start;
        if (utf != null) {
            from = utf.charIndex(start);
            if (from < 0) {
                if (!re.flags().noUtf8Check()) {
                    throw new RegexExecException(RegexExecException.BAD_UTF_OFFSET);
                }
                int b = start;
                while (from < 0) {
                    from = utf.charIndex(++b);
                }
            }
        }
        int fromChar = from;
        return guarded(() -> search(fromChar));
    }

    /** Runs {@code op} under the budget, again on a deep stack if it overflows this one. */
    private int[] guarded(Supplier<int[]> op) throws RegexExecException {
        try {
            return op.get();
        } catch (BoundedText.LimitExceeded e) {
            throw new RegexExecException(RegexExecException.MATCH_LIMIT);
        } catch (StackOverflowError e) {
            try {
                return CompletableFuture.supplyAsync(op, DEEP_STACK).join();
            } catch (CompletionException ce) {
                Throwable cause = ce.getCause();
                if (cause instanceof BoundedText.LimitExceeded) {
                    throw new RegexExecException(RegexExecException.MATCH_LIMIT);
                }
                if (cause instanceof StackOverflowError) {
                    throw new RegexExecException(RegexExecException.DEPTH_LIMIT);
                }
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                throw ce;
            }
        }
    }

    private int[] search(int from) {
        text.budget(budget);
        m.region(from, text.length());
        boolean found = re.flags().anchored() ? m.lookingAt() : m.find();
        if (!found) {
            return null;
        }
        int s = m.start();
        if (re.flags().dfa()) {
            return new int[] {bytes(s), bytes(longestEnd(s, m.end()))};
        }
        int groups = re.captureCount();
        int[] ov = new int[2 * (groups + 1)];
        for (int g = 0; g <= groups; g++) {
            int gs = m.start(g);
            ov[2 * g] = gs < 0 ? -1 : bytes(gs);
            ov[2 * g + 1] = gs < 0 ? -1 : bytes(m.end(g));
        }
        return ov;
    }

    /** DFA mode: the end of the longest match starting at {@code s} (see the class comment). */
    private int longestEnd(int s, int end) {
        String chars = text.toString();
        int best = end;
        for (int e = end + 1; e <= chars.length(); e++) {
            if (e < chars.length() && Character.isLowSurrogate(chars.charAt(e))
                    && Character.isHighSurrogate(chars.charAt(e - 1))) {
                continue; // never split a surrogate pair
            }
            m.region(s, e);
            if (m.matches()) {
                best = e;
            } else if (!m.hitEnd()) {
                break;
            }
        }
        return best;
    }

    private int bytes(int charPos) {
        return utf == null ? charPos : utf.byteOffset(charPos);
    }
}
