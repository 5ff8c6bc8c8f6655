package dev.resty4j.core.regex;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One match: the capture table {@code ngx.re.match} returns, as offsets into the subject byte
 * string. Engines build their table from it: index {@code 0..}{@link #groupCount()}, each the
 * captured bytes or {@code false} when the group did not participate, plus {@link #named()}.
 */
public final class Captures {

    private final String subject;
    private final int[] ov;
    private final CompiledRegex re;

    Captures(String subject, int[] ov, CompiledRegex re) {
        this.subject = subject;
        this.ov = ov;
        this.re = re;
    }

    /** The subject byte string the offsets refer to. */
    public String subject() {
        return subject;
    }

    /** The highest capture index ({@code 0} in DFA mode). */
    public int groupCount() {
        return ov.length / 2 - 1;
    }

    /** Byte offset where group {@code g} starts, or -1 when it did not participate. */
    public int start(int g) {
        return ov[2 * g];
    }

    /** Byte offset after group {@code g}, or -1 when it did not participate. */
    public int end(int g) {
        return ov[2 * g + 1];
    }

    /** The captured bytes of group {@code g}, or null when it did not participate. */
    public String group(int g) {
        return ov[2 * g] < 0 ? null : subject.substring(ov[2 * g], ov[2 * g + 1]);
    }

    /**
     * Named captures as OpenResty sets them in the result table, in its name-table order. Without the
     * {@code D} option a name maps to its captured bytes or {@link Boolean#FALSE}; with {@code D} it
     * maps to the list of the captures of that name that participated (names with none are left out).
     */
    public Map<String, Object> named() {
        Map<String, int[]> names = re.names();
        if (names.isEmpty() || re.flags().dfa()) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        boolean dup = re.flags().dupNames();
        names.forEach((name, groups) -> {
            if (dup) {
                List<String> caps = new ArrayList<>(groups.length);
                for (int g : groups) {
                    if (ov[2 * g] >= 0) {
                        caps.add(group(g));
                    }
                }
                if (!caps.isEmpty()) {
                    out.put(name, caps);
                }
            } else {
                // a name repeated through (?J) without D: the last group wins, as the table is filled in order
                int g = groups[groups.length - 1];
                out.put(name, ov[2 * g] < 0 ? Boolean.FALSE : group(g));
            }
        });
        return out;
    }

    int[] offsets() {
        return ov;
    }
}
