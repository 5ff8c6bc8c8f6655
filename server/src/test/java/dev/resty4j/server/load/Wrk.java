package dev.resty4j.server.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * wrk (Debian's package) as a subprocess, and what its report says. Without wrk on the PATH a test is
 * skipped, except under CI ({@code CI=true}), where {@code .ci/run} installs it and its absence is a failure.
 */
final class Wrk {

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern TAGGED = Pattern.compile("^SOAK (\\w+)=(\\d+)$", Pattern.MULTILINE);

    /** wrk's summary; {@code tagged} holds the {@code SOAK name=value} lines a script's done() printed. */
    record Report(String output, long requests, long non2xx3xx, long socketErrors, java.util.Map<String, Long> tagged) {
        long tag(String name) {
            Long v = tagged.get(name);
            if (v == null) {
                throw new IllegalStateException("wrk script printed no " + name + ":\n" + output);
            }
            return v;
        }
    }

    private Wrk() {
    }

    static void assumeInstalled() {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "wrk"))) {
                found = true;
            }
        }
        if (!found && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("wrk is not installed (.ci/run installs Debian's wrk package)");
        }
        Assumptions.assumeTrue(found, "wrk is not installed (apt-get install wrk)");
    }

    /** Starts wrk; {@code script} may be null. */
    static Process start(String url, int threads, int connections, int seconds, Path script) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--timeout", "10s"));
        if (script != null) {
            cmd.addAll(List.of("-s", script.toString()));
        }
        cmd.add(url);
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    static Report finish(Process wrk, int seconds) throws Exception {
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!wrk.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            wrk.destroyForcibly();
            throw new IllegalStateException("wrk did not end:\n" + out);
        }
        if (wrk.exitValue() != 0) {
            throw new IllegalStateException("wrk failed (" + wrk.exitValue() + "):\n" + out);
        }
        Matcher req = REQUESTS.matcher(out);
        if (!req.find()) {
            throw new IllegalStateException("no request count in wrk's report:\n" + out);
        }
        Matcher non = NON_2XX.matcher(out);
        Matcher sock = SOCKET_ERRORS.matcher(out);
        long socketErrors = 0;
        if (sock.find()) {
            for (int g = 1; g <= 4; g++) {
                socketErrors += Long.parseLong(sock.group(g));
            }
        }
        java.util.Map<String, Long> tagged = new java.util.TreeMap<>();
        Matcher t = TAGGED.matcher(out);
        while (t.find()) {
            tagged.put(t.group(1), Long.parseLong(t.group(2)));
        }
        return new Report(out, Long.parseLong(req.group(1)), non.find() ? Long.parseLong(non.group(1)) : 0, socketErrors,
                tagged);
    }
}
