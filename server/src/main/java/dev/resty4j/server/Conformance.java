package dev.resty4j.server;

import dev.resty4j.config.ConfigLoader;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.server.conformance.CaseServer;
import dev.resty4j.server.conformance.CaseServerFactory;
import dev.resty4j.server.conformance.ConformanceCommand;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code ./resty4j conformance}: runs OpenResty's converted test cases, each on a fresh resty4j instance
 * started from a generated nginx.conf, through the real Vert.x host on loopback.
 */
final class Conformance {

    private Conformance() {
    }

    static int run(String[] args) {
        Vertx vertx = Vertx.vertx();
        try {
            CaseServerFactory vertxHost = (conf, port) -> {
                List<String> lines = new CopyOnWriteArrayList<>();
                RestyServer server = RestyServer.start(conf, null, vertx,
                        b -> b.logLevel(LogLevel.DEBUG).logSink(rec -> lines.add(rec.line())), ConfigLoader.Options.strict());
                return new CaseServer() {
                    @Override
                    public List<String> logLines() {
                        return lines;
                    }

                    @Override
                    public void close() {
                        server.close();
                    }
                };
            };
            return new ConformanceCommand(host -> vertxHost).run(args);
        } finally {
            vertx.close().await();
        }
    }
}
