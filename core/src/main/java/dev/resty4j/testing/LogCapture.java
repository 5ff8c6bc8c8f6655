package dev.resty4j.testing;

import dev.resty4j.core.log.LogRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The log sink of a {@link RestyTester}: keeps every record, and also files the records of each request
 * the tester is running under that request's id, so a {@link MockResponse} can carry its own lines without
 * scanning everything logged so far (a test may run thousands of requests).
 */
final class LogCapture implements Consumer<LogRecord> {

    private final List<LogRecord> all = new ArrayList<>();
    private final ConcurrentHashMap<Long, List<LogRecord>> inFlight = new ConcurrentHashMap<>();

    @Override
    public void accept(LogRecord rec) {
        synchronized (all) {
            all.add(rec);
        }
        if (rec.requestId() != 0) {
            List<LogRecord> mine = inFlight.get(rec.requestId());
            if (mine != null) {
                synchronized (mine) {
                    mine.add(rec);
                }
            }
        }
    }

    /** Starts collecting the records of a request; call before anything can log for it. */
    void track(long requestId) {
        inFlight.put(requestId, new ArrayList<>(2));
    }

    /** Stops collecting for a request and returns what it logged. */
    List<LogRecord> untrack(long requestId) {
        List<LogRecord> mine = inFlight.remove(requestId);
        if (mine == null) {
            return List.of();
        }
        synchronized (mine) {
            return List.copyOf(mine);
        }
    }

    List<LogRecord> all() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    void clear() {
        synchronized (all) {
            all.clear();
        }
    }
}
