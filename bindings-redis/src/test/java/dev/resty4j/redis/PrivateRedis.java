package dev.resty4j.redis;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A redis-server of the test's own on a free loopback port, without persistence, that the test may kill
 * and start again (the machine's Redis on 6379 serves others and is never touched). No redis-server
 * binary: the test is skipped, except under {@code CI=true}, where it fails.
 */
final class PrivateRedis implements AutoCloseable {

    final int port;
    private final String binary;
    private Process process;

    private PrivateRedis(String binary, int port) {
        this.binary = binary;
        this.port = port;
    }

    static PrivateRedis start() throws Exception {
        String binary = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "redis-server")).filter(Files::isExecutable).map(Path::toString)
                .findFirst().orElse(null);
        if (binary == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("redis-server is not on the PATH (CI=true: it must be installed)");
            }
            Assumptions.abort("redis-server is not on the PATH, skipping");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PrivateRedis r = new PrivateRedis(binary, port);
        r.startProcess();
        return r;
    }

    /** Starts the server (again) on the same port and waits until it accepts connections. */
    void startProcess() throws IOException, InterruptedException {
        process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("redis-server on port " + port + " did not start", notYet);
                }
                Thread.sleep(20);
            }
        }
    }

    /** SIGKILL: connections drop without a goodbye, as when the host dies. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
