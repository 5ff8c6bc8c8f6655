package dev.resty4j.core.log;

import dev.resty4j.Location;
import dev.resty4j.Script;
import dev.resty4j.core.ServerConfig;
import dev.resty4j.core.request.RequestContext;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The error log: {@code ngx.log}, {@code print}, script errors and resty4j's own messages.
 *
 * <p>Where a line goes follows nginx's {@code error_log}: the location's directives if it has any, else the
 * main/http level's; each destination (file, {@code stderr}, {@code /dev/null}) filters by its own level.
 * Without any {@code error_log}, lines go to SLF4J (logger {@code resty4j}, nginx levels mapped onto SLF4J's)
 * at the builder's level. SLF4J lines carry the request in the MDC: {@link #MDC_REQUEST_ID} (nginx's
 * {@code $request_id}), {@link #MDC_LOCATION}, {@link #MDC_PHASE} and {@link #MDC_SCRIPT} (the script
 * position when the caller knows it, else the running phase's chunk name). Registered sinks (tests, the
 * mock request context, the admin page) get every line some destination takes.
 */
public final class RestyLogger implements AutoCloseable {

    public static final String MDC_REQUEST_ID = "request_id";
    public static final String MDC_LOCATION = "location";
    public static final String MDC_PHASE = "phase";
    public static final String MDC_SCRIPT = "script";

    private static final Logger LOG = LoggerFactory.getLogger("resty4j");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");
    private static final long PID = ProcessHandle.current().pid();

    private volatile LogLevel threshold;
    private final List<Consumer<LogRecord>> sinks = new CopyOnWriteArrayList<>();
    /** Destinations opened by this instance, one writer each, closed with it. */
    private final Map<String, ErrorLog.Output> open = new HashMap<>();
    /** The main/http level's error_log, or null for SLF4J at {@link #threshold}. */
    private final ErrorLog main;
    /** Locations with their own error_log directives. */
    private volatile Map<Location, ErrorLog> perLocation = Map.of();
    /** The most verbose level any destination takes, so callers without a request can skip formatting. */
    private volatile int maxCode;

    public RestyLogger(LogLevel threshold) {
        this(threshold, List.of());
    }

    /**
     * @param mainTargets the main/http level's {@code error_log} directives; empty for SLF4J at {@code threshold}
     */
    public RestyLogger(LogLevel threshold, List<ErrorLog.Target> mainTargets) {
        this.threshold = threshold;
        this.main = mainTargets.isEmpty() ? null : ErrorLog.of(mainTargets, open);
        recomputeMax();
    }

    /**
     * Opens the {@code error_log} destinations the locations declare (kept by the config loader as the
     * location directive {@code error_log DESTINATION LEVEL}).
     */
    public void configure(List<ServerConfig> servers) {
        Map<Location, ErrorLog> map = new HashMap<>();
        for (ServerConfig s : servers) {
            for (Location loc : s.locations()) {
                List<ErrorLog.Target> targets = new ArrayList<>();
                for (List<String> args : loc.directives("error_log")) {
                    targets.add(new ErrorLog.Target(args.get(0),
                            args.size() > 1 ? LogLevel.ofLabel(args.get(1)) : LogLevel.ERR));
                }
                if (!targets.isEmpty()) {
                    synchronized (open) {
                        map.put(loc, ErrorLog.of(targets, open));
                    }
                }
            }
        }
        perLocation = Map.copyOf(map);
        recomputeMax();
    }

    private void recomputeMax() {
        int max = main == null ? threshold.code() : main.maxCode();
        for (ErrorLog l : perLocation.values()) {
            max = Math.max(max, l.maxCode());
        }
        maxCode = max;
    }

    /** The builder's level, used when no {@code error_log} destination is configured. */
    public LogLevel threshold() {
        return threshold;
    }

    public void threshold(LogLevel level) {
        this.threshold = level;
        recomputeMax();
    }

    public void addSink(Consumer<LogRecord> sink) {
        sinks.add(sink);
    }

    public void removeSink(Consumer<LogRecord> sink) {
        sinks.remove(sink);
    }

    /** True when a line at this level would be written somewhere (for some location, at least). */
    public boolean enabled(LogLevel level) {
        return level.code() <= maxCode;
    }

    /** True when a line at this level for this request (null outside requests) would be written. */
    public boolean enabled(LogLevel level, RequestContext req) {
        ErrorLog l = scope(req);
        return l == null ? level.code() <= threshold.code() : l.enabled(level);
    }

    private ErrorLog scope(RequestContext req) {
        if (req != null && req.location() != null) {
            ErrorLog own = perLocation.get(req.location());
            if (own != null) {
                return own;
            }
        }
        return main;
    }

