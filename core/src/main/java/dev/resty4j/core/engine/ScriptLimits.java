package dev.resty4j.core.engine;

import dev.resty4j.Location;
import dev.resty4j.Resty;
import dev.resty4j.core.shdict.Sizes;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The bounds a script runs under, from the limit directives: what OpenResty cannot stop (a runaway loop,
 * a string built until the process dies) must not take down the JVM resty4j is embedded in.
 *
 * <ul>
 *   <li>{@code lua_script_budget TIME} (default {@code 1s}, {@code off} = none): running time of one
 *       handler run (a phase script, a timer callback, a light thread); time spent suspended in I/O or
 *       {@code ngx.sleep} does not count.</li>
 *   <li>{@code lua_script_instructions N} (default {@code off}): VM instructions per handler run.</li>
 *   <li>{@code lua_memory_budget SIZE} (default {@code 64m}): bytes a handler run may allocate through the
 *       allocation-heavy calls ({@code string.rep}, {@code table.concat}, {@code ngx.say}/{@code ngx.print},
 *       {@code ngx.re.gsub}/{@code sub}).</li>
 *   <li>{@code lua_output_limit SIZE} (default {@code 64m}, at least 64k): response body bytes buffered
 *       (printed and not yet flushed) at once.</li>
 * </ul>
 * Each is read from the location first, then the http level; the builder sets them with
 * {@link Location.Builder#directive} or {@link Resty.Builder#httpDirective}.
 *
 * @param timeBudgetNanos   running-time budget per handler run, 0 = none
 * @param instructionBudget VM instructions per handler run, 0 = none
 * @param memoryBudget      bytes allocated per handler run at the checked calls, 0 = none
 * @param outputLimit       buffered response bytes, 0 = none
 */
public record ScriptLimits(long timeBudgetNanos, long instructionBudget, long memoryBudget, long outputLimit) {

    public static final String TIME_BUDGET = "lua_script_budget";
    public static final String INSTRUCTION_BUDGET = "lua_script_instructions";
    public static final String MEMORY_BUDGET = "lua_memory_budget";
    public static final String OUTPUT_LIMIT = "lua_output_limit";
    /** The limit directives, accepted at http, server and location level. */
    public static final Set<String> DIRECTIVES = Set.of(TIME_BUDGET, INSTRUCTION_BUDGET, MEMORY_BUDGET, OUTPUT_LIMIT);

    public static final long DEFAULT_TIME_BUDGET_NANOS = 1_000_000_000L;
    public static final long DEFAULT_MEMORY_BUDGET = 64L << 20;
    public static final long DEFAULT_OUTPUT_LIMIT = 64L << 20;
    /** Output below this size is never checked (so small responses pay nothing for the limit). */
    public static final long MIN_OUTPUT_LIMIT = 64L << 10;

    public static final ScriptLimits DEFAULTS = new ScriptLimits(DEFAULT_TIME_BUDGET_NANOS, 0, DEFAULT_MEMORY_BUDGET,
            DEFAULT_OUTPUT_LIMIT);

    /**
     * The limits of a location (null: outside any location, e.g. timers and init phases), the location's
     * directives overriding the http level's. {@link Resty.Settings#maxScriptMillis()}, when set, is the
     * default time budget.
     */
    public static ScriptLimits of(Resty.Settings settings, Location location) {
        long time = settings.maxScriptMillis() > 0 ? settings.maxScriptMillis() * 1_000_000L : DEFAULT_TIME_BUDGET_NANOS;
        return new ScriptLimits(
                value(settings, location, TIME_BUDGET, time),
                value(settings, location, INSTRUCTION_BUDGET, 0),
                value(settings, location, MEMORY_BUDGET, DEFAULT_MEMORY_BUDGET),
                value(settings, location, OUTPUT_LIMIT, DEFAULT_OUTPUT_LIMIT));
    }

    private static long value(Resty.Settings settings, Location location, String name, long dflt) {
        List<String> args = location == null ? null : location.directive(name);
        if (args == null) {
            args = settings.directive(name);
        }
        if (args == null || args.isEmpty()) {
            return dflt;
        }
        return parse(name, args.get(0));
    }

    /**
     * Parses a limit directive's value: nginx time ({@code 500ms}, {@code 2s}, {@code 1m}) for the time
     * budget, nginx size ({@code 512k}, {@code 64m}) for memory and output, a count for instructions;
     * {@code off} or {@code 0} means no limit.
     *
     * @throws IllegalArgumentException with a message naming the directive
     */
    public static long parse(String directive, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("off") || v.equals("0")) {
            return 0;
        }
        try {
            long n = switch (directive) {
                case TIME_BUDGET -> timeNanos(v);
                case INSTRUCTION_BUDGET -> Long.parseLong(v);
                case MEMORY_BUDGET, OUTPUT_LIMIT -> Sizes.parseSize(v);
                default -> throw new IllegalArgumentException("unknown limit directive");
            };
            if (n <= 0) {
                throw new IllegalArgumentException("not positive");
            }
            if (directive.equals(OUTPUT_LIMIT) && n < MIN_OUTPUT_LIMIT) {
                throw new IllegalArgumentException("below the minimum of 64k");
            }
            return n;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid value \"" + value + "\" in \"" + directive + "\" directive"
                    + (e.getMessage() != null && e.getMessage().contains("minimum") ? ": " + e.getMessage() : ""));
        }
    }

    /** nginx time syntax, one unit: ms, s (default), m, h. */
    private static long timeNanos(String v) {
        String[][] units = {{"ms", "1000000"}, {"s", "1000000000"}, {"m", "60000000000"}, {"h", "3600000000000"}};
        for (String[] u : units) {
            if (v.endsWith(u[0]) && !(u[0].equals("s") && v.endsWith("ms"))) {
                return Math.multiplyExact(Long.parseLong(v.substring(0, v.length() - u[0].length())), Long.parseLong(u[1]));
            }
        }
        return Math.multiplyExact(Long.parseLong(v), 1_000_000_000L);
    }

    /** A human-readable form of a time budget, e.g. {@code 1000 ms}. */
    public static String millis(long nanos) {
        return (nanos / 1_000_000) + " ms";
    }
}
