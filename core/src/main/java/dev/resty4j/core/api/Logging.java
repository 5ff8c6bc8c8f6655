package dev.resty4j.core.api;

import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.request.RequestContext;

/** {@code ngx.log(level, ...)} and Lua's {@code print} (at NOTICE), with the script position prefix. */
public final class Logging {

    private Logging() {
    }

    /** True when a message at this level would be written (so engines can skip formatting). */
    public static boolean enabled(RequestContext req, dev.resty4j.Resty resty, int level) {
        LogLevel l = LogLevel.ofCode(level);
        return l != null && resty.logger().enabled(l, req != null && req.method() != null ? req : null);
    }

    /**
     * Writes one line.
     *
     * @param position where the call came from ({@code content_by_lua(nginx.conf:12):3}), or null
     */
    public static void log(dev.resty4j.Resty resty, RequestContext req, int level, String position, String message) {
        LogLevel l = LogLevel.ofCode(level);
        if (l == null) {
            throw new NgxApiException("bad log level: " + level);
        }
        // the position also goes to the SLF4J MDC (key "script"), beside the request id, location and phase
        resty.logger().scriptLog(l, req, position, message);
    }
}
