package dev.resty4j.server.conformance;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Summaries of a run: the per-area table, the final line and the JSON report.
 *
 * <p>The pass rate is {@code passed / (passed + failed)}: skipped cases are out of scope and do not
 * count against it ({@code -} when an area has nothing but skipped cases).
 */
public final class ConformanceReport {

    /** Counts for one area (or the total). */
    public record Counts(int passed, int failed, int skipped) {

        Counts plus(CaseResult r) {
            return switch (r.outcome()) {
                case PASSED -> new Counts(passed + 1, failed, skipped);
                case FAILED -> new Counts(passed, failed + 1, skipped);
                case SKIPPED -> new Counts(passed, failed, skipped + 1);
            };
        }

        /** {@code "97.5"}, or {@code "-"} when nothing was run. */
        public String passPercent() {
            int run = passed + failed;
            return run == 0 ? "-" : String.format(Locale.ROOT, "%.1f", 100.0 * passed / run);
        }
    }

    private final List<CaseResult> results;

    public ConformanceReport(List<CaseResult> results) {
        this.results = List.copyOf(results);
    }

    /** Counts per area, sorted by area name. */
    public Map<String, Counts> byArea() {
        Map<String, Counts> out = new TreeMap<>();
        for (CaseResult r : results) {
            out.merge(r.area(), new Counts(0, 0, 0).plus(r), (a, b) -> new Counts(a.passed() + b.passed(),
                    a.failed() + b.failed(), a.skipped() + b.skipped()));
        }
        return out;
    }

    /** Counts over all areas. */
    public Counts total() {
        Counts t = new Counts(0, 0, 0);
        for (CaseResult r : results) {
            t = t.plus(r);
        }
        return t;
    }

    /** The per-area table, a TOTAL row, then {@link #finalLine()}; lines end with {@code \n}. */
    public String table() {
        Map<String, Counts> areas = byArea();
        int width = Math.max("TOTAL".length(), areas.keySet().stream().mapToInt(String::length).max().orElse(4));
        String fmt = "%-" + width + "s  %7s  %7s  %7s  %7s%n";
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, fmt, "area", "passed", "failed", "skipped", "pass %"));
        areas.forEach((area, c) -> b.append(row(fmt, area, c)));
        b.append(row(fmt, "TOTAL", total()));
        b.append(finalLine()).append('\n');
        return b.toString();
    }

    private static String row(String fmt, String name, Counts c) {
        return String.format(Locale.ROOT, fmt, name, c.passed(), c.failed(), c.skipped(), c.passPercent());
    }

    /** Exactly {@code conformance: N passed, M failed, K skipped}. */
    public String finalLine() {
        Counts t = total();
        return "conformance: " + t.passed() + " passed, " + t.failed() + " failed, " + t.skipped() + " skipped";
    }

    /**
     * Writes the JSON report: {@code summary} (totals), {@code areas} (counts and pass rate per
     * area) and {@code cases} (id, area, outcome, reason, duration_ms per case, in run order).
     */
    public void writeJson(Path file, Map<String, String> meta) throws IOException {
        JsonObject root = new JsonObject();
        JsonObject m = new JsonObject();
        meta.forEach(m::put);
        root.put("meta", m);
        root.put("summary", counts(total()));
        JsonObject areas = new JsonObject();
        byArea().forEach((area, c) -> areas.put(area, counts(c)));
        root.put("areas", areas);
        JsonArray cases = new JsonArray();
        for (CaseResult r : results) {
            cases.add(new JsonObject()
                    .put("id", r.id())
                    .put("area", r.area())
                    .put("outcome", r.outcome().label())
                    .put("reason", r.reason()) // null when passed
                    .put("duration_ms", r.durationMs()));
        }
        root.put("cases", cases);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, root.encodePrettily() + "\n", StandardCharsets.UTF_8);
    }

    private static JsonObject counts(Counts c) {
        return new JsonObject().put("passed", c.passed()).put("failed", c.failed()).put("skipped", c.skipped())
                .put("pass_percent", c.passPercent());
    }
}
