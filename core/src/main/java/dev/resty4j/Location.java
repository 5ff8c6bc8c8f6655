package dev.resty4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A {@code location} block: how request URIs are matched to it (nginx's rules: {@code = exact},
 * {@code ^~ prefix}, {@code ~}/{@code ~*} regex, longest prefix, {@code @named}), the scripts attached to
 * its phases, and the nginx directives it carries ({@code set}, {@code default_type}, {@code return},
 * {@code add_header}, …). Immutable once built.
 */
public final class Location {

    /** How a location matches URIs. */
    public enum Match { EXACT, PREFIX, PREFIX_NOREGEX, REGEX, REGEX_CI, NAMED }

    /** One step of the {@code set} / {@code set_by_lua} sequence, run in order in the rewrite phase. */
    public record SetStep(String variable, String valueTemplate, Script script, List<String> argTemplates) {}

    /** An {@code add_header NAME VALUE [always]} directive. */
    public record AddHeader(String name, String valueTemplate, boolean always) {}

    /** An nginx {@code return CODE [TEXT|URL]} directive. */
    public record Return(int code, String text) {}

    private final Match match;
    private final String path;
    private final Pattern regex;
    private final Map<Phase, Script> scripts;
    /** The same scripts by {@link Phase#ordinal()}: looked up for every phase of every request. */
    private final Script[] scriptByPhase;
    private final List<SetStep> setSteps;
    private final String defaultType;
    private final Return returnDirective;
    private final List<AddHeader> addHeaders;
    private final List<String> clearHeaders;
    private final boolean needRequestBody;
    private final long clientMaxBodySize;
    private final Map<String, List<List<String>>> extraDirectives;
    private final String source;

    private Location(Builder b) {
        this.match = b.match;
        this.path = b.path;
        this.regex = switch (b.match) {
            case REGEX -> Pattern.compile(b.path);
            case REGEX_CI -> Pattern.compile(b.path, Pattern.CASE_INSENSITIVE);
            default -> null;
        };
        this.scripts = Collections.unmodifiableMap(new EnumMap<>(b.scripts));
        this.scriptByPhase = new Script[Phase.values().length];
        b.scripts.forEach((phase, script) -> scriptByPhase[phase.ordinal()] = script);
        this.setSteps = List.copyOf(b.setSteps);
        this.defaultType = b.defaultType;
        this.returnDirective = b.returnDirective;
        this.addHeaders = List.copyOf(b.addHeaders);
        this.clearHeaders = List.copyOf(b.clearHeaders);
        this.needRequestBody = b.needRequestBody;
        this.clientMaxBodySize = b.clientMaxBodySize;
        java.util.LinkedHashMap<String, List<List<String>>> extra = new java.util.LinkedHashMap<>();
        b.extraDirectives.forEach((k, v) -> extra.put(k, List.copyOf(v)));
        this.extraDirectives = java.util.Collections.unmodifiableMap(extra);
        this.source = b.source;
    }

    /** Starts a location from nginx's location syntax: {@code "/p"}, {@code "= /p"}, {@code "^~ /p"}, {@code "~ re"}, {@code "~* re"}, {@code "@name"}. */
    public static Builder builder(String spec) {
        String s = spec.trim();
        if (s.startsWith("@")) {
            return new Builder(Match.NAMED, s);
        }
        int sp = s.indexOf(' ');
        if (sp > 0) {
            String mod = s.substring(0, sp);
            String rest = s.substring(sp + 1).trim();
            switch (mod) {
                case "=": return new Builder(Match.EXACT, rest);
                case "^~": return new Builder(Match.PREFIX_NOREGEX, rest);
                case "~": return new Builder(Match.REGEX, rest);
                case "~*": return new Builder(Match.REGEX_CI, rest);
                default: break;
            }
        }
        return new Builder(Match.PREFIX, s);
    }

    public static Builder builder(Match match, String path) {
        return new Builder(match, path);
    }

    public Match match() { return match; }
    /** The prefix, exact path, regex source, or {@code @name}. */
    public String path() { return path; }
    /** The compiled regex of a {@code ~}/{@code ~*} location, else null. */
    public Pattern regex() { return regex; }
    /** The script attached to a phase, or null. */
    public Script script(Phase phase) { return scriptByPhase[phase.ordinal()]; }
    public Map<Phase, Script> scripts() { return scripts; }
    public List<SetStep> setSteps() { return setSteps; }
    /** {@code default_type}, or null to inherit the server's. */
    public String defaultType() { return defaultType; }
    public Return returnDirective() { return returnDirective; }
    public List<AddHeader> addHeaders() { return addHeaders; }
    /** {@code more_clear_headers} names (may end with {@code *}). */
    public List<String> clearHeaders() { return clearHeaders; }
    public boolean needRequestBody() { return needRequestBody; }
    /** {@code client_max_body_size} in bytes; 0 = no limit; -1 = inherit. */
    public long clientMaxBodySize() { return clientMaxBodySize; }
    /**
     * Other directives kept for bindings and extensions ({@code proxy_pass}, {@code proxy_set_header}, …):
     * name → the arguments of each occurrence, in config order (including those inherited from server and
     * http level, which come first).
     */
    public Map<String, List<List<String>>> extraDirectives() { return extraDirectives; }

