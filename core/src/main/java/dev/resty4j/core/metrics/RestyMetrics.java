package dev.resty4j.core.metrics;

import dev.resty4j.Phase;
import dev.resty4j.Resty;
import dev.resty4j.core.phase.PhaseRunner;
import dev.resty4j.core.request.RequestContext;

/**
 * What the engine tells a metrics backend: every phase script run and every finished request. The core
 * calls it on the request's worker fiber, so implementations must be quick and thread-safe and must not
 * block. It names no metrics library: {@link MicrometerMetrics} is the Micrometer implementation
 * (Micrometer is an optional dependency, needed only when you use that class).
 */
public interface RestyMetrics {

    /** Records nothing (the default). */
    RestyMetrics NONE = new RestyMetrics() {
    };

    /**
     * A phase script ran for a request ({@code req.location()} is null in server_rewrite and init phases).
     *
     * @param nanos wall time from start to end, suspensions (ngx.sleep, cosockets) included
     */
    default void phaseRun(RequestContext req, Phase phase, PhaseRunner.Outcome outcome, long nanos) {
    }

    /** A request is over, its log phase included (subrequests are not reported). */
    default void requestDone(RequestContext req) {
    }

    /**
     * A binding's cosocket operation ({@code "redis"}, {@code "command"}); see {@link CosocketMetrics}.
     * Called on worker fibers and event loops.
     */
    default void cosocketOperation(String binding, String operation) {
    }

    /**
     * A binding registered a source of idle pooled connections on the instance last {@linkplain #bind bound}
     * (read back with {@code resty.cosocketMetrics().idleConnections(binding)}).
     */
    default void cosocketPool(String binding) {
    }

    /**
     * The instance this backend now reports on: called when it is built (and again for the new instance
     * after a reload), before any request, so gauges (shared dicts, workers) can follow it.
     */
    default void bind(Resty resty) {
    }
}
