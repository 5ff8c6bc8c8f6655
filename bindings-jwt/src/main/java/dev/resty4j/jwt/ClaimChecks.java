package dev.resty4j.jwt;

import dev.resty4j.core.api.NgxTime;
import java.util.Map;

/**
 * The time-based claim checks ({@code exp}, {@code nbf}, "is at"), with lua-resty-jwt's failure messages.
 * {@code verify} applies exp / nbf by default when no claim spec is given; {@code resty.jwt-validators}'
 * date validators call the same checks.
 */
public final class ClaimChecks {

    /** What a date validator checks. */
    public enum DateRule {
        /** {@code val > now - leeway}. */
        NOT_EXPIRED("expired at"),
        /** {@code val <= now + leeway}. */
        NOT_BEFORE("not valid until"),
        /** {@code now - leeway <= val <= now + leeway}. */
        IS_AT("is only valid at");

        final String failure;

        DateRule(String failure) {
            this.failure = failure;
        }
    }

    private ClaimChecks() {
    }

    /**
     * Checks one date claim. Null means it passes (a missing value passes: callers that require the claim
     * check presence first); otherwise the reason.
     */
    public static String date(DateRule rule, Object val, String claim, double leeway, double now) {
        if (val == null) {
            return null;
        }
        if (!(val instanceof Number n) || n.doubleValue() < 0 || Double.isNaN(n.doubleValue())) {
            return "'" + claim + "' is malformed.  Expected to be a positive numeric value.";
        }
        double v = n.doubleValue();
        boolean ok = switch (rule) {
            case NOT_EXPIRED -> v > now - leeway;
            case NOT_BEFORE -> v <= now + leeway;
            case IS_AT -> v >= now - leeway && v <= now + leeway;
        };
        return ok ? null : "'" + claim + "' claim " + rule.failure + " " + NgxTime.httpTime((long) v);
    }

    /** verify's default checks: {@code exp} and {@code nbf} when present. Null when both pass. */
    static String defaults(Map<String, Object> payload, double leeway, double now) {
        String r = date(DateRule.NOT_EXPIRED, payload.get("exp"), "exp", leeway, now);
        return r != null ? r : date(DateRule.NOT_BEFORE, payload.get("nbf"), "nbf", leeway, now);
    }
}
