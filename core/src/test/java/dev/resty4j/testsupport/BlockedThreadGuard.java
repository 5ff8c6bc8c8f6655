package dev.resty4j.testsupport;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class when Vert.x reported a blocked event loop while it ran: nothing resty4j does may
 * block an event loop (scripts run on worker fibers), so Vert.x's "has been blocked for" warning is a bug.
 * Registered for every test class through JUnit's extension auto-detection (see junit-platform.properties).
 */
public final class BlockedThreadGuard implements BeforeAllCallback, AfterAllCallback {

    private static final String CHECKER = "io.vertx.core.impl.BlockedThreadChecker";
    private static final List<String> BLOCKED = new CopyOnWriteArrayList<>();
    private static volatile boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
        BLOCKED.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!BLOCKED.isEmpty()) {
            String first = BLOCKED.get(0);
            BLOCKED.clear();
            throw new AssertionError("Vert.x reported a blocked thread during " + context.getDisplayName() + ": " + first);
        }
    }

    private static synchronized void install() {
        if (installed || !(LoggerFactory.getLogger(CHECKER) instanceof Logger logger)) {
            return;
        }
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                BLOCKED.add(e.getFormattedMessage());
            }
        };
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(ch.qos.logback.classic.Level.WARN);
        installed = true;
    }
}
