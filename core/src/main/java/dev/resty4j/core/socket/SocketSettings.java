package dev.resty4j.core.socket;

import dev.resty4j.Location;
import dev.resty4j.Resty;
import java.util.List;
import java.util.Locale;

/**
 * The {@code lua_socket_*} and {@code lua_ssl_*} directives in force for a location: the location's own
 * value (server-level directives are copied into each location by the config loader), else the http
 * level's, else nginx's default.
 *
 * @param connectTimeout     {@code lua_socket_connect_timeout} in ms (default 60s)
 * @param sendTimeout        {@code lua_socket_send_timeout} in ms (default 60s)
 * @param readTimeout        {@code lua_socket_read_timeout} in ms (default 60s)
 * @param keepaliveTimeout   {@code lua_socket_keepalive_timeout} in ms, 0 = never (default 60s)
 * @param poolSize           {@code lua_socket_pool_size} (default 30)
 * @param logErrors          {@code lua_socket_log_errors} (default on)
 * @param trustedCertificate {@code lua_ssl_trusted_certificate} PEM file, or null
 */
public record SocketSettings(long connectTimeout, long sendTimeout, long readTimeout, long keepaliveTimeout,
                             int poolSize, boolean logErrors, String trustedCertificate) {

    public static final SocketSettings DEFAULTS = new SocketSettings(60_000, 60_000, 60_000, 60_000, 30, true, null);

    /** The settings for requests served by {@code loc} (null: http level only). */
    public static SocketSettings of(Resty resty, Location loc) {
        return new SocketSettings(
                time(resty, loc, "lua_socket_connect_timeout", DEFAULTS.connectTimeout),
                time(resty, loc, "lua_socket_send_timeout", DEFAULTS.sendTimeout),
                time(resty, loc, "lua_socket_read_timeout", DEFAULTS.readTimeout),
                time(resty, loc, "lua_socket_keepalive_timeout", DEFAULTS.keepaliveTimeout),
                integer(resty, loc, "lua_socket_pool_size", DEFAULTS.poolSize),
                !"off".equals(value(resty, loc, "lua_socket_log_errors")),
                value(resty, loc, "lua_ssl_trusted_certificate"));
    }

    private static String value(Resty resty, Location loc, String name) {
        List<String> args = loc == null ? null : loc.directive(name);
        if (args == null) {
            args = resty.settings().directive(name);
        }
        return args == null || args.isEmpty() ? null : args.get(0);
    }

    private static long time(Resty resty, Location loc, String name, long dflt) {
        String v = value(resty, loc, name);
        return v == null ? dflt : parseTime(v);
    }

    private static int integer(Resty resty, Location loc, String name, int dflt) {
        String v = value(resty, loc, name);
        return v == null ? dflt : Integer.parseInt(v.trim());
    }

    /**
     * nginx's time syntax in milliseconds: a number with an optional unit ({@code ms s m h d w y}), units
     * may be combined ({@code 1m30s}); a bare number means seconds.
     */
    static long parseTime(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        long total = 0;
        int i = 0;
        while (i < s.length()) {
            int startDigits = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (startDigits == i) {
                throw new IllegalArgumentException("invalid time value \"" + text + "\"");
            }
            long n = Long.parseLong(s.substring(startDigits, i));
            long unit;
            if (s.startsWith("ms", i)) {
                unit = 1;
                i += 2;
            } else if (i == s.length()) {
                unit = 1000;
            } else {
                unit = switch (s.charAt(i)) {
                    case 's' -> 1000L;
                    case 'm' -> 60_000L;
                    case 'h' -> 3_600_000L;
                    case 'd' -> 86_400_000L;
                    case 'w' -> 604_800_000L;
                    case 'y' -> 31_536_000_000L;
                    default -> throw new IllegalArgumentException("invalid time value \"" + text + "\"");
                };
                i++;
            }
            total += n * unit;
        }
        return total;
    }
}
