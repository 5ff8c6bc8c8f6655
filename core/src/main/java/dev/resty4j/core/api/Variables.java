package dev.resty4j.core.api;

import dev.resty4j.core.request.Headers;
import dev.resty4j.core.request.RequestContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * {@code ngx.var}: nginx's built-in variables computed from the request, plus the user variables
 * declared with {@code set $x …}. Unknown names read as nil; writing a variable that was never declared is
 * OpenResty's error. Also interpolates {@code $var} / {@code ${var}} in directive values.
 */
public final class Variables {

    private Variables() {
    }

    /** The value of {@code $name}, or null when the variable is unknown or has no value. */
    public static String get(RequestContext req, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (req.hasUserVars()) {
            String v = req.userVars().get(n);
            if (v != null) {
                return v;
            }
        }
        if (n.startsWith("arg_")) {
            return argValue(req.args(), n.substring(4));
        }
        if (n.startsWith("http_")) {
            return headerValue(req.requestHeaders(), n, 5);
        }
        if (n.startsWith("sent_http_")) {
            return headerValue(req.responseHeaders(), n, 10);
        }
        if (n.startsWith("cookie_")) {
            return cookieValue(req.requestHeaders(), n.substring(7));
        }
        return switch (n) {
            case "uri", "document_uri" -> req.uri();
            case "request_uri" -> req.requestUri();
            case "args", "query_string" -> req.args();
            case "is_args" -> req.args() != null && !req.args().isEmpty() ? "?" : "";
            case "request_method" -> req.method();
            case "remote_addr" -> req.remoteAddr();
            case "binary_remote_addr" -> binaryAddr(req.remoteAddr());
            case "remote_port" -> req.remotePort() == 0 ? "" : Integer.toString(req.remotePort());
            case "server_addr" -> req.serverAddr();
            case "server_port" -> Integer.toString(req.serverPort());
            case "server_name" -> req.serverName();
            case "server_protocol" -> "HTTP/" + req.httpVersion();
            case "scheme" -> req.scheme();
            case "https" -> "https".equals(req.scheme()) ? "on" : "";
            case "host" -> host(req);
            case "hostname" -> hostname();
            case "request" -> req.requestLine();
            case "request_time" -> requestTime(req);
            case "msec" -> String.format(Locale.ROOT, "%.3f", req.resty().currentTimeMillis() / 1000.0);
            case "status" -> req.status() == 0 ? "000" : Integer.toString(req.status());
            case "content_type" -> req.requestHeaders().get("Content-Type");
            case "content_length" -> req.requestHeaders().get("Content-Length");
            case "request_body" -> req.bodyRead() && req.body() != null && req.bodyFile() == null
                    ? new String(req.body(), java.nio.charset.StandardCharsets.ISO_8859_1) : null;
            case "request_length" -> Long.toString(req.requestLine().length() + 2L
                    + req.requestHeaders().toString().length() + 2L + (req.body() == null ? 0 : req.body().length));
            case "bytes_sent", "body_bytes_sent" -> Long.toString(req.bodyBytesSent());
            case "request_id" -> req.requestId();
            case "pid" -> Long.toString(ProcessHandle.current().pid());
            case "nginx_version" -> NgxInfo.NGINX_VERSION;
            case "connection" -> Long.toString(req.id());
            case "connection_requests" -> "1";
            case "time_local" -> NgxTimeFormat.timeLocal(req.resty().currentTimeMillis());
            case "time_iso8601" -> NgxTimeFormat.iso8601(req.resty().currentTimeMillis());
            default -> null;
        };
    }

    /** {@code $N} ({@code ngx.var[N]}): a capture group of the regex location, or null. */
    public static String capture(RequestContext req, int n) {
        String[] c = req.captures();
        return c == null || n < 1 || n >= c.length ? null : c[n];
    }

    /** Assigns {@code $name} ({@code ngx.var.name = value}); null clears a user variable. */
    public static void set(RequestContext req, String name, String value) {
        String n = name.toLowerCase(Locale.ROOT);
        switch (n) {
            case "args", "query_string" -> {
                req.args(value == null || value.isEmpty() ? null : value);
                return;
            }
            case "limit_rate" -> {
                return; // accepted; bandwidth shaping is nginx's business
            }
            default -> { }
        }
        if (isBuiltin(n)) {
            throw new NgxApiException("variable \"" + name + "\" not changeable");
        }
        if (!req.resty().isDeclaredVariable(n) && !(req.hasUserVars() && req.userVars().containsKey(n))) {
            throw new NgxApiException("variable \"" + name + "\" not found for writing; maybe it is a built-in variable"
                    + " that is not changeable or you forgot to use \"set $" + name + " '';\" in the config file to define it first");
        }
        if (value == null) {
            req.userVars().remove(n);
        } else {
            req.userVars().put(n, value);
        }
    }

    /** A {@code set} directive's assignment (no declaration check: the directive is the declaration). */
    public static void setUserVar(RequestContext req, String name, String value) {
        req.userVars().put(name.toLowerCase(Locale.ROOT), value);
    }

