package dev.resty4j.core.log;

import dev.resty4j.core.request.RequestContext;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error log: {@code ngx.log}, {@code print}, script errors and resty4j's own messages. Lines go to
 * SLF4J (logger {@code resty4j}, nginx levels mapped onto SLF4J's) and to any registered sinks (tests and
 * the mock request context read them there). The {@code error_log} level filters both, as in nginx.
 */
public final class RestyLogger {

    private static final Logger LOG = LoggerFactory.getLogger("resty4j");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");
    private static final long PID = ProcessHandle.current().pid();

    private volatile LogLevel threshold;
    private final List<Consumer<LogRecord>> sinks = new CopyOnWriteArrayList<>();

    public RestyLogger(LogLevel threshold) {
        this.threshold = threshold;
    }

    public LogLevel threshold() {
        return threshold;
    }

    public void threshold(LogLevel level) {
        this.threshold = level;
    }

    public void addSink(Consumer<LogRecord> sink) {
        sinks.add(sink);
    }

    public void removeSink(Consumer<LogRecord> sink) {
        sinks.remove(sink);
    }

    public boolean enabled(LogLevel level) {
        return level.code() <= threshold.code();
    }

    /** Logs a message for a request (null outside requests), with nginx's request suffix. */
    public void log(LogLevel level, RequestContext req, String message) {
        if (!enabled(level)) {
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
        if (req != null && req.method() != null) {
            line.append(", client: ").append(req.remoteAddr()).append(", server: ").append(req.serverName())
                    .append(", request: \"").append(req.requestLine()).append('"');
            String host = req.requestHeaders().get("Host");
            if (host != null) {
                line.append(", host: \"").append(host).append('"');
            }
        }
        String text = line.toString();
        switch (level) {
            case DEBUG -> LOG.debug(text);
            case INFO, NOTICE -> LOG.info(text);
            case WARN -> LOG.warn(text);
            default -> LOG.error(text);
        }
        if (!sinks.isEmpty()) {
            LogRecord rec = new LogRecord(level, message, text, req == null ? 0 : req.id());
            for (Consumer<LogRecord> s : sinks) {
                s.accept(rec);
            }
        }
    }

    /** A failure inside resty4j itself (never a script's fault): always logged, with the Java stack. */
    public void internalError(String message, Throwable t) {
        LOG.error(message, t);
        log(LogLevel.ALERT, null, message + ": " + t);
    }
}
