package dev.resty4j.http;

import java.util.Locale;

/** nginx's value syntaxes used by the directives this module reads: times ({@code 10s}) and addresses. */
public final class NginxValues {

    private NginxValues() {
    }

    /** A host and port, e.g. from {@code 127.0.0.1:8080} or {@code [::1]:80}; port -1 when absent. */
    public record HostPort(String host, int port) {

        public HostPort withDefaultPort(int p) {
            return port >= 0 ? this : new HostPort(host, p);
        }

        /** {@code host:port}, with brackets around IPv6 literals. */
        @Override
        public String toString() {
            String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
            return port >= 0 ? h + ":" + port : h;
        }
    }

    /**
     * nginx time syntax in milliseconds: {@code 500ms}, {@code 10s}, {@code 1m30s}, {@code 2h}, {@code 1d}; a
     * bare number is seconds.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static long millis(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            throw new IllegalArgumentException("invalid time \"" + value + "\"");
        }
        long total = 0;
        int i = 0;
        while (i < v.length()) {
            int start = i;
            while (i < v.length() && Character.isDigit(v.charAt(i))) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("invalid time \"" + value + "\"");
            }
            long n = Long.parseLong(v.substring(start, i));
            int unitStart = i;
            while (i < v.length() && Character.isLetter(v.charAt(i))) {
                i++;
            }
            String unit = v.substring(unitStart, i);
            total += switch (unit) {
                case "ms" -> n;
                case "", "s" -> n * 1000;
                case "m" -> n * 60_000;
                case "h" -> n * 3_600_000;
                case "d" -> n * 86_400_000;
                case "w" -> n * 7 * 86_400_000;
                default -> throw new IllegalArgumentException("invalid time \"" + value + "\"");
            };
        }
        return total;
    }

    /**
     * Parses {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}.
     *
     * @throws IllegalArgumentException when the port is not a number in range
     */
    public static HostPort hostPort(String s) {
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("invalid address \"" + s + "\"");
            }
            host = s.substring(1, end);
            if (end + 1 < s.length()) {
                if (s.charAt(end + 1) != ':') {
                    throw new IllegalArgumentException("invalid address \"" + s + "\"");
                }
                port = s.substring(end + 2);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') == colon) {
                host = s.substring(0, colon);
                port = s.substring(colon + 1);
            } else {
                host = s; // a bare name, or an IPv6 literal without port
            }
        }
        int p = -1;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -2;
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("invalid port in \"" + s + "\"");
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host in \"" + s + "\"");
        }
        return new HostPort(host, p);
    }

    /** True for an IPv4 or IPv6 literal (no name resolution needed). */
    public static boolean isIpLiteral(String host) {
        return io.netty.util.NetUtil.isValidIpV4Address(host) || io.netty.util.NetUtil.isValidIpV6Address(host);
    }
}