    private static boolean isBuiltin(String n) {
        return n.startsWith("arg_") || n.startsWith("http_") || n.startsWith("cookie_") || n.startsWith("sent_http_")
                || switch (n) {
                    case "uri", "document_uri", "request_uri", "is_args", "request_method", "remote_addr",
                         "binary_remote_addr", "remote_port", "server_addr", "server_port", "server_name",
                         "server_protocol", "scheme", "https", "host", "hostname", "request", "request_time", "msec",
                         "status", "content_type", "content_length", "request_body", "request_length", "bytes_sent",
                         "body_bytes_sent", "request_id", "pid", "nginx_version", "connection", "connection_requests",
                         "time_local", "time_iso8601" -> true;
                    default -> false;
                };
    }

    /** Replaces {@code $name} and {@code ${name}} in a directive value; unknown variables become "". */
    public static String interpolate(RequestContext req, String template) {
        if (template == null || template.indexOf('$') < 0) {
            return template == null ? "" : template;
        }
        StringBuilder out = new StringBuilder(template.length() + 16);
        int i = 0;
        int n = template.length();
        while (i < n) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 >= n) {
                out.append(c);
                i++;
                continue;
            }
            int start;
            int end;
            if (template.charAt(i + 1) == '{') {
                start = i + 2;
                end = template.indexOf('}', start);
                if (end < 0) {
                    out.append(template, i, n);
                    break;
                }
                String v = get(req, template.substring(start, end));
                out.append(v == null ? "" : v);
                i = end + 1;
                continue;
            }
            start = i + 1;
            end = start;
            while (end < n && (Character.isLetterOrDigit(template.charAt(end)) || template.charAt(end) == '_')) {
                end++;
            }
            if (end == start) {
                out.append(c);
                i++;
                continue;
            }
            String v = get(req, template.substring(start, end));
            out.append(v == null ? "" : v);
            i = end;
        }
        return out.toString();
    }

    /** {@code $arg_NAME}: the raw (still escaped) value of the first matching argument, name compared ignoring case. */
    static String argValue(String args, String name) {
        if (args == null) {
            return null;
        }
        int i = 0;
        int n = args.length();
        while (i <= n) {
            int amp = args.indexOf('&', i);
            if (amp < 0) {
                amp = n;
            }
            int eq = args.indexOf('=', i);
            if (eq >= 0 && eq < amp) {
                if (eq - i == name.length() && args.regionMatches(true, i, name, 0, name.length())) {
                    return args.substring(eq + 1, amp);
                }
            } else if (amp - i == name.length() && args.regionMatches(true, i, name, 0, name.length())) {
                return "";
            }
            i = amp + 1;
        }
        return null;
    }

    /**
     * {@code $http_NAME} / {@code $sent_http_NAME}, NAME starting at {@code from} in {@code var}: underscores
     * stand for dashes, case does not matter; repeated headers joined (cookies with "; ").
     */
    static String headerValue(Headers headers, String var, int from) {
        String first = null;
        StringBuilder joined = null;
        boolean cookie = var.regionMatches(true, from, "cookie", 0, 6) && var.length() == from + 6;
        for (int i = 0; i < headers.size(); i++) {
            if (namesHeader(var, from, headers.name(i))) {
                if (first == null) {
                    first = headers.value(i);
                } else {
                    if (joined == null) {
                        joined = new StringBuilder(first);
                    }
                    joined.append(cookie ? "; " : ", ").append(headers.value(i));
                }
            }
        }
        return joined != null ? joined.toString() : first;
    }

    /** Whether {@code var} from {@code from} names {@code header} (compared in place: this runs per lookup). */
    private static boolean namesHeader(String var, int from, String header) {
        int n = header.length();
        if (var.length() - from != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char h = header.charAt(i);
            char v = var.charAt(from + i);
            if (h == v || (h == '-' && v == '_')) {
                continue;
            }
            if (Character.toLowerCase(h) != Character.toLowerCase(v)) {
                return false;
            }
        }
        return true;
    }

    static String cookieValue(Headers headers, String name) {
        for (String cookie : headers.getAll("Cookie")) {
            for (String part : cookie.split(";")) {
                String p = part.trim();
                int eq = p.indexOf('=');
                if (eq > 0 && p.substring(0, eq).trim().equals(name)) {
                    return p.substring(eq + 1).trim();
                }
            }
        }
        return null;
    }

    private static String host(RequestContext req) {
        String h = req.requestHeaders().get("Host");
        if (h == null || h.isEmpty()) {
            return req.serverName();
        }
        int colon = h.startsWith("[") ? h.indexOf(':', h.indexOf(']')) : h.indexOf(':');
        if (colon >= 0) {
            h = h.substring(0, colon);
        }
        return h.toLowerCase(Locale.ROOT);
    }

    private static String requestTime(RequestContext req) {
        double secs = (System.nanoTime() - req.startNanos()) / 1e9;
        return String.format(Locale.ROOT, "%.3f", secs);
    }

    private static String binaryAddr(String addr) {
        try {
            byte[] b = InetAddress.getByName(addr).getAddress();
            return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    private static volatile String hostname;

    private static String hostname() {
        String h = hostname;
        if (h == null) {
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                h = "localhost";
            }
            hostname = h;
        }
        return h;
    }
}
