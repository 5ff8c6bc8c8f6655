package dev.resty4j.server;

import dev.resty4j.config.ConfigException;
import dev.resty4j.config.ConfigLoader;
import dev.resty4j.core.engine.ScriptException;
import dev.resty4j.server.admin.AdminServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code ./resty4j}: {@code serve -c CONF [--listen HOST:PORT]} (like {@code nginx -c}),
 * {@code check -c CONF} (like {@code nginx -t}) and {@code conformance --cases DIR}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        String cmd = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (cmd) {
            case "serve" -> System.exit(serve(rest));
            case "check" -> System.exit(check(rest));
            case "conformance" -> System.exit(Conformance.run(rest));
            case "-h", "--help", "help" -> usage();
            default -> {
                System.err.println("unknown command: " + cmd);
                usage();
                System.exit(2);
            }
        }
    }

    private static void usage() {
        System.err.println("""
                usage: resty4j serve -c CONF [--listen HOST:PORT] [--workers N] [--admin HOST:PORT] [--pid FILE] [--warn-unknown]
                       resty4j check -c CONF
                       resty4j conformance --cases DIR [--report FILE] [--area NAME] [--id TEXT] [--host vertx|netty]""");
    }

    private static Path conf(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("-c")) {
                return Path.of(args[i + 1]);
            }
        }
        System.err.println("missing -c CONF");
        System.exit(2);
        return null;
    }

    private static String option(String[] args, String name) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return null;
    }

    private static ConfigLoader.Options options(String[] args) {
        boolean warn = Arrays.asList(args).contains("--warn-unknown");
        return new ConfigLoader.Options(warn, w -> System.err.println("resty4j: [warn] " + w));
    }

    static int serve(String[] args) {
        Path conf = conf(args);
        try {
            String workers = option(args, "--workers");
            String adminAt = option(args, "--admin");
            AdminServer admin = adminAt == null ? null : new AdminServer();
            RestyServer server = RestyServer.start(conf, option(args, "--listen"), null,
                    b -> {
                        if (workers != null) {
                            b.workers(Integer.parseInt(workers));
                        }
                        if (admin != null) {
                            admin.configure(b);
                        }
                    }, options(args));
            if (admin != null) {
                admin.listen(server.resty().vertx(), adminAt, server::resty);
                System.out.println("resty4j: admin (status page, /metrics) on port " + admin.port());
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (admin != null) {
                    admin.close();
                }
                server.close();
            }));
            String pid = option(args, "--pid");
            HupReload.install(server, conf, pid != null ? Path.of(pid) : HupReload.defaultPidFile());
            for (int i = 0; i < server.resty().servers().size(); i++) {
                System.out.println("resty4j: serving " + conf + " on port " + server.port(i));
            }
            Thread.currentThread().join();
            return 0;
        } catch (ConfigException | ScriptException e) {
            System.err.println("resty4j: [emerg] " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            return 0;
        }
    }

    static int check(String[] args) {
        Path conf = conf(args);
        if (!Files.exists(conf)) {
            System.err.println("resty4j: [emerg] open() \"" + conf + "\" failed (No such file or directory)");
            return 1;
        }
        try (var resty = ConfigLoader.load(conf, options(args)).workers(1).build()) {
            System.out.println("resty4j: the configuration file " + conf + " syntax is ok");
            System.out.println("resty4j: configuration file " + conf + " test is successful");
            return 0;
        } catch (ConfigException | ScriptException e) {
            System.err.println("resty4j: [emerg] " + e.getMessage());
            System.err.println("resty4j: configuration file " + conf + " test failed");
            return 1;
        }
    }
}
