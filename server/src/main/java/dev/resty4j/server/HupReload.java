package dev.resty4j.server;

import dev.resty4j.config.ConfigException;
import dev.resty4j.core.engine.ScriptException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * nginx's reload for {@code ./resty4j serve}: {@code SIGHUP} re-reads the config file and swaps it in
 * ({@link RestyServer#reload()}); a broken config is reported and the running one keeps serving. The
 * process id goes to a pid file so that {@code ./resty4j reload} (the launcher) can send the signal.
 */
final class HupReload {

    private HupReload() {
    }

    /** The pid file when {@code --pid} is not given (the launcher's {@code reload} uses the same default). */
    static Path defaultPidFile() {
        String tmp = System.getenv("TMPDIR");
        return Path.of(tmp == null || tmp.isEmpty() ? "/tmp" : tmp, "resty4j.pid");
    }

    /** Writes the pid file (removed at exit) and handles SIGHUP. */
    static void install(RestyServer server, Path conf, Path pidFile) {
        try {
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
            pidFile.toFile().deleteOnExit();
        } catch (IOException e) {
            System.err.println("resty4j: [warn] cannot write pid file " + pidFile + ": " + e.getMessage()
                    + "; ./resty4j reload will not find this process");
        }
        // sun.misc.Signal is the only way to catch SIGHUP in a JVM; it is supported (jdk.unsupported).
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> reload(server, conf));
    }

    static void reload(RestyServer server, Path conf) {
        try {
            server.reload();
            System.out.println("resty4j: [notice] reconfigured from " + conf + " (generation " + server.generation() + ")");
        } catch (ConfigException | ScriptException e) {
            System.err.println("resty4j: [emerg] " + e.getMessage());
            System.err.println("resty4j: [alert] reload refused, still serving the previous configuration");
        } catch (RuntimeException e) {
            System.err.println("resty4j: [alert] reload failed, still serving the previous configuration: " + e);
        }
    }
}
