package dev.resty4j.core.api;

import dev.resty4j.core.log.LogLevel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The numeric constants of the {@code ngx} table: {@code ngx.OK}, {@code ngx.ERROR}, …, the methods
 * ({@code ngx.HTTP_GET}), the statuses ({@code ngx.HTTP_OK}) and the log levels ({@code ngx.ERR}), by name,
 * for every engine to expose as they are.
 */
public final class NgxConstants {

    private static final Map<String, Integer> ALL = build();

    private NgxConstants() {
    }

    /** Every constant, in a stable order. */
    public static Map<String, Integer> all() {
        return ALL;
    }

    private static Map<String, Integer> build() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("OK", 0);
        m.put("ERROR", -1);
        m.put("AGAIN", -2);
        m.put("DONE", -4);
        m.put("DECLINED", -5);
        for (String method : HttpMethods.names()) {
            m.put("HTTP_" + method, HttpMethods.number(method));
        }
        Object[][] statuses = {
            {"HTTP_CONTINUE", 100}, {"HTTP_SWITCHING_PROTOCOLS", 101}, {"HTTP_OK", 200}, {"HTTP_CREATED", 201},
            {"HTTP_ACCEPTED", 202}, {"HTTP_NO_CONTENT", 204}, {"HTTP_PARTIAL_CONTENT", 206},
            {"HTTP_SPECIAL_RESPONSE", 300}, {"HTTP_MOVED_PERMANENTLY", 301}, {"HTTP_MOVED_TEMPORARILY", 302},
            {"HTTP_SEE_OTHER", 303}, {"HTTP_NOT_MODIFIED", 304}, {"HTTP_TEMPORARY_REDIRECT", 307},
            {"HTTP_PERMANENT_REDIRECT", 308}, {"HTTP_BAD_REQUEST", 400}, {"HTTP_UNAUTHORIZED", 401},
            {"HTTP_PAYMENT_REQUIRED", 402}, {"HTTP_FORBIDDEN", 403}, {"HTTP_NOT_FOUND", 404},
            {"HTTP_NOT_ALLOWED", 405}, {"HTTP_NOT_ACCEPTABLE", 406}, {"HTTP_REQUEST_TIMEOUT", 408},
            {"HTTP_CONFLICT", 409}, {"HTTP_GONE", 410}, {"HTTP_UPGRADE_REQUIRED", 426},
            {"HTTP_TOO_MANY_REQUESTS", 429}, {"HTTP_CLOSE", 444}, {"HTTP_ILLEGAL", 451},
            {"HTTP_INTERNAL_SERVER_ERROR", 500}, {"HTTP_METHOD_NOT_IMPLEMENTED", 501}, {"HTTP_NOT_IMPLEMENTED", 501},
            {"HTTP_BAD_GATEWAY", 502}, {"HTTP_SERVICE_UNAVAILABLE", 503}, {"HTTP_GATEWAY_TIMEOUT", 504},
            {"HTTP_VERSION_NOT_SUPPORTED", 505}, {"HTTP_INSUFFICIENT_STORAGE", 507},
        };
        for (Object[] s : statuses) {
            m.put((String) s[0], (Integer) s[1]);
        }
        for (LogLevel l : LogLevel.values()) {
            m.put(l == LogLevel.ERR ? "ERR" : l.name(), l.code());
        }
        return Collections.unmodifiableMap(m);
    }
}