    /** Logs a message for a request (null outside requests), with nginx's request suffix. */
    public void log(LogLevel level, RequestContext req, String message) {
        write(level, req, null, message);
    }

    /**
     * Logs a line a script wrote ({@code ngx.log}, {@code print}, an error with its traceback): as
     * {@link #log}, with the script position ({@code content_by_lua(nginx.conf:12):3}) in front of the
     * message, as nginx prints it, and in the MDC.
     *
     * @param position where in the script, or null when the engine does not know
     */
    public void scriptLog(LogLevel level, RequestContext req, String position, String message) {
        write(level, req, position, position == null ? message : position + ": " + message);
    }

    private void write(LogLevel level, RequestContext req, String position, String message) {
        if (req != null && req.method() == null) {
            req = null; // a timer's or init phase's fake request: no request suffix, as nginx
        }
        ErrorLog scope = scope(req);
        if (scope == null ? level.code() > threshold.code() : !scope.enabled(level)) {
            return;
        }
        StringBuilder line = new StringBuilder(message.length() + 128);
        line.append(LocalDateTime.now().format(TIME)).append(" [").append(level.label()).append("] ")
                .append(PID).append('#');
        if (req != null) {
            line.append(req.worker() == null ? 0 : req.worker().id()).append(": *").append(req.id()).append(' ');
        } else {
            line.append("0: ");
        }
        line.append(message);
        if (req != null) {
            line.append(", client: ").append(req.remoteAddr()).append(", server: ").append(req.serverName())
                    .append(", request: \"").append(req.requestLine()).append('"');
            String host = req.requestHeaders().get("Host");
            if (host != null) {
                line.append(", host: \"").append(host).append('"');
            }
        }
        String text = line.toString();
        if (scope == null) {
            toSlf4j(level, req, position, text);
        } else {
            scope.write(level, text);
        }
        if (!sinks.isEmpty()) {
            LogRecord rec = new LogRecord(level, message, text, req == null ? 0 : req.id());
            for (Consumer<LogRecord> s : sinks) {
                s.accept(rec);
            }
        }
    }

    private static void toSlf4j(LogLevel level, RequestContext req, String position, String text) {
        if (req == null) {
            emit(level, text);
            return;
        }
        // Fibers are virtual threads that run many requests: the keys live only for this one line.
        MDC.put(MDC_REQUEST_ID, req.requestId());
        if (req.location() != null) {
            MDC.put(MDC_LOCATION, req.location().toString());
        }
        if (req.phase() != null) {
            MDC.put(MDC_PHASE, req.phase().phaseName());
        }
        String script = position != null ? scriptPosition(position) : null;
        if (script == null) {
            script = runningChunk(req);
        }
        if (script != null) {
            MDC.put(MDC_SCRIPT, script);
        }
        try {
            emit(level, text);
        } finally {
            MDC.remove(MDC_REQUEST_ID);
            MDC.remove(MDC_LOCATION);
            MDC.remove(MDC_PHASE);
            MDC.remove(MDC_SCRIPT);
        }
    }

    /** The position without the engine's tag: {@code "[lua] content_by_lua(nginx.conf:12):3"} → {@code "content_by_lua(nginx.conf:12):3"}. */
    private static String scriptPosition(String position) {
        String p = position;
        if (p.startsWith("[")) {
            int close = p.indexOf(']');
            p = close < 0 ? p : p.substring(close + 1).trim();
        }
        return p.isEmpty() ? null : p;
    }

    /** The chunk name of the script the request's current phase runs ({@code access_by_lua(nginx.conf:7)}). */
    private static String runningChunk(RequestContext req) {
        if (req.phase() == null) {
            return null;
        }
        Script s = req.location() != null ? req.location().script(req.phase()) : null;
        if (s == null && req.server() != null && req.phase() == dev.resty4j.Phase.SERVER_REWRITE) {
            s = req.server().serverRewrite();
        }
        return s == null ? null : s.chunkName();
    }

    private static void emit(LogLevel level, String text) {
        switch (level) {
            case DEBUG -> LOG.debug(text);
            case INFO, NOTICE -> LOG.info(text);
            case WARN -> LOG.warn(text);
            default -> LOG.error(text);
        }
    }

    /** A failure inside resty4j itself (never a script's fault): always logged, with the Java stack. */
    public void internalError(String message, Throwable t) {
        LOG.error(message, t);
        log(LogLevel.ALERT, null, message + ": " + t);
    }

    /** Closes the log files this instance opened (a reloaded instance opens its own, as nginx reopens them). */
    @Override
    public void close() {
        synchronized (open) {
            for (ErrorLog.Output o : open.values()) {
                o.close();
            }
            open.clear();
        }
    }
}
