package dev.resty4j.server.conformance;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The {@code conformance} command: loads the cases, runs them against a resty4j host and prints a
 * per-area table followed by exactly {@code conformance: N passed, M failed, K skipped}.
 *
 * <pre>
 * --cases DIR        case directory (cases/AREA/*.json), required
 * --report FILE      write a JSON report (per case: id, area, outcome, reason, duration_ms)
 * --area NAME        only this area (repeatable, or comma-separated)
 * --id SUBSTRING     only cases whose id or file name contains SUBSTRING (repeatable)
 * --host NAME        host implementation handed to the factory chooser (vertx, netty); default vertx
 * --timeout-s SECS   default client timeout per request (3); a case's client_timeout_s wins
 * --parallel N       run N cases at a time (1)
 * --keep             keep the per-case directories (generated nginx.conf etc.)
 * -v, --verbose      print every case's outcome and reason as it finishes
 * -h, --help         this text
 * </pre>
 *
 * The exit code is 0 whatever the results; 2 when the arguments are wrong (including an unknown
 * host or a missing case directory).
 */
public final class ConformanceCommand {

    /** Exit code for a completed run, whatever the results. */
    public static final int OK = 0;
    /** Exit code for wrong arguments. */
    public static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: conformance --cases DIR [--report FILE] [--area NAME]... [--id SUBSTRING]...
                               [--host vertx|netty] [--timeout-s SECS] [--parallel N] [--keep] [-v]
            """;

    private final Function<String, CaseServerFactory> hosts;
    private final PrintStream out;
    private final PrintStream err;

    /** Prints to {@code System.out} / {@code System.err}. */
    public ConformanceCommand(Function<String, CaseServerFactory> hosts) {
        this(hosts, System.out, System.err);
    }

    /**
     * @param hosts host name ({@code --host}) to server factory; may return {@code null} or throw
     *              {@link IllegalArgumentException} for an unknown host
     */
    public ConformanceCommand(Function<String, CaseServerFactory> hosts, PrintStream out, PrintStream err) {
        this.hosts = Objects.requireNonNull(hosts, "hosts");
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
    }

    /** Parsed arguments. */
    record Args(Path cases, Path report, List<String> areas, List<String> ids, String host, Duration timeout,
            int parallel, boolean keep, boolean verbose, boolean help) {
    }

    /** Runs the command; returns the process exit code. */
    public int run(String[] argv) {
        Args a;
        try {
            a = parse(argv);
        } catch (IllegalArgumentException e) {
            err.println("conformance: " + e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        }
        if (a.help()) {
            out.print(USAGE_TEXT);
            return OK;
        }
        if (!Files.isDirectory(a.cases())) {
            err.println("conformance: --cases " + a.cases() + " is not a directory");
            return USAGE;
        }
        CaseServerFactory factory;
        try {
            factory = hosts.apply(a.host());
        } catch (IllegalArgumentException e) {
            factory = null;
        }
        if (factory == null) {
            err.println("conformance: unknown --host " + a.host());
            return USAGE;
        }

        CaseLoader.Loaded loaded;
        try {
            loaded = CaseLoader.load(a.cases());
        } catch (IOException e) {
            err.println("conformance: cannot read " + a.cases() + ": " + e.getMessage());
            return USAGE;
        }
        List<ConformanceCase> selected = loaded.cases().stream().filter(c -> selected(a, c)).toList();
        List<CaseResult> results = new ArrayList<>(
                loaded.broken().stream().filter(r -> a.areas().isEmpty() || a.areas().contains(r.area()))
                        .filter(r -> a.ids().isEmpty() || a.ids().stream().anyMatch(r.id()::contains)).toList());
        if (a.verbose()) {
            out.println("conformance: running " + selected.size() + " case(s) from " + a.cases() + " on host "
                    + a.host() + (a.parallel() > 1 ? ", " + a.parallel() + " in parallel" : ""));
            results.forEach(this::printVerbose);
        }

        CaseRunner.Options options = CaseRunner.Options.defaults().withClientTimeout(a.timeout())
                .withKeepDirs(a.keep());
        CaseRunner runner = new CaseRunner(factory, options);
        results.addAll(runner.runAll(selected, a.parallel(), a.verbose() ? this::printVerbose : null));

        ConformanceReport report = new ConformanceReport(results);
        if (a.report() != null) {
            try {
                Map<String, String> meta = new LinkedHashMap<>();
                meta.put("cases_dir", a.cases().toAbsolutePath().toString());
                meta.put("host", a.host());
                meta.put("areas", String.join(",", a.areas()));
                meta.put("ids", String.join(",", a.ids()));
                report.writeJson(a.report(), meta);
            } catch (IOException e) {
                err.println("conformance: cannot write report " + a.report() + ": " + e.getMessage());
            }
        }
        out.print(report.table());
        out.flush();
        return OK;
    }

    private void printVerbose(CaseResult r) {
        out.println(String.format("%-7s %s (%s, %d ms)%s", r.outcome().label(), r.id(), r.area(), r.durationMs(),
                r.reason() == null ? "" : ": " + r.reason()));
    }

    private static boolean selected(Args a, ConformanceCase c) {
        if (!a.areas().isEmpty() && !a.areas().contains(c.area())) {
            return false;
        }
        if (a.ids().isEmpty()) {
            return true;
        }
        String file = c.file() == null ? "" : c.file().getFileName().toString();
        return a.ids().stream().anyMatch(s -> c.id().contains(s) || file.contains(s));
    }

    /** Parses {@code argv}; {@code --opt value} and {@code --opt=value} are both accepted. */
    static Args parse(String[] argv) {
        Path cases = null;
        Path report = null;
        List<String> areas = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        String host = "vertx";
        Duration timeout = Duration.ofSeconds(3);
        int parallel = 1;
        boolean keep = false;
        boolean verbose = false;
        boolean help = false;
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            switch (name) {
                case "-h", "--help" -> help = true;
                case "-v", "--verbose" -> verbose = true;
                case "--keep" -> keep = true;
                case "--cases", "--report", "--area", "--id", "--host", "--timeout-s", "--parallel" -> {
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= argv.length) {
                            throw new IllegalArgumentException(name + " needs a value");
                        }
                        value = argv[++i];
                    }
                    switch (name) {
                        case "--cases" -> cases = Path.of(value);
                        case "--report" -> report = Path.of(value);
                        case "--area" -> splitInto(value, areas);
                        case "--id" -> ids.add(value);
                        case "--host" -> host = value;
                        case "--timeout-s" -> timeout = seconds(value);
                        default -> parallel = positiveInt(name, value);
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        if (cases == null && !help) {
            throw new IllegalArgumentException("--cases DIR is required");
        }
        return new Args(cases, report, List.copyOf(areas), List.copyOf(ids), host, timeout, parallel, keep, verbose,
                help);
    }

    private static void splitInto(String value, List<String> into) {
        for (String s : value.split(",")) {
            if (!s.isBlank()) {
                into.add(s.trim());
            }
        }
    }

    private static Duration seconds(String value) {
        try {
            double s = Double.parseDouble(value);
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(Math.round(s * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--timeout-s needs a positive number of seconds, got " + value);
        }
    }

    private static int positiveInt(String name, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a positive integer, got " + value);
        }
    }
}
