package dev.resty4j.core.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code error_log} directives in force at one level (main/http, server or location): nginx writes a
 * line to every destination of the level whose own threshold admits it. No directive at all means SLF4J
 * (logger {@code resty4j}) at the builder's level, which is how an embedding service sees the log.
 */
public final class ErrorLog {

    /** One {@code error_log DESTINATION [LEVEL];}: a file path, {@code stderr} or {@code /dev/null}. */
    public record Target(String destination, LogLevel level) {
        public Target {
            if (destination == null || destination.isEmpty()) {
                throw new IllegalArgumentException("empty error_log destination");
            }
            if (level == null) {
                level = LogLevel.ERR; // nginx's default when the level is omitted
            }
        }

        public boolean isDiscard() {
            return destination.equals("/dev/null");
        }

        public boolean isStderr() {
            return destination.equals("stderr");
        }
    }

    /** A destination's writer: each line goes out in one write, so appending processes do not interleave. */
    interface Output extends AutoCloseable {
        void write(String line);

        @Override
        void close();
    }

    private record Entry(LogLevel level, Output out) {
    }

    private final List<Entry> entries;
    private final int maxCode;

    private ErrorLog(List<Entry> entries) {
        this.entries = entries;
        int max = -1;
        for (Entry e : entries) {
            max = Math.max(max, e.level().code());
        }
        this.maxCode = max;
    }

    /**
     * Opens the targets (sharing one writer per destination through {@code open}, as nginx opens each file
     * once however many levels name it).
     */
    static ErrorLog of(List<Target> targets, Map<String, Output> open) {
        List<Entry> entries = new ArrayList<>();
        for (Target t : targets) {
            if (t.isDiscard()) {
                continue; // nothing is ever written, so it must not make any level enabled either
            }
            entries.add(new Entry(t.level(), open.computeIfAbsent(t.destination(), ErrorLog::output)));
        }
        return new ErrorLog(List.copyOf(entries));
    }

    /** True when some destination of this level takes lines of that level. */
    boolean enabled(LogLevel level) {
        return level.code() <= maxCode;
    }

    int maxCode() {
        return maxCode;
    }

    void write(LogLevel level, String line) {
        for (Entry e : entries) {
            if (level.code() <= e.level().code()) {
                e.out().write(line);
            }
        }
    }

    /**
     * Checks that a destination can be written, as nginx opens its log files when it reads the config.
     *
     * @return null when it can, else nginx's message ({@code open() "/x/error.log" failed (No such file or directory)})
     */
    public static String checkWritable(String destination) {
        if (destination.equals("stderr") || destination.equals("/dev/null")) {
            return null;
        }
        try (OutputStream ignored = new FileOutputStream(destination, true)) {
            return null;
        } catch (IOException e) {
            String reason = e.getMessage();
            int paren = reason == null ? -1 : reason.lastIndexOf(" (");
            return "open() \"" + destination + "\" failed" + (paren >= 0 ? reason.substring(paren) : " (" + reason + ")");
        }
    }

    private static Output output(String destination) {
        if (destination.equals("stderr")) {
            return new Output() {
                @Override
                public void write(String line) {
                    PrintStream err = System.err;
                    err.print(line + "\n");
                    err.flush();
                }

                @Override
                public void close() {
                }
            };
        }
        // Opened on the first line, so an instance that never logs (a reload refused at compile time) holds no fd.
        return new Output() {
            private FileOutputStream file;
            private boolean closed;

            @Override
            public synchronized void write(String line) {
                if (closed) {
                    return;
                }
                byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
                try {
                    if (file == null) {
                        file = new FileOutputStream(destination, true); // O_APPEND: whole lines from every writer
                    }
                    file.write(bytes);
                } catch (IOException e) {
                    // nginx goes on when a log write fails (disk full, file gone); so does the request
                }
            }

            @Override
            public synchronized void close() {
                closed = true;
                if (file != null) {
                    try {
                        file.close();
                    } catch (IOException e) {
                        // nothing to act on: the lines were written or already lost
                    }
                }
            }
        };
    }
}
