package dev.resty4j.bench;

import dev.resty4j.Resty;
import dev.resty4j.core.request.RequestContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@code ngx} API call as a script makes it in a request: {@code ngx.var} reads, request and response
 * header access, and shared-dict operations. The content script runs the call {@value #CALLS} times in a
 * loop inside one request, so the score is the call's own cost (the request around it is amortised to a few
 * nanoseconds; the {@code empty} case shows the loop alone).
 *
 * <p>Run: {@code bench/run-jmh.sh NgxApiBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NgxApiBenchmark {

    static final int CALLS = 1000;

    @Param({
        "empty",
        "var.remote_addr",
        "var.http_x_client_id",
        "var.uri",
        "req.get_headers",
        "header.get",
        "header.set",
        "shdict.get",
        "shdict.set",
        "shdict.incr",
    })
    public String op;

    private Resty resty;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String call = switch (op) {
            case "empty" -> "local v = i";
            case "var.remote_addr" -> "local v = var.remote_addr";
            case "var.http_x_client_id" -> "local v = var.http_x_client_id";
            case "var.uri" -> "local v = var.uri";
            case "req.get_headers" -> "local v = ngx.req.get_headers()['user-agent']";
            case "header.get" -> "local v = header['X-Bench']";
            case "header.set" -> "header['X-Bench'] = 'lua'";
            case "shdict.get" -> "local v = dict:get('k')";
            case "shdict.set" -> "dict:set('k', i)";
            case "shdict.incr" -> "local v = dict:incr('n', 1, 0)";
            default -> throw new IllegalArgumentException(op);
        };
        String content = """
                local var, header, dict = ngx.var, ngx.header, ngx.shared.bench
                dict:set('k', 'v')
                header['X-Bench'] = 'x'
                for i = 1, %d do
                    %s
                end
                ngx.print('ok')
                """.formatted(CALLS, call);
        resty = Resty.builder().workers(1).sharedDict("bench", "10m")
                .location("/api/", l -> l.contentByLua(content))
                .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        resty.close();
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public Object call() throws Exception {
        RequestContext req = request(resty);
        CompletableFuture<Integer> done = PipelineBenchmark.done(req);
        resty.pipeline().dispatch(req, resty.servers().get(0));
        int status = done.get();
        if (status != 200) {
            throw new IllegalStateException("status " + status);
        }
        return status;
    }

    static RequestContext request(Resty resty) {
        return PipelineBenchmark.request(resty, "User-Agent", "bench", "X-Client-Id", "c");
    }
}
