package dev.resty4j.host.vertx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns a request path into nginx's {@code $uri}: percent-decoded and with {@code //}, {@code /./} and
 * {@code /../} resolved ({@code merge_slashes on}). The result is a byte string (one char per byte).
 */
public final class UriNormalizer {

    private UriNormalizer() {
    }

    public static String normalize(String rawPath) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rawPath.length());
        byte[] in = rawPath.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                out.write(hex(in[i + 1]) * 16 + hex(in[i + 2]));
                i += 2;
            } else {
                out.write(b);
            }
        }
        String decoded = out.toString(StandardCharsets.ISO_8859_1);
        if (decoded.indexOf("//") < 0 && decoded.indexOf("/.") < 0) {
            return decoded.isEmpty() ? "/" : decoded;
        }
        String[] parts = decoded.split("/", -1);
        java.util.ArrayDeque<String> stack = new java.util.ArrayDeque<>();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            boolean last = i == parts.length - 1;
            if (p.isEmpty() && !last) {
                continue;
            }
            if (p.equals(".")) {
                if (last) {
                    stack.addLast("");
                }
                continue;
            }
            if (p.equals("..")) {
                stack.pollLast();
                if (last) {
                    stack.addLast("");
                }
                continue;
            }
            stack.addLast(p);
        }
        StringBuilder sb = new StringBuilder();
        for (String p : stack) {
            sb.append('/').append(p);
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
