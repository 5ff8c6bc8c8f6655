package dev.resty4j.core.metrics;

import dev.resty4j.Location;
import dev.resty4j.Phase;
import dev.resty4j.Resty;
import dev.resty4j.SharedDict;
import dev.resty4j.core.phase.PhaseRunner;
import dev.resty4j.core.request.RequestContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * resty4j's metrics on a Micrometer {@link MeterRegistry}:
 *
 * <table>
 * <caption>meters</caption>
 * <tr><td>{@code resty4j.phase.duration}</td><td>timer with histogram, tags {@code location}, {@code phase}: one sample per
 *     phase script run, so its count is the requests per location and phase</td></tr>
 * <tr><td>{@code resty4j.script.errors}</td><td>counter, tags {@code location}, {@code phase}: scripts that raised an error</td></tr>
 * <tr><td>{@code resty4j.requests}</td><td>counter, tags {@code location}, {@code status}: finished requests</td></tr>
 * <tr><td>{@code resty4j.shdict.capacity}, {@code .free}, {@code .used} (bytes), {@code resty4j.shdict.evictions}</td>
 *     <td>per shared dict, tag {@code dict}</td></tr>
 * <tr><td>{@code resty4j.workers}, {@code resty4j.worker.fibers}</td><td>worker count; requests and timers in
 *     flight per worker (tag {@code worker})</td></tr>
 * <tr><td>{@code resty4j.timers.pending}, {@code resty4j.timers.running}</td><td>gauges per worker (tag {@code worker}):
 *     {@code ngx.timer.pending_count()} and {@code running_count()}</td></tr>
 * <tr><td>{@code resty4j.cosocket.operations}</td><td>counter, tags {@code binding} ({@code tcp}, {@code redis},
 *     {@code mysql}, {@code http}) and {@code operation} ({@code connect}, {@code command}, …)</td></tr>
 * <tr><td>{@code resty4j.cosocket.pool.idle}</td><td>gauge, tag {@code binding}: idle keepalive connections of all
 *     the binding's pools and workers</td></tr>
 * </table>
 *
 * <p>{@code location} is the location as nginx spells it ({@code "= /t"}, {@code "~ ^/api"}), or
 * {@code "none"} outside a location (server_rewrite, init phases, unmatched requests). Gauges follow
 * the instance last {@linkplain #bind bound}, so they survive a reload.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * Resty resty = Resty.builder().metrics(new MicrometerMetrics(registry))...build();
 * }</pre>
 */
public final class MicrometerMetrics implements RestyMetrics {

    private static final String NONE = "none";

    private final MeterRegistry registry;
    private volatile Resty resty;
    /** Meters per (location, phase) and (location, status), looked up once: requests must not build ids. */
    private final ConcurrentHashMap<Key, Timer> phaseTimers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, Counter> errorCounters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, Counter> requestCounters = new ConcurrentHashMap<>();
    private final Set<String> dictGauges = ConcurrentHashMap.newKeySet();
    private final Set<Integer> workerGauges = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<Key, Counter> operationCounters = new ConcurrentHashMap<>();
    private final Set<String> poolGauges = ConcurrentHashMap.newKeySet();

    private record Key(String location, Object what) {
    }

    public MicrometerMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("resty4j.workers", this, m -> m.resty == null ? 0 : m.resty.workerCount())
                .description("worker VMs").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void bind(Resty resty) {
        this.resty = resty;
        for (String name : resty.sharedDicts().keySet()) {
            if (dictGauges.add(name)) {
                dictGauge("resty4j.shdict.capacity", name, "declared size in bytes", SharedDict::capacity);
                dictGauge("resty4j.shdict.free", name, "free bytes", SharedDict::freeSpace);
                dictGauge("resty4j.shdict.used", name, "used bytes", d -> d.capacity() - d.freeSpace());
                FunctionCounter.builder("resty4j.shdict.evictions", this, m -> dictValue(m, name, SharedDict::evictions))
                        .tag("dict", name).description("valid entries evicted to make room (forcible stores)")
                        .register(registry);
            }
        }
        for (int i = 0; i < resty.workerCount(); i++) {
            int id = i;
            if (workerGauges.add(id)) {
                Gauge.builder("resty4j.worker.fibers", this,
                                m -> m.resty == null || id >= m.resty.workerCount() ? 0 : m.resty.worker(id).activeFibers())
                        .tag("worker", Integer.toString(id)).description("requests and timers in flight")
                        .register(registry);
                Gauge.builder("resty4j.timers.pending", this,
                                m -> m.resty == null || id >= m.resty.workerCount() ? 0 : m.resty.worker(id).timers().pendingCount())
                        .tag("worker", Integer.toString(id)).description("timers created and not yet run")
                        .register(registry);
                Gauge.builder("resty4j.timers.running", this,
                                m -> m.resty == null || id >= m.resty.workerCount() ? 0 : m.resty.worker(id).timers().runningCount())
                        .tag("worker", Integer.toString(id)).description("timer callbacks running (waiting for I/O included)")
                        .register(registry);
            }
        }
    }

    private void dictGauge(String meter, String name, String description, ToDoubleFunction<SharedDict> f) {
        Gauge.builder(meter, this, m -> dictValue(m, name, f)).tag("dict", name).description(description)
                .baseUnit("bytes").register(registry);
    }

    private static double dictValue(MicrometerMetrics m, String name, ToDoubleFunction<SharedDict> f) {
        Resty r = m.resty;
        SharedDict d = r == null ? null : r.sharedDict(name);
        return d == null ? Double.NaN : f.applyAsDouble(d);
    }

    @Override
    public void phaseRun(RequestContext req, Phase phase, PhaseRunner.Outcome outcome, long nanos) {
        Key key = new Key(location(req.location()), phase);
        phaseTimers.computeIfAbsent(key, k -> Timer.builder("resty4j.phase.duration")
                .description("phase script run time, suspensions included")
                .tag("location", k.location()).tag("phase", phase.phaseName())
                .publishPercentileHistogram().register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        if (outcome == PhaseRunner.Outcome.ERROR) {
            errorCounters.computeIfAbsent(key, k -> Counter.builder("resty4j.script.errors")
                    .description("phase scripts that raised an error")
                    .tag("location", k.location()).tag("phase", phase.phaseName()).register(registry)).increment();
        }
    }

    @Override
    public void cosocketOperation(String binding, String operation) {
        operationCounters.computeIfAbsent(new Key(binding, operation), k -> Counter.builder("resty4j.cosocket.operations")
                .description("cosocket operations of scripts, per binding").tag("binding", binding)
                .tag("operation", operation).register(registry)).increment();
    }

    @Override
    public void cosocketPool(String binding) {
        if (poolGauges.add(binding)) {
            Gauge.builder("resty4j.cosocket.pool.idle", this,
                            m -> m.resty == null ? 0 : m.resty.cosocketMetrics().idleConnections(binding))
                    .tag("binding", binding).description("idle keepalive connections in the binding's pools")
                    .register(registry);
        }
    }

    @Override
    public void requestDone(RequestContext req) {
        Key key = new Key(location(req.location()), req.status());
        requestCounters.computeIfAbsent(key, k -> Counter.builder("resty4j.requests").description("finished requests")
                .tag("location", k.location()).tag("status", Integer.toString(req.status())).register(registry))
                .increment();
    }

    private static String location(Location loc) {
        return loc == null ? NONE : loc.toString();
    }
}
