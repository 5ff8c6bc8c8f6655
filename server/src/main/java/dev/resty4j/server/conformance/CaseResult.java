package dev.resty4j.server.conformance;

/**
 * The outcome of one case.
 *
 * @param id         the case id ({@code t/043-shdict.t#1})
 * @param area       the case area
 * @param outcome    passed, failed or skipped
 * @param reason     why it failed or was skipped ({@code null} when it passed)
 * @param durationMs wall-clock time spent on the case
 */
public record CaseResult(String id, String area, Outcome outcome, String reason, long durationMs) {

    /** Skipped is not failed: skipped cases are left out of the pass rate. */
    public enum Outcome {
        PASSED, FAILED, SKIPPED;

        /** Lower-case name used in reports ({@code passed}, {@code failed}, {@code skipped}). */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
