package dev.resty4j.core.regex;

import java.util.ArrayList;
import java.util.List;

/**
 * The replacement string of {@code ngx.re.sub}/{@code gsub}, compiled as lua-nginx-module's
 * script engine does: {@code $0}..{@code $N} and {@code ${N}} insert captures (empty when the group
 * did not participate or does not exist), {@code $$} is a literal {@code $}. Named variables
 * ({@code $name}, {@code ${name}}) are rejected, as OpenResty rejects them.
 */
final class ReplaceTemplate {

    /** A template OpenResty refuses; the message is what it writes to the error log. */
    static final class TemplateException extends Exception {
        TemplateException(String logMessage) {
            super(logMessage, null, false, false);
        }
    }

    /** Literal text (a String) and capture numbers (Integer), in order. */
    private final List<Object> parts;

    private ReplaceTemplate(List<Object> parts) {
        this.parts = parts;
    }

    static ReplaceTemplate compile(String tpl) throws TemplateException {
        List<Object> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int n = tpl.length();
        int i = 0;
        while (i < n) {
            char c = tpl.charAt(i);
            if (c != '$') {
                lit.append(c);
                i++;
                continue;
            }
            if (++i == n) {
                throw invalid(tpl);
            }
            if (tpl.charAt(i) == '$') {
                lit.append('$');
                i++;
                continue;
            }
            boolean bracket = tpl.charAt(i) == '{';
            if (bracket && ++i == n) {
                throw invalid(tpl);
            }
            boolean number = isDigit(tpl.charAt(i));
            int nameStart = i;
            long num = 0;
            int nameEnd = -1;
            while (i < n) {
                char ch = tpl.charAt(i);
                if (ch == '}' && bracket) {
                    nameEnd = i++;
                    bracket = false;
                    break;
                }
                if (number) {
                    if (!isDigit(ch)) {
                        break;
                    }
                    num = Math.min(num * 10 + (ch - '0'), Integer.MAX_VALUE);
                } else if (!(ch < 0x80 && Character.isLetterOrDigit(ch)) && ch != '_') {
                    break;
                }
                i++;
            }
            String name = tpl.substring(nameStart, nameEnd < 0 ? i : nameEnd);
            if (bracket) {
                throw new TemplateException("the closing bracket in \"" + name + "\" variable is missing");
            }
            if (name.isEmpty()) {
                throw invalid(tpl);
            }
            if (!number) {
                throw new TemplateException("attempt to use named capturing variable \"" + name
                        + "\" (named captures not supported yet)");
            }
            if (!lit.isEmpty()) {
                parts.add(lit.toString());
                lit.setLength(0);
            }
            parts.add((int) num);
        }
        if (!lit.isEmpty()) {
            parts.add(lit.toString());
        }
        return new ReplaceTemplate(parts);
    }

    private static TemplateException invalid(String tpl) {
        return new TemplateException("lua script: invalid capturing variable name found in \"" + tpl + "\"");
    }

    /** Appends the expansion for one match ({@code ov} as returned by {@link Execution#exec}). */
    void expand(StringBuilder out, String subject, int[] ov) {
        for (Object part : parts) {
            if (part instanceof String s) {
                out.append(s);
            } else {
                int g = (Integer) part;
                if (2 * g + 1 < ov.length && ov[2 * g] >= 0) {
                    out.append(subject, ov[2 * g], ov[2 * g + 1]);
                }
            }
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
