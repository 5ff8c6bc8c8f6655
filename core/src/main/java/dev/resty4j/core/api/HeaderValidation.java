package dev.resty4j.core.api;

/**
 * Keeps scripts from injecting header lines or splitting the response: control characters (CR, LF, …) in
 * header values, and control characters, spaces and colons in header names, are percent-escaped
 * ({@code %0D%0A}) before anything is sent, exactly as OpenResty does, so the script's data survives
 * visibly and nothing reaches the wire raw. Redirect targets with such bytes are refused
 * ({@link #checkRedirect}), as in OpenResty.
 */
public final class HeaderValidation {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private HeaderValidation() {
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