    /** The arguments of each occurrence of a kept directive (empty when absent). */
    public List<List<String>> directives(String name) {
        return extraDirectives.getOrDefault(name, List.of());
    }

    /** The arguments of the last occurrence of a kept directive, or null. */
    public List<String> directive(String name) {
        List<List<String>> all = extraDirectives.get(name);
        return all == null || all.isEmpty() ? null : all.get(all.size() - 1);
    }
    /** Where it was defined ("nginx.conf:12"), for messages. */
    public String source() { return source; }

    /** nginx's spelling of this location's match ({@code "= /t"}). */
    @Override
    public String toString() {
        return switch (match) {
            case EXACT -> "= " + path;
            case PREFIX -> path;
            case PREFIX_NOREGEX -> "^~ " + path;
            case REGEX -> "~ " + path;
            case REGEX_CI -> "~* " + path;
            case NAMED -> path;
        };
    }

    /** Builds a {@link Location}. */
    public static final class Builder {
        private final Match match;
        private final String path;
        private final Map<Phase, Script> scripts = new EnumMap<>(Phase.class);
        private final List<SetStep> setSteps = new ArrayList<>();
        private String defaultType;
        private Return returnDirective;
        private final List<AddHeader> addHeaders = new ArrayList<>();
        private final List<String> clearHeaders = new ArrayList<>();
        private boolean needRequestBody;
        private long clientMaxBodySize = -1;
        private final Map<String, List<List<String>>> extraDirectives = new java.util.LinkedHashMap<>();
        private String source = "";

        private Builder(Match match, String path) {
            this.match = Objects.requireNonNull(match);
            this.path = Objects.requireNonNull(path);
        }

        /** Attaches a script to a phase (one per phase, as in nginx). */
        public Builder phase(Phase phase, Script script) {
            scripts.put(phase, script);
            return this;
        }

        public Builder rewriteByLua(String code) { return phase(Phase.REWRITE, Script.lua(code, "rewrite_by_lua")); }
        public Builder accessByLua(String code) { return phase(Phase.ACCESS, Script.lua(code, "access_by_lua")); }
        public Builder contentByLua(String code) { return phase(Phase.CONTENT, Script.lua(code, "content_by_lua")); }
        public Builder headerFilterByLua(String code) { return phase(Phase.HEADER_FILTER, Script.lua(code, "header_filter_by_lua")); }
        public Builder bodyFilterByLua(String code) { return phase(Phase.BODY_FILTER, Script.lua(code, "body_filter_by_lua")); }
        public Builder logByLua(String code) { return phase(Phase.LOG, Script.lua(code, "log_by_lua")); }

        /** {@code set $var value} (value may reference variables). */
        public Builder set(String variable, String valueTemplate) {
            setSteps.add(new SetStep(stripDollar(variable), valueTemplate, null, List.of()));
            return this;
        }

        /** {@code set_by_lua $var script [args…]}. */
        public Builder setByScript(String variable, Script script, List<String> argTemplates) {
            setSteps.add(new SetStep(stripDollar(variable), null, script, List.copyOf(argTemplates)));
            return this;
        }

        public Builder defaultType(String type) { this.defaultType = type; return this; }
        public Builder returns(int code, String text) { this.returnDirective = new Return(code, text); return this; }
        public Builder addHeader(String name, String value, boolean always) { addHeaders.add(new AddHeader(name, value, always)); return this; }
        public Builder clearHeader(String name) { clearHeaders.add(name); return this; }
        public Builder needRequestBody(boolean need) { this.needRequestBody = need; return this; }
        public Builder clientMaxBodySize(long bytes) { this.clientMaxBodySize = bytes; return this; }
        /** Keeps a directive for bindings and extensions (each occurrence is kept, in order). */
        public Builder directive(String name, List<String> args) {
            extraDirectives.computeIfAbsent(name, k -> new ArrayList<>()).add(List.copyOf(args));
            return this;
        }
        public Builder source(String source) { this.source = source; return this; }

        public Location build() {
            return new Location(this);
        }

        private static String stripDollar(String v) {
            return v.startsWith("$") ? v.substring(1) : v;
        }
    }
}
