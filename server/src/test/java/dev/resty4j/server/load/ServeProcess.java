package dev.resty4j.server.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./resty4j serve} as a separate process (the test's class path, so no {@code ./resty4j build} is
 * needed), for tests that signal it ({@code SIGHUP}) and measure it from outside (threads and file
 * descriptors from {@code /proc}, heap after a full GC through {@code jcmd}) while wrk loads it.
 */
final class ServeProcess implements AutoCloseable {

    private static final Pattern SERVING = Pattern.compile("resty4j: serving .* on port (\\d+)");
    private static final Pattern HEAP_USED = Pattern.compile("heap .*?used (\\d+)K");
    /** Output lines kept for assertions and failure messages (the oldest are dropped beyond this). */
    private static final int KEPT_LINES = 5_000;

    private final Process process;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private int reconfigured;
    private int refused;
    private final int port;

    private ServeProcess(Process process) throws Exception {
        this.process = process;
        Thread reader = Thread.ofPlatform().daemon().name("serve-output").start(this::readOutput);
        int found = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (found < 0 && System.nanoTime() < deadline && process.isAlive()) {
            synchronized (this) {
                for (String l : lines) {
                    Matcher m = SERVING.matcher(l);
                    if (m.find()) {
                        found = Integer.parseInt(m.group(1));
                    }
                }
                if (found < 0) {
                    wait(100);
                }
            }
        }
        if (found < 0) {
            close();
            reader.join(2000);
            throw new IllegalStateException("serve did not start:\n" + output());
        }
        this.port = found;
    }

    /** Starts {@code serve -c CONF --listen 127.0.0.1:0 --pid PID_FILE [extra...]}. */
    static ServeProcess start(Path conf, Path pidFile, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "dev.resty4j.server.Main", "serve", "-c", conf.toString(), "--listen", "127.0.0.1:0",
                "--pid", pidFile.toString()));
        cmd.addAll(List.of(extra));
        return new ServeProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                synchronized (this) {
                    if (l.contains("[notice] reconfigured")) {
                        reconfigured++;
                    }
                    if (l.contains("reload refused")) {
                        refused++;
                    }
                    lines.addLast(l);
                    if (lines.size() > KEPT_LINES) {
                        lines.removeFirst();
                    }
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** What {@code ./resty4j reload} does: SIGHUP to the process. */
    void hup() throws Exception {
        int rc = new ProcessBuilder("kill", "-HUP", Long.toString(pid())).inheritIO().start().waitFor();
        if (rc != 0) {
            throw new IllegalStateException("kill -HUP " + pid() + " failed: " + rc);
        }
    }

    synchronized int reconfigured() {
        return reconfigured;
    }

    synchronized int refused() {
        return refused;
    }

    /** Waits until the reloads seen (successful plus refused) reach {@code count}. */
    synchronized boolean awaitReloads(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (reconfigured + refused < count && System.nanoTime() < deadline) {
            wait(50);
        }
        return reconfigured + refused >= count;
    }

    synchronized String output() {
        return String.join("\n", lines);
    }

    synchronized List<String> lines(Predicate<String> which) {
        return lines.stream().filter(which).toList();
    }

    /** The process's figures now: live threads, open file descriptors, heap used after a full GC. */
    Resources measure() throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        run(jcmd, Long.toString(pid()), "GC.run");
        run(jcmd, Long.toString(pid()), "GC.run"); // a second one, so objects that needed finalizing are gone too
        Matcher m = HEAP_USED.matcher(run(jcmd, Long.toString(pid()), "GC.heap_info"));
        if (!m.find()) {
            throw new IllegalStateException("no heap figure from jcmd GC.heap_info");
        }
        long heapKb = Long.parseLong(m.group(1));
        int threads = -1;
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (l.startsWith("Threads:")) {
                threads = Integer.parseInt(l.substring(8).trim());
            }
        }
        long fds;
        try (var s = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            fds = s.count();
        }
        return new Resources(heapKb * 1024, threads, (int) fds);
    }

    /** Figures of the serve process. */
    record Resources(long heapAfterGcBytes, int threads, int fds) {
        @Override
        public String toString() {
            return String.format("heap after GC %.1f MiB, threads %d, fds %d", heapAfterGcBytes / 1048576.0, threads, fds);
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the shutdown hook closes the server
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
