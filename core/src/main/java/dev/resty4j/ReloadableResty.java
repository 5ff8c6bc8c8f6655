package dev.resty4j;

import dev.resty4j.config.ConfigException;
import dev.resty4j.core.engine.ScriptException;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.request.RequestFactory;
import dev.resty4j.host.vertx.VertxHost;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;

/**
 * A {@link Resty} whose scripts and config can be replaced without restarting, as nginx does on
 * {@code SIGHUP}:
 *
 * <pre>{@code
 * ReloadableResty resty = ReloadableResty.start(vertx, () -> ConfigLoader.load(conf, options));
 * vertx.createHttpServer().requestHandler(resty.handler()).listen(8080);
 * ...
 * resty.reload();   // re-reads the config; throws (and changes nothing) if it is broken
 * }</pre>
 *
 * <p>A reload builds a complete new instance first: the config is parsed, every script compiled, the
 * workers and their VMs created and {@code init_by_lua}/{@code init_worker_by_lua} run. If any of that
 * fails, the reload throws and the running instance keeps serving, untouched. Otherwise the new
 * instance becomes current in one volatile write: requests arriving from then on run on it, while
 * requests already in flight finish on the instance they started on (a request is bound to its
 * instance when its context is created, see {@link RequestFactory#RequestFactory(java.util.function.Supplier, int)}).
 * Shared dicts declared again with the same size are carried over with their contents (nginx keeps
 * its shared memory zones across a HUP); per-worker state (Lua globals, module caches, lrucache) starts
 * fresh in the new VMs. The old instance is retired once its workers are idle (or after the drain
 * timeout): {@code exit_worker_by_lua} runs there and it is closed.
 *
 * <p>All instances share one Vert.x (given, or created and owned by this object). A reload may change
 * anything but the number of server blocks, since hosts were mounted per block; a config that adds or
 * removes one is refused.
 */
public final class ReloadableResty implements AutoCloseable {

    /** Where each version's configuration comes from (e.g. re-reading nginx.conf). */
    @FunctionalInterface
    public interface Source {
        Resty.Builder load() throws ConfigException, ScriptException;
    }

    /** How long a retired instance may take to finish its in-flight requests before it is closed anyway. */
    static final Duration DEFAULT_DRAIN = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final Source source;
    private final Duration drainTimeout;
    private final Object reloadLock = new Object();
    private volatile Resty current;
    private volatile int generation = 1;
    private volatile boolean closed;

    private ReloadableResty(Vertx vertx, boolean ownsVertx, Source source, Duration drainTimeout) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.source = source;
        this.drainTimeout = drainTimeout;
    }

    /**
     * Builds the first instance from {@code source}.
     *
     * @param vertx the Vert.x every version uses, or null to create (and on {@link #close} close) one
     */
    public static ReloadableResty start(Vertx vertx, Source source) throws ConfigException, ScriptException {
        return start(vertx, source, DEFAULT_DRAIN);
    }

    public static ReloadableResty start(Vertx vertx, Source source, Duration drainTimeout)
            throws ConfigException, ScriptException {
        boolean owns = vertx == null;
        Vertx v = owns ? Vertx.vertx() : vertx;
        ReloadableResty r = new ReloadableResty(v, owns, source, drainTimeout);
        try {
            r.current = source.load().vertx(v).build();
        } catch (ConfigException | ScriptException | RuntimeException e) {
            if (owns) {
                v.close();
            }
            throw e;
        }
        return r;
    }

    /** The instance new requests go to. */
    public Resty current() {
        return current;
    }

    /** 1 for the first version, +1 per successful reload. */
    public int generation() {
        return generation;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** A Vert.x request handler for the first server block that always serves the current version. */
    public Handler<HttpServerRequest> handler() {
        return handler(0);
    }

    /** A Vert.x request handler for a server block (config order) that always serves the current version. */
    public Handler<HttpServerRequest> handler(int serverIndex) {
        return new VertxHost(new RequestFactory(this::current, serverIndex));
    }

    /** Re-reads the configuration from the source and swaps it in (see the class comment). */
    public Resty reload() throws ConfigException, ScriptException {
        synchronized (reloadLock) {
            return swapIn(source.load());
        }
    }

    /**
     * Swaps in the configuration {@code next} describes (its Vert.x is replaced by the shared one).
     *
     * @throws ScriptException when a script does not compile or init fails: nothing changed
     */
    public Resty reload(Resty.Builder next) throws ScriptException {
        synchronized (reloadLock) {
            return swapIn(next);
        }
    }

    private Resty swapIn(Resty.Builder next) throws ScriptException {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        Resty old = current;
        Resty fresh = next.vertx(vertx).inheritSharedDicts(old).build();
        if (fresh.servers().size() != old.servers().size()) {
            fresh.close();
            old.metrics().bind(old); // building bound the metrics' gauges to the refused instance
            throw new ScriptException("reload refused: the configuration has " + fresh.servers().size()
                    + " server block(s) instead of " + old.servers().size() + "; restart to change listeners");
        }
        current = fresh;
        generation++;
        fresh.logger().log(LogLevel.NOTICE, null, "reconfiguring: generation " + generation + " serving");
        retire(old);
        return fresh;
    }

    /** Closes {@code old} once its workers have no request or timer left (or the drain timeout passed). */
    private void retire(Resty old) {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        Thread.ofVirtual().name("resty4j-retire").start(() -> {
            try {
                // A request whose context was made just before the swap may still be reading its body:
                // give such stragglers a moment to reach a worker before judging the workers idle.
                Thread.sleep(200);
                while (busy(old) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            old.close();
        });
    }

    private static boolean busy(Resty r) {
        for (int i = 0; i < r.workerCount(); i++) {
            if (r.worker(i).activeFibers() > 0) {
                return true;
            }
        }
        return false;
    }

    /** Closes the current instance (and Vert.x, if this object created it). */
    @Override
    public void close() {
        synchronized (reloadLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        current.close();
        if (ownsVertx) {
            vertx.close().await();
        }
    }
}
