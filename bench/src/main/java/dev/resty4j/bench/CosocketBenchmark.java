package dev.resty4j.bench;

import dev.resty4j.Resty;
import dev.resty4j.core.request.RequestContext;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Suspending a script on I/O and resuming it: the mechanism behind every cosocket call.
 * <ul>
 * <li>{@code awaitEventLoopCompletion}: a fiber awaits a Vert.x future that an event loop completes
 *     ({@code Worker.await}: give the worker up, park, get queued by the callback, take the worker back);
 *     no socket, so the score is the suspend/resume cost alone.</li>
 * <li>{@code tcpRoundTrip}: a Lua script on a connected {@code ngx.socket.tcp} sends a line to an echo
 *     server on loopback and receives the answer: the full cosocket path including the network.</li>
 * </ul>
 *
 * <p>Run: {@code bench/run-jmh.sh CosocketBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CosocketBenchmark {

    static final int ROUNDS = 200;

    private Resty resty;
    private Vertx vertx;
    private NetServer echo;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        vertx = Vertx.vertx();
        echo = vertx.createNetServer().connectHandler(s -> s.handler(s::write)).listen(0, "127.0.0.1").await();
        String content = """
                local sock = ngx.socket.tcp()
                sock:settimeout(5000)
                assert(sock:connect("127.0.0.1", %d))
                for i = 1, %d do
                    assert(sock:send("ping\\n"))
                    assert(sock:receive() == "ping")
                end
                sock:close()
                ngx.print('ok')
                """.formatted(echo.actualPort(), ROUNDS);
        resty = Resty.builder().workers(1).location("/api/", l -> l.contentByLua(content)).build();
        if (tcpRoundTrip() != 200) {
            throw new IllegalStateException("the cosocket script failed");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        resty.close();
        vertx.close().await();
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public Object awaitEventLoopCompletion() throws Exception {
        CompletableFuture<Object> finished = new CompletableFuture<>();
        var worker = resty.worker(0);
        var context = vertx.getOrCreateContext();
        worker.spawn(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                Promise<Integer> p = Promise.promise();
                int n = i;
                context.runOnContext(v -> p.complete(n));
                worker.await(p.future());
            }
            finished.complete(null);
        });
        return finished.get();
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public int tcpRoundTrip() throws Exception {
        RequestContext req = NgxApiBenchmark.request(resty);
        CompletableFuture<Integer> done = PipelineBenchmark.done(req);
        resty.pipeline().dispatch(req, resty.servers().get(0));
        return done.get();
    }
}
