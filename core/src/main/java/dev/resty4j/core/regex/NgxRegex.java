package dev.resty4j.core.regex;

import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.worker.Worker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The semantics of {@code ngx.re.match}, {@code find}, {@code gmatch}, {@code sub}, {@code gsub} and
 * lua-resty-core's {@code ngx.re.split} / {@code opt}, on byte strings (Latin-1 Java strings), with
 * OpenResty's results and error strings. One instance per worker VM: it holds the worker's cache of
 * patterns compiled with the {@code o} option.
 *
 * <h2>Errors</h2>
 * As in OpenResty, a bad option letter is a Lua error ({@link NgxApiException}); a pattern that does
 * not compile ({@code pcre2_compile() failed: ...}), a failed match ({@code pcre_exec() failed: N})
 * and a bad replacement template ({@code failed to compile the replacement template}, with the
 * reason in the error log) are returned as the error value.
 *
 * <h2>Match limit</h2>
 * {@code lua_regex_match_limit N} bounds each match to about {@code N} PCRE backtracking steps. The
 * JVM matcher is bounded by subject reads instead ({@link BoundedText}), {@value #READS_PER_STEP}
 * reads per step: the ratio measured on OpenResty's own match-limit tests, rounded up so a pattern
 * PCRE2 completes within a limit completes here too. Without the directive (PCRE2's default is 10
 * million steps, which PCRE2's JIT runs in well under a second) a match may read
 * {@value #DEFAULT_BUDGET} characters, about half a second of backtracking. Running out is
 * {@code pcre_exec() failed: -47} ({@code PCRE2_ERROR_MATCHLIMIT}), as in OpenResty.
 *
 * <h2>Positions</h2>
 * All offsets are byte offsets, also under {@code u} (the subject is decoded to match and offsets
 * are mapped back). {@code start} parameters are 0-based; see {@link #startOffset(double)} for
 * {@code ctx.pos}.
 */
public final class NgxRegex {

    /** Subject reads that stand for one PCRE backtracking step of {@code lua_regex_match_limit}. */
    public static final long READS_PER_STEP = 300;
    /** Subject reads one match may do when no match limit is configured (and in DFA mode). */
    public static final long DEFAULT_BUDGET = 100_000_000L;
    /** {@code lua_regex_cache_max_entries}' default. */
    public static final int DEFAULT_CACHE_ENTRIES = 1024;

    private final long matchBudget;
    private final int cacheMaxEntries;
    private final Consumer<String> errorLog;
    private final Map<CacheKey, CompiledRegex> cache;

    private record CacheKey(String regex, String opts) {
    }

    /**
     * @param matchLimit      {@code lua_regex_match_limit} (0 = the default budget)
     * @param cacheMaxEntries {@code lua_regex_cache_max_entries} (0 disables the {@code o} cache)
     * @param errorLog        receives the messages OpenResty writes to the error log at level error
     */
    public NgxRegex(long matchLimit, int cacheMaxEntries, Consumer<String> errorLog) {
        this.matchBudget = matchLimit <= 0 ? DEFAULT_BUDGET
                : matchLimit > Long.MAX_VALUE / READS_PER_STEP ? Long.MAX_VALUE : matchLimit * READS_PER_STEP;
        this.cacheMaxEntries = Math.max(0, cacheMaxEntries);
        this.errorLog = errorLog;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<CacheKey, CompiledRegex> eldest) {
                return size() > NgxRegex.this.cacheMaxEntries;
            }
        };
    }

    /** The instance for a worker: limits from the http-level directives, errors to the error log. */
    public static NgxRegex forWorker(Worker worker) {
        var settings = worker.resty().settings();
        long limit = number(settings.directive("lua_regex_match_limit"), 0);
        int entries = (int) number(settings.directive("lua_regex_cache_max_entries"), DEFAULT_CACHE_ENTRIES);
        return new NgxRegex(limit, entries, msg -> {
            RequestContext req = worker.current();
            worker.resty().logger().log(LogLevel.ERR, req != null && req.method() != null ? req : null, msg);
        });
    }

    private static long number(List<String> args, long dflt) {
        if (args == null || args.isEmpty()) {
            return dflt;
        }
        try {
            return Long.parseLong(args.get(0).trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** The 0-based start offset for a {@code ctx.pos} value (1-based; absent or {@code <= 0} means the start). */
    public static int startOffset(double ctxPos) {
        if (!(ctxPos > 0)) {
            return 0;
        }
        return ctxPos >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) ctxPos - 1;
    }

    // ---------------------------------------------------------------------------------------------
    // results
    // ---------------------------------------------------------------------------------------------

    /** {@code ngx.re.match}: the captures, or neither (no match), or the error string. */
    public record MatchResult(Captures captures, String error) {
        static final MatchResult NO_MATCH = new MatchResult(null, null);

        /** The new {@code ctx.pos} (1-based, after the match); only meaningful with captures. */
        public int nextCtxPos() {
            return captures.end(0) + 1;
        }
    }

    /**
     * {@code ngx.re.find}: {@code from}/{@code to} (1-based, inclusive; {@code from == 0} for nil),
     * the new {@code ctx.pos} ({@code 0}: leave it), and the error string.
     */
    public record FindResult(int from, int to, int ctxPos, String error) {
        static final FindResult NO_MATCH = new FindResult(0, 0, 0, null);
    }

    /** {@code ngx.re.sub}/{@code gsub}: the new string and the number of substitutions, or the error. */
    public record SubResult(String result, int count, String error) {
    }

    /**
     * {@code ngx.re.split}: the pieces, or the error; {@code ctxPos} is the value lua-resty-core leaves in
     * {@code ctx.pos}, and {@code slots} how many result slots it wrote before dropping trailing empty
     * pieces (those slots are cleared in a reused result table).
     */
    public record SplitResult(List<String> parts, int ctxPos, int slots, String error) {
    }

    // ---------------------------------------------------------------------------------------------
    // operations
    // ---------------------------------------------------------------------------------------------

    /** {@code ngx.re.match(subject, regex, opts, ctx)} from byte offset {@code start}. */
    public MatchResult match(String subject, String regex, String opts, int start) {
        RegexFlags flags = RegexFlags.parse(opts);
        CompiledRegex re;
        try {
            re = compiled(regex, flags);
        } catch (RegexCompileException e) {
            return new MatchResult(null, e.getMessage());
        }
        try {
            int[] ov = new Execution(re, subject, budget(flags)).exec(start);
            return ov == null ? MatchResult.NO_MATCH : new MatchResult(new Captures(subject, ov, re), null);
        } catch (RegexExecException e) {
            return new MatchResult(null, e.getMessage());
        }
    }

    /** {@code ngx.re.find(subject, regex, opts, ctx, nth)} from byte offset {@code start}. */
    public FindResult find(String subject, String regex, String opts, int start, int nth) {
        MatchResult m = match(subject, regex, opts, start);
        if (m.error() != null) {
            return new FindResult(0, 0, 0, m.error());
        }
        if (m.captures() == null) {
            return FindResult.NO_MATCH;
        }
        Captures c = m.captures();
        int ctxPos = m.nextCtxPos();
        int g = Math.max(nth, 0);
        if (g > c.groupCount()) {
            return new FindResult(0, 0, ctxPos, "nth out of bound");
        }
        if (c.start(g) < 0) {
            return new FindResult(0, 0, ctxPos, null);
        }
        return new FindResult(c.start(g) + 1, c.end(g), ctxPos, null);
    }

    /**
     * {@code ngx.re.gmatch(subject, regex, opts)}.
     *
     * @throws RegexCompileException for a pattern that does not compile ({@code nil, err} in Lua)
     */
    public Gmatch gmatch(String subject, String regex, String opts) throws RegexCompileException {
        RegexFlags flags = RegexFlags.parse(opts);
        return new Gmatch(new Execution(compiled(regex, flags), subject, budget(flags)));
    }

    /** The iterator {@code ngx.re.gmatch} returns. */
    public static final class Gmatch {
        private final Execution ex;
        private int offset;

        private Gmatch(Execution ex) {
            this.ex = ex;
        }

        /** The next match; no captures and no error once the subject is exhausted (or after an error). */
        public MatchResult next() {
            if (offset < 0) {
                return MatchResult.NO_MATCH;
            }
            int[] ov;
            try {
                ov = ex.exec(offset);
            } catch (RegexExecException e) {
                offset = -1;
                return new MatchResult(null, e.getMessage());
            }
            if (ov == null) {
                offset = -1;
                return MatchResult.NO_MATCH;
            }
            // after an empty match, retry one byte further (as OpenResty does, not at the same spot)
            offset = ov[1] == ov[0] ? ov[1] + 1 : ov[1];
            if (offset > ex.subject().length()) {
                offset = -1;
            }
            return new MatchResult(new Captures(ex.subject(), ov, ex.regex()), null);
        }
    }

    /** {@code ngx.re.sub} ({@code global = false}) / {@code gsub} with a replacement template. */
    public SubResult sub(String subject, String regex, String template, String opts, boolean global) {
        RegexFlags flags = RegexFlags.parse(opts);
        CompiledRegex re;
        try {
            re = compiled(regex, flags);
        } catch (RegexCompileException e) {
            return new SubResult(null, 0, e.getMessage());
        }
        ReplaceTemplate tpl;
        try {
            tpl = ReplaceTemplate.compile(template);
        } catch (ReplaceTemplate.TemplateException e) {
            errorLog.accept(e.getMessage());
            return new SubResult(null, 0, "failed to compile the replacement template");
        }
        return substitute(new Execution(re, subject, budget(flags)), global,
                (out, ov) -> tpl.expand(out, subject, ov));
    }

    /** {@code ngx.re.sub} / {@code gsub} with a replacement function (its result as a byte string). */
    public SubResult sub(String subject, String regex, Function<Captures, String> fn, String opts, boolean global) {
        RegexFlags flags = RegexFlags.parse(opts);
        CompiledRegex re;
        try {
            re = compiled(regex, flags);
        } catch (RegexCompileException e) {
            return new SubResult(null, 0, e.getMessage());
        }
        return substitute(new Execution(re, subject, budget(flags)), global,
                (out, ov) -> out.append(fn.apply(new Captures(subject, ov, re))));
    }

    private interface Replacer {
        void append(StringBuilder out, int[] ov);
    }

    private static SubResult substitute(Execution ex, boolean global, Replacer replacer) {
        String subject = ex.subject();
        int len = subject.length();
        StringBuilder out = null;
        int count = 0;
        int pos = 0;
        int copied = 0;
        while (true) {
            int[] ov;
            try {
                ov = ex.exec(pos);
            } catch (RegexExecException e) {
                return new SubResult(null, 0, e.getMessage());
            }
            if (ov == null) {
                break;
            }
            if (out == null) {
                out = new StringBuilder(len + 16);
            }
            count++;
            out.append(subject, copied, ov[0]);
            replacer.append(out, ov);
            copied = ov[1];
            pos = copied;
            if (pos == ov[0]) {
                pos++;
                if (pos > len) {
                    break;
                }
            }
            if (!global) {
                break;
            }
        }
        if (count == 0) {
            return new SubResult(subject, 0, null);
        }
        // OpenResty appends the rest only while its search offset is inside the subject, which drops
        // the last byte after an empty match just before the end; the rest is always kept here
        out.append(subject, copied, len);
        return new SubResult(out.toString(), count, null);
    }

    /**
     * {@code require("ngx.re").split(subject, regex, opts, ctx, max)}, following lua-resty-core's
     * algorithm (empty matches, the first capture kept between pieces, trailing empty pieces dropped
     * when there is no {@code max}).
     *
     * @param ctxPos {@code ctx.pos} (1-based; {@code <= 0} for absent)
     * @param max    at most this many pieces ({@code <= 0}: no limit)
     */
    public SplitResult split(String subject, String regex, String opts, int ctxPos, int max) {
        int len = subject.length();
        int subIdx = Math.max(ctxPos, 1);
        if (subIdx > len) {
            return new SplitResult(List.of(), ctxPos, 0, null);
        }
        RegexFlags flags = RegexFlags.parse(opts);
        CompiledRegex re;
        try {
            re = compiled(regex, flags);
        } catch (RegexCompileException e) {
            return new SplitResult(null, ctxPos, 0, e.getMessage());
        }
        Execution ex = new Execution(re, subject, budget(flags));
        List<String> res = new ArrayList<>();
        int pos = subIdx - 1; // lua-resty-core keeps the search offset, 0-based, in ctx.pos
        int lastEmpty = 0;    // 1-based start of the last empty match, 0 for none
        int count = 1;
        while (max <= 0 || count < max) {
            int[] ov;
            try {
                ov = ex.exec(Math.max(pos, 0));
            } catch (RegexExecException e) {
                return new SplitResult(null, pos, 0, e.getMessage());
            }
            if (ov == null) {
                break;
            }
            pos = ov[0] == ov[1] ? ov[1] + 1 : ov[1];
            int from = ov[0] + 1;
            int to = ov[1] + 1;
            String capture = re.captureCount() > 0 && ov[2] >= 0 ? subject.substring(ov[2], ov[3]) : null;
            if (lastEmpty > 0) {
                subIdx = lastEmpty;
            }
            if (from == to) {
                lastEmpty = from;
            }
            if (from > subIdx || lastEmpty == 0) {
                count++;
                res.add(luaSub(subject, subIdx, from - 1));
                if (capture != null) {
                    res.add(capture);
                }
                subIdx = to;
                if (subIdx > len) {
                    break;
                }
            }
        }
        int slots = res.size();
        if (max <= 0 && subIdx > len) {
            while (!res.isEmpty() && res.get(res.size() - 1).isEmpty()) {
                res.remove(res.size() - 1);
            }
        } else {
            res.add(luaSub(subject, subIdx, len));
            slots = res.size();
        }
        return new SplitResult(res, pos, slots, null);
    }

    /** Lua's {@code string.sub(s, i, j)} for {@code 1 <= i}. */
    private static String luaSub(String s, int i, int j) {
        int to = Math.min(j, s.length());
        return i > to ? "" : s.substring(i - 1, to);
    }

    /**
     * {@code require("ngx.re").opt(name, value)}: only {@code jit_stack_size} exists, and there is no
     * PCRE JIT stack on the JVM, so it only checks what OpenResty checks.
     */
    public void opt(String name) {
        if ("jit_stack_size".equals(name)) {
            if (!cache.isEmpty()) {
                throw new NgxApiException("changing jit stack size is not allowed when some regexs have already "
                        + "been compiled and cached");
            }
            return;
        }
        throw new NgxApiException("unrecognized option name");
    }

    // ---------------------------------------------------------------------------------------------

    private long budget(RegexFlags flags) {
        return flags.dfa() ? DEFAULT_BUDGET : matchBudget;
    }

    /** Compiles, through the worker's LRU cache when the {@code o} option asks for it. */
    private CompiledRegex compiled(String regex, RegexFlags flags) throws RegexCompileException {
        if (!flags.compileOnce() || cacheMaxEntries == 0) {
            return CompiledRegex.compile(regex, flags);
        }
        CacheKey key = new CacheKey(regex, flags.text());
        CompiledRegex re = cache.get(key);
        if (re == null) {
            re = CompiledRegex.compile(regex, flags);
            cache.put(key, re);
        }
        return re;
    }

    /** Number of cached compiled patterns (for tests and diagnostics). */
    public int cachedPatterns() {
        return cache.size();
    }
}
