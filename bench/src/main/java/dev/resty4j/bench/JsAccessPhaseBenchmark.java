package dev.resty4j.bench;

import dev.resty4j.Phase;
import dev.resty4j.Resty;
import dev.resty4j.Script;
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
 * {@link AccessPhaseBenchmark}'s access script in JavaScript (GraalJS), through the same pipeline: compare the
 * two classes' scores in one run. Without the Graal compiler on the JVM (see README, JavaScript) GraalJS
 * runs interpreted, which is what this measures unless the JVM runs with the compiler flags.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class JsAccessPhaseBenchmark extends PipelineBenchmark {

    static final String ACCESS = """
            const h = ngx.req.get_headers();
            const ua = h["user-agent"];
            const key = h["x-api-key"];
            const client = h["x-client-id"];
            const addr = ngx.var.remote_addr;
            const n = ngx.shared.limits.incr(addr, 1, 0);
            ngx.header["X-RateLimit-Count"] = n;
            """;

    @Override
    protected String[] headers() {
        return AccessPhaseBenchmark.HEADERS;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        resty = Resty.builder().workers(2).sharedDict("limits", "10m")
                .location("/api/", l -> l.phase(Phase.ACCESS, new Script("js", ACCESS, "access_by_js", 1, null))
                        .phase(Phase.CONTENT, new Script("js", "ngx.print('ok')", "content_by_js", 1, null)))
                .build();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object dispatchedBatch() throws Exception {
        return dispatchBatch();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object inOneFiber() throws Exception {
        return batchInOneFiber();
    }
}
