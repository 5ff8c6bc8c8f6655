package dev.resty4j.core.metrics;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * What bindings report about their connections, without naming a metrics library: each cosocket
 * operation ({@code operation("redis", "command")}) and, per binding, where to read how many idle
 * connections its keepalive pools hold. One per {@link dev.resty4j.Resty} instance
 * ({@code resty.cosocketMetrics()}), so a reloaded instance reports its own pools and the old ones go with
 * the old instance.
 *
 * <p>Binding names are the module's short name ({@code tcp} for {@code ngx.socket.tcp}, {@code redis},
 * {@code mysql}, {@code http}); operations are the API's verbs ({@code connect}, {@code command},
 * {@code query}, {@code request}, {@code request_uri}, {@code send}, {@code receive}, {@code set_keepalive}, {@code close}).
 */
public final class CosocketMetrics {

    private final RestyMetrics metrics;
    private final Map<String, List<IntSupplier>> idleSources = new ConcurrentHashMap<>();

    public CosocketMetrics(RestyMetrics metrics) {
        this.metrics = metrics;
    }

    /** One operation of a binding (counted whatever its outcome: failures are in the script's error log). */
    public void operation(String binding, String operation) {
        metrics.cosocketOperation(binding, operation);
    }

    /**
     * Adds a source of idle pooled connections for a binding (e.g. one per worker); the binding's gauge is
     * their sum. The supplier must be cheap and thread-safe.
     */
    public void idleConnections(String binding, IntSupplier idle) {
        idleSources.computeIfAbsent(binding, b -> new CopyOnWriteArrayList<>()).add(idle);
        metrics.cosocketPool(binding);
    }

    /** Idle pooled connections of a binding now (0 for a binding that registered none). */
    public int idleConnections(String binding) {
        int n = 0;
        for (IntSupplier s : idleSources.getOrDefault(binding, List.of())) {
            n += s.getAsInt();
        }
        return n;
    }

    /** The bindings that registered pools, with their idle connections now (for the status page). */
    public Map<String, Integer> idleConnectionsByBinding() {
        Map<String, Integer> out = new TreeMap<>();
        for (String b : Set.copyOf(idleSources.keySet())) {
            out.put(b, idleConnections(b));
        }
        return out;
    }
}
