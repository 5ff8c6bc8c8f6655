package dev.resty4j.server;

import dev.resty4j.Resty;
import dev.resty4j.config.ConfigLoader;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.host.netty.NettyServer;
import dev.resty4j.server.conformance.CaseServer;
import dev.resty4j.server.conformance.CaseServerFactory;
import dev.resty4j.server.conformance.ConformanceCommand;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * {@code ./resty4j conformance}: runs OpenResty's converted test cases, each on a fresh resty4j instance
 * started from a generated nginx.conf, through a real host on loopback: the Vert.x host (default) or
 * the Netty host ({@code --host netty}).
 */
final class Conformance {

    private Conformance() {
    }

    static int run(String[] args) {
        Vertx vertx = Vertx.vertx();
        try {
            CaseServerFactory vertxHost = (conf, port) -> {
                List<String> lines = new CopyOnWriteArrayList<>();
                RestyServer server = RestyServer.start(conf, null, vertx, debugLog(lines), ConfigLoader.Options.strict());
                return caseServer(lines, server::close);
            };
            // Same config and Vert.x (timers, cosockets), but requests arrive through a plain Netty server.
            CaseServerFactory nettyHost = (conf, port) -> {
                List<String> lines = new CopyOnWriteArrayList<>();
                Resty.Builder b = ConfigLoader.load(conf, ConfigLoader.Options.strict()).vertx(vertx);
                debugLog(lines).accept(b);
                Resty resty = b.build();
                NettyServer server;
                try {
                    server = NettyServer.start(resty);
                } catch (InterruptedException | RuntimeException e) {
                    resty.close();
                    throw e;
                }
                return caseServer(lines, () -> {
                    server.close();
                    resty.close();
                });
            };
            return new ConformanceCommand(host -> switch (host) {
                case "vertx" -> vertxHost;
                case "netty" -> nettyHost;
                default -> null;
            }).run(args);
        } finally {
            vertx.close().await();
        }
    }

    private static Consumer<Resty.Builder> debugLog(List<String> lines) {
        return b -> b.logLevel(LogLevel.DEBUG).logSink(rec -> lines.add(rec.line()));
    }

    private static CaseServer caseServer(List<String> lines, Runnable close) {
        return new CaseServer() {
            @Override
            public List<String> logLines() {
                return lines;
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }
}
