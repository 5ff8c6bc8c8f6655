package dev.resty4j.core.api;

/**
 * Refuses header names and values that would let a script inject extra header lines or split the
 * response: CR, LF and other control characters. OpenResty escapes such bytes; resty4j refuses them with
 * an error the script sees, so a bad value is never sent.
 */
public final class HeaderValidation {

    private HeaderValidation() {
    }

    public static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new NgxApiException("invalid header name \"\"");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c == ':' || c >= 0x7f) {
                throw new NgxApiException("invalid header name \"" + printable(name) + "\"");
            }
        }
    }

    public static void checkValue(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < ' ' && c != '\t') || c == 0x7f) {
                throw new NgxApiException("invalid header value for \"" + printable(name) + "\": \""
                        + printable(value) + "\" (control character)");
            }
        }
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < ' ' || c == 0x7f) {
                sb.append(String.format("\\x%02X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
