package dev.resty4j.lua;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The memcached the cosocket tests talk to, on 127.0.0.1:11211. CI starts it before the tests
 * ({@code .ci/run}); locally it is started here from Debian's {@code memcached} package when it is installed
 * and nothing answers. Without it the tests are skipped locally, and fail under {@code CI=true}.
 */
final class Memcached {

    static final String HOST = "127.0.0.1";
    static final int PORT = 11211;

    private static Process startedHere;

    private Memcached() {
    }

    static synchronized void ensureRunning() throws InterruptedException {
        if (answers()) {
            return;
        }
        if (startedHere == null) {
            try {
                // -u root: memcached refuses to run as root without it (CI and dev machines run as root).
                startedHere = new ProcessBuilder("memcached", "-u", "root", "-l", HOST, "-p", Integer.toString(PORT), "-U", "0")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                unavailable("memcached is not installed (apt-get install memcached): " + e.getMessage());
            }
        }
        for (int i = 0; i < 100 && !answers(); i++) {
            Thread.sleep(50);
        }
        if (!answers()) {
            unavailable("memcached does not answer on " + HOST + ":" + PORT);
        }
    }

    static synchronized void stopIfStartedHere() {
        if (startedHere != null) {
            startedHere.destroy();
            try {
                startedHere.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            startedHere = null;
        }
    }

    private static boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void unavailable(String why) {
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(why);
        }
        Assumptions.abort(why);
    }
}
