package dev.resty4j.session;

import dev.resty4j.core.api.NgxApiException;
import java.util.List;
import java.util.Map;

/**
 * lua-resty-session 4.x's configuration, with its defaults. Timeouts are seconds; 0 disables one.
 *
 * @param secret         the configured secret's bytes, or null for the instance's random secret
 * @param cookieSecure   null: {@code Secure} on https requests only
 * @param storage        {@code cookie} (default), {@code shm} or {@code redis}
 * @param shmZone        the dict of {@code shm} storage ({@code shm.zone})
 * @param storePrefix    the key prefix of server-side storage ({@code shm.prefix} or {@code redis.prefix})
 * @param redisEndpoint  {@code HOST:PORT} of {@code redis} storage ({@code redis.host}, {@code redis.port})
 * @param redisTimeoutMs the longest of {@code redis.connect_timeout/send_timeout/read_timeout}
 */
record SessionConfig(byte[] secret, String audience, String subject, boolean remember,
                     String cookieName, String cookiePath, String cookieDomain, boolean cookieHttpOnly,
                     Boolean cookieSecure, String cookieSameSite,
                     long idlingTimeout, long rollingTimeout, long absoluteTimeout,
                     long rememberRollingTimeout, long rememberAbsoluteTimeout, long staleTtl,
                     String storage, String shmZone, String storePrefix, String redisEndpoint, long redisTimeoutMs) {

    /** lua-resty-session's redis options that a {@code HOST:PORT} endpoint cannot carry. */
    private static final List<String> REDIS_UNSUPPORTED = List.of("socket", "username", "password", "database", "ssl",
            "nodes", "sentinels");

    static SessionConfig of(Map<?, ?> c) {
        String storage = str(c, "storage", "cookie");
        if (!storage.equals("cookie") && !storage.equals("shm") && !storage.equals("redis")) {
            throw new NgxApiException("unsupported session storage: " + storage + " (resty4j supports cookie, shm and redis)");
        }
        Map<?, ?> shm = c.get("shm") instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> redis = c.get("redis") instanceof Map<?, ?> m ? m : Map.of();
        for (String k : REDIS_UNSUPPORTED) {
            if (storage.equals("redis") && redis.get(k) != null) {
                throw new NgxApiException("unsupported session redis option: " + k + " (resty4j supports host, port, prefix and timeouts)");
            }
        }
        String sameSite = str(c, "cookie_same_site", "Lax");
        if (!sameSite.matches("Strict|Lax|None|Default")) {
            throw new NgxApiException("invalid cookie_same_site: " + sameSite);
        }
        return new SessionConfig(
                c.get("secret") instanceof String s ? dev.resty4j.jwt.JsonValues.bytes(s) : null,
                str(c, "audience", "default"),
                c.get("subject") instanceof String s ? s : null,
                Boolean.TRUE.equals(c.get("remember")),
                str(c, "cookie_name", "session"),
                str(c, "cookie_path", "/"),
                c.get("cookie_domain") instanceof String s ? s : null,
                !Boolean.FALSE.equals(c.get("cookie_http_only")),
                c.get("cookie_secure") instanceof Boolean b ? b : null,
                sameSite,
                num(c, "idling_timeout", 900),
                num(c, "rolling_timeout", 3600),
                num(c, "absolute_timeout", 86400),
                num(c, "remember_rolling_timeout", 604800),
                num(c, "remember_absolute_timeout", 2592000),
                num(c, "stale_ttl", 10),
                storage,
                str(shm, "zone", "sessions"),
                str(storage.equals("redis") ? redis : shm, "prefix", "sessions"),
                str(redis, "host", "127.0.0.1") + ":" + num(redis, "port", 6379),
                Math.max(num(redis, "connect_timeout", 1000), Math.max(num(redis, "send_timeout", 1000),
                        num(redis, "read_timeout", 1000))));
    }

    private static String str(Map<?, ?> c, String k, String dflt) {
        return c.get(k) instanceof String s ? s : dflt;
    }

    private static long num(Map<?, ?> c, String k, long dflt) {
        Object v = c.get(k);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number n) || n.doubleValue() < 0) {
            throw new NgxApiException("invalid " + k + ": must be a non-negative number");
        }
        return n.longValue();
    }
}
