package dev.resty4j.server.conformance;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One conformance case, as described by {@code /work/shared/conformance/README.md} ("Case schema").
 *
 * <p>The JSON is mapped by hand (Vert.x {@code JsonObject}, which keeps key order) so that unknown
 * or missing fields never break loading; absent optional fields become {@code null}, empty maps or empty lists. Map fields keep
 * the JSON order (it matters for {@code set} directives and request headers).
 *
 * @param id        the Test::Nginx id, e.g. {@code t/043-shdict.t#1}
 * @param title     the test block title
 * @param area      the area (directory) the case belongs to
 * @param file      the JSON file the case was read from ({@code null} when parsed from a string)
 * @param http      http-level configuration
 * @param server    server-level configuration (empty when the case has none)
 * @param locations the case's locations, in order
 * @param exchanges the main request/expectation first, then the followups in order
 * @param expectLog error-log expectations (empty when the case has none)
 * @param timing    timing hints (never {@code null}; fields may be {@code null})
 * @param nginxSpecific the {@code nginx_specific_expectations} flags
 * @param tags      the case tags
 */
public record ConformanceCase(
        String id,
        String title,
        String area,
        Path file,
        HttpConfig http,
        ServerConfig server,
        List<Location> locations,
        List<Exchange> exchanges,
        ExpectLog expectLog,
        Timing timing,
        Set<String> nginxSpecific,
        Set<String> tags) {

    /** {@code http_config}. */
    public record HttpConfig(
            Map<String, String> sharedDicts,
            String initByLua,
            String initWorkerByLua,
            String exitWorkerByLua,
            Map<String, String> luaModules,
            List<List<String>> directives) {
    }

    /** {@code server}: server-level phase handlers (as originally written) and directives. */
    public record ServerConfig(Map<String, String> phases, List<List<String>> directives) {
    }

    /** One entry of {@code set_sequence}: either {@code set $var value} or {@code set_by_lua}. */
    public record SetStep(String var, String value, String lua, List<String> args) {
        public boolean isLua() {
            return lua != null;
        }
    }

    /** One {@code location} block. */
    public record Location(
            String path,
            String match,
            Map<String, String> phases,
            Map<String, String> setVars,
            List<SetStep> setSequence,
            List<List<String>> directives,
            List<String> returnArgs) {
    }

    /** A request to send. */
    public record Request(
            String method,
            String uri,
            Map<String, String> headers,
            String body,
            String bodyBase64,
            String httpVersion,
            boolean raw) {

        /** The request body bytes, or {@code null} when the request has no body. */
        public byte[] bodyBytes() {
            if (bodyBase64 != null) {
                return Base64.getDecoder().decode(bodyBase64);
            }
            return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The expected response. {@code headers} values may be {@code null} (= header absent). */
    public record Expect(
            Integer status,
            String statusLike,
            String body,
            String bodyBase64,
            String bodyLike,
            String bodyUnlike,
            Map<String, String> headers,
            Map<String, String> headersLike,
            String rawHeadersLike) {
    }

    /** A request with its expectation. */
    public record Exchange(Request request, Expect expect) {
    }

    /** One error-log pattern: exactly one of {@code text} (substring) and {@code regex} is set. */
    public record LogPattern(String text, String regex) {
        @Override
        public String toString() {
            return text != null ? '"' + text + '"' : "/" + regex + "/";
        }
    }

    /** {@code expect_log}. */
    public record ExpectLog(List<LogPattern> errorLog, List<LogPattern> noErrorLog, String logLevel) {
        static final ExpectLog NONE = new ExpectLog(List.of(), List.of(), null);
    }

    /** {@code timing}: seconds to wait before judging the log, and the client timeout. */
    public record Timing(Double waitS, Double clientTimeoutS) {
    }

    /** The main request (the first exchange). */
    public Request request() {
        return exchanges.get(0).request();
    }

    /** The main expectation (the first exchange). */
    public Expect expect() {
        return exchanges.get(0).expect();
    }

    // ------------------------------------------------------------------------------------------
    // Parsing (Vert.x JSON: insertion-ordered objects; only jackson-core underneath)
    // ------------------------------------------------------------------------------------------

    /**
     * Parses one case from JSON text.
     *
     * @throws IllegalArgumentException when the text is not a JSON object or lacks {@code id} or
     *                                  {@code request}
     */
    public static ConformanceCase parse(String json, Path file) {
        JsonObject n;
        try {
            n = new JsonObject(json);
        } catch (DecodeException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
        }
        return fromJson(n, file);
    }

    /**
     * Builds a case from a parsed JSON object.
     *
     * @throws IllegalArgumentException when a required field ({@code id}, {@code request}) is missing
     */
    public static ConformanceCase fromJson(JsonObject n, Path file) {
        String id = text(n, "id");
        if (id == null) {
            throw new IllegalArgumentException("case has no \"id\"");
        }
        if (!(n.getValue("request") instanceof JsonObject)) {
            throw new IllegalArgumentException("case " + id + " has no \"request\"");
        }
        String area = text(n, "area");
        if (area == null && file != null && file.getParent() != null) {
            area = file.getParent().getFileName().toString();
        }

        JsonObject h = object(n, "http_config");
        HttpConfig http = new HttpConfig(
                stringMap(object(h, "shared_dicts")),
                text(h, "init_by_lua"),
                text(h, "init_worker_by_lua"),
                text(h, "exit_worker_by_lua"),
                stringMap(object(h, "lua_modules")),
                directives(array(h, "directives")));

        JsonObject s = object(n, "server");
        ServerConfig server = new ServerConfig(stringMap(object(s, "phases")), directives(array(s, "directives")));

        List<Location> locations = new ArrayList<>();
        for (JsonObject l : objects(array(n, "locations"))) {
            locations.add(location(l));
        }

        List<Exchange> exchanges = new ArrayList<>();
        exchanges.add(new Exchange(request(object(n, "request")), expect(object(n, "expect"))));
        for (JsonObject f : objects(array(n, "followups"))) {
            exchanges.add(new Exchange(request(object(f, "request")), expect(object(f, "expect"))));
        }

        ExpectLog expectLog = ExpectLog.NONE;
        if (n.getValue("expect_log") instanceof JsonObject el) {
            expectLog = new ExpectLog(logPatterns(array(el, "error_log")), logPatterns(array(el, "no_error_log")),
                    text(el, "log_level"));
        }

        JsonObject t = object(n, "timing");
        Timing timing = new Timing(number(t, "wait_s"), number(t, "client_timeout_s"));

        return new ConformanceCase(id, text(n, "title"), area == null ? "unknown" : area, file, http, server,
                List.copyOf(locations), List.copyOf(exchanges), expectLog, timing,
                stringSet(array(n, "nginx_specific_expectations")), stringSet(array(n, "tags")));
    }

    private static Location location(JsonObject l) {
        List<SetStep> seq = new ArrayList<>();
        for (JsonObject st : objects(array(l, "set_sequence"))) {
            seq.add(new SetStep(text(st, "var"), text(st, "value"), text(st, "lua"), stringList(array(st, "args"))));
        }
        return new Location(
                text(l, "path"),
                l.containsKey("match") ? text(l, "match") : "prefix",
                stringMap(object(l, "phases")),
                stringMap(object(l, "set_vars")),
                List.copyOf(seq),
                directives(array(l, "directives")),
                l.getValue("return") instanceof JsonArray ? stringList(array(l, "return")) : null);
    }

    private static Request request(JsonObject r) {
        return new Request(
                r.containsKey("method") ? text(r, "method") : "GET",
                r.containsKey("uri") ? text(r, "uri") : "/",
                stringMap(object(r, "headers")),
                text(r, "body"),
                text(r, "body_base64"),
                text(r, "http_version"),
                Boolean.TRUE.equals(r.getValue("raw")));
    }

    private static Expect expect(JsonObject e) {
        Object st = e.getValue("status");
        Integer status = st instanceof Number num ? Integer.valueOf(num.intValue())
                : st instanceof String str && str.matches("\\d+") ? Integer.valueOf(str) : null;
        return new Expect(
                status,
                text(e, "status_like"),
                text(e, "body"),
                text(e, "body_base64"),
                text(e, "body_like"),
                text(e, "body_unlike"),
                stringMap(object(e, "headers")),
                stringMap(object(e, "headers_like")),
                text(e, "raw_headers_like"));
    }

    private static List<LogPattern> logPatterns(JsonArray arr) {
        List<LogPattern> out = new ArrayList<>();
        for (Object p : arr) {
            if (p instanceof String str) {
                out.add(new LogPattern(str, null));
            } else if (p instanceof JsonObject o && (o.containsKey("text") || o.containsKey("regex"))) {
                out.add(new LogPattern(text(o, "text"), text(o, "regex")));
            }
        }
        return List.copyOf(out);
    }

    /** A scalar field as text, or {@code null} when absent or JSON null. */
    private static String text(JsonObject n, String field) {
        Object v = n.getValue(field);
        return v == null || v instanceof JsonObject || v instanceof JsonArray ? null : v.toString();
    }

    private static Double number(JsonObject n, String field) {
        Object v = n.getValue(field);
        if (v instanceof Number num) {
            return num.doubleValue();
        }
        try {
            return v instanceof String str ? Double.valueOf(str) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The object at {@code field}, or an empty object. */
    private static JsonObject object(JsonObject n, String field) {
        return n.getValue(field) instanceof JsonObject o ? o : new JsonObject();
    }

    /** The array at {@code field}, or an empty array. */
    private static JsonArray array(JsonObject n, String field) {
        return n.getValue(field) instanceof JsonArray a ? a : new JsonArray();
    }

    private static List<JsonObject> objects(JsonArray arr) {
        List<JsonObject> out = new ArrayList<>();
        for (Object o : arr) {
            if (o instanceof JsonObject jo) {
                out.add(jo);
            }
        }
        return out;
    }

    /** An object of scalars, in JSON order; JSON null values stay {@code null}. */
    private static Map<String, String> stringMap(JsonObject obj) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : obj.fieldNames()) {
            out.put(k, text(obj, k));
        }
        return Collections.unmodifiableMap(out);
    }

    private static List<String> stringList(JsonArray arr) {
        List<String> out = new ArrayList<>();
        for (Object v : arr) {
            out.add(v == null ? "" : v.toString());
        }
        return List.copyOf(out);
    }

    private static Set<String> stringSet(JsonArray arr) {
        Set<String> out = new LinkedHashSet<>();
        for (Object v : arr) {
            if (v != null) {
                out.add(v.toString());
            }
        }
        return Collections.unmodifiableSet(out);
    }

    private static List<List<String>> directives(JsonArray arr) {
        List<List<String>> out = new ArrayList<>();
        for (Object d : arr) {
            if (d instanceof JsonArray words && !words.isEmpty()) {
                out.add(stringList(words));
            }
        }
        return List.copyOf(out);
    }
}
