package dev.resty4j.server.admin;

import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.log.LogRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The last error-log lines at level {@code error} or worse (script errors among them), for the status page. */
final class RecentErrors implements Consumer<LogRecord> {

    private final int capacity;
    private final ArrayDeque<Entry> lines = new ArrayDeque<>();

    record Entry(long epochMillis, LogRecord record) {
    }

    RecentErrors(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public void accept(LogRecord rec) {
        if (rec.level().code() > LogLevel.ERR.code()) {
            return;
        }
        synchronized (lines) {
            if (lines.size() == capacity) {
                lines.removeFirst();
            }
            lines.addLast(new Entry(System.currentTimeMillis(), rec));
        }
    }

    /** Newest first. */
    List<Entry> newestFirst() {
        synchronized (lines) {
            List<Entry> out = new ArrayList<>(lines);
            java.util.Collections.reverse(out);
            return out;
        }
    }
}
