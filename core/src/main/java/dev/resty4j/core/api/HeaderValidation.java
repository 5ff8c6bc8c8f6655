package dev.resty4j.core.api;

import dev.resty4j.core.request.RequestContext;

/**
 * Keeps scripts from injecting header lines or splitting the response: control characters (CR, LF, …) in
 * header values, and control characters, spaces and colons in header names, are percent-escaped
 * ({@code %0D%0A}) before anything is sent, exactly as OpenResty does, so the script's data survives
 * visibly and nothing reaches the wire raw. Redirect targets with such bytes are refused
 * ({@link #checkRedirect}), as in OpenResty.
 *
 * <p>Under {@code lua_strict_headers on} the same writes are refused instead, with an error the script sees
 * (a 500 when uncaught): names must be RFC 9110 tokens, values must hold no control character but tab, and
 * statuses must lie in 100..599. Escaping stays the default because OpenResty scripts (and its test suite)
 * rely on it.
 */
public final class HeaderValidation {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private HeaderValidation() {
    }

    /** The header name as it will be sent: escaped, or refused under {@code lua_strict_headers on}. */
    public static String name(RequestContext req, String name) {
        if (!strict(req)) {
            return name(name);
        }
        if (name == null || name.isEmpty()) {
            throw new NgxApiException("invalid header name \"\"");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                throw new NgxApiException("invalid header name \"" + printable(name) + "\"");
            }
        }
        return name;
    }

    /** The header value as it will be sent: escaped, or refused under {@code lua_strict_headers on}. */
    public static String value(RequestContext req, String name, String value) {
        if (!strict(req)) {
            return value(value);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < ' ' && c != '\t') || c == 0x7f) {
                throw new NgxApiException("invalid value for header \"" + printable(name) + "\": \"" + printable(value) + "\"");
            }
        }
        return value;
    }

    /**
     * A status set by a script ({@code ngx.status}, {@code ngx.exit}): under {@code lua_strict_headers on}
     * only 100..599 (and, for {@code ngx.exit}, the non-positive ngx constants) are accepted.
     */
    public static void checkStatus(RequestContext req, int status, boolean exitCode) {
        if (strict(req) && (status > 599 || status < 100 && !(exitCode && status <= 0))) {
            throw new NgxApiException("invalid HTTP status code: " + status);
        }
    }

    private static boolean strict(RequestContext req) {
        return req != null && req.resty() != null && req.resty().settings().strictHeaders();
    }

    /** RFC 9110 tchar. */
    private static boolean isTokenChar(char c) {
        return c > ' ' && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    /** The header name as it will be sent. */
    public static String name(String name) {
        if (name == null || name.isEmpty()) {
            throw new NgxApiException("invalid header name \"\"");
        }
        return escape(name, true);
    }

    /** The header value as it will be sent. */
    public static String value(String value) {
        return escape(value, false);
    }

    private static String escape(String s, boolean isName) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = (c < ' ' && c != '\t') || c == 0x7f || (isName && (c == ' ' || c == ':' || c == '\t'));
            if (bad) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                out.append('%').append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    /** ngx.redirect refuses targets with CR, LF and other control bytes. */
    public static void checkRedirect(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c < ' ' || c == 0x7f) {
                throw new NgxApiException(String.format("unsafe byte \"0x%02x\" in redirect uri \"%s\"", (int) c, printable(uri)));
            }
        }
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < ' ' || c == 0x7f || c == '\\' || c == '"') {
                sb.append(String.format("\\x%02X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
