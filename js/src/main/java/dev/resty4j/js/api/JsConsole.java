package dev.resty4j.js.api;

import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.worker.Worker;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** {@code console.log} and friends: each line goes to the error log at level info, as {@code [js]} lines. */
public final class JsConsole extends OutputStream {

    private final Worker worker;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    public JsConsole(Worker worker) {
        this.worker = worker;
    }

    @Override
    public void write(int b) {
        if (b == '\n') {
            flushLine();
        } else {
            line.write(b);
        }
    }

    @Override
    public void flush() {
        if (line.size() > 0) {
            flushLine();
        }
    }

    private void flushLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        worker.resty().logger().log(LogLevel.INFO, worker.current(), "[js] console: " + text);
    }
}
