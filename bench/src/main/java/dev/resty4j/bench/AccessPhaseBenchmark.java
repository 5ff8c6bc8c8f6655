package dev.resty4j.bench;

import dev.resty4j.Resty;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A typical access-phase script (3 header reads, one variable, one shared-dict incr, one response header)
 * through the real engine and phase pipeline, without the network: dispatch to a worker fiber, run the
 * access script, finish the response into a sink that completes a future.
 *
 * <p>Run: {@code bench/run-jmh.sh} (results go to bench/results/).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class AccessPhaseBenchmark extends PipelineBenchmark {

    static final String ACCESS = """
            local h = ngx.req.get_headers()
            local ua = h["user-agent"]
            local key = h["x-api-key"]
            local client = h["x-client-id"]
            local addr = ngx.var.remote_addr
            local n = ngx.shared.limits:incr(addr, 1, 0)
            ngx.header["X-RateLimit-Count"] = n
            """;

    static final String[] HEADERS = {"User-Agent", "bench", "X-Api-Key", "k", "X-Client-Id", "c"};

    @Override
    protected String[] headers() {
        return HEADERS;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        resty = Resty.builder().workers(2).sharedDict("limits", "10m")
                .location("/api/", l -> l.accessByLua(ACCESS).contentByLua("ngx.print('ok')"))
                .build();
    }

    /**
     * Throughput: a batch of requests dispatched at once (as an event loop hands them over), each on its
     * own fiber; the score is the amortised cost of one request including the fiber hand-off.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object dispatchedBatch() throws Exception {
        return dispatchBatch();
    }

    /**
     * The engine's own cost: one fiber runs a batch of requests back to back through the phases (no
     * thread hand-off per request), which is what a busy worker does.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object inOneFiber() throws Exception {
        return batchInOneFiber();
    }

    /** Latency of one request alone: dispatch to a fiber and wait for its response (two thread wake-ups). */
    @Benchmark
    public Object singleRequestLatency() throws Exception {
        return dispatchOne();
    }
}
