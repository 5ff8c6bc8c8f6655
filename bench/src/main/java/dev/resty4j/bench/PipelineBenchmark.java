package dev.resty4j.bench;

import dev.resty4j.Resty;
import dev.resty4j.core.request.Headers;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.request.ResponseSink;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the benchmarks of scripts share: requests for {@code GET /api/x} run through a {@link Resty}'s real
 * phase pipeline in-process, without the network, their responses going into a sink that completes a
 * future. Subclasses build {@link #resty} in their {@code @Setup} and say which headers requests carry.
 */
abstract class PipelineBenchmark {

    /** Requests per invocation of the batch benchmarks ({@code @OperationsPerInvocation(BATCH)}). */
    static final int BATCH = 256;

    protected Resty resty;

    /** The request headers besides {@code Host}: name, value, name, value, … */
    protected abstract String[] headers();

    @TearDown(Level.Trial)
    public void tearDown() {
        resty.close();
    }

    /** A fresh {@code GET /api/x} from 127.0.0.1. */
    protected RequestContext request() {
        return request(resty, headers());
    }

    /** A fresh {@code GET /api/x} from 127.0.0.1 with {@code Host} and the given headers (name, value, …). */
    static RequestContext request(Resty resty, String... headers) {
        Headers h = new Headers(1 + headers.length / 2);
        h.add("Host", "localhost");
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        RequestContext req = resty.newRequest(h);
        req.method("GET");
        req.requestUri("/api/x");
        req.uri("/api/x");
        req.remoteAddr("127.0.0.1");
        return req;
    }

    /** Completes with the response status (-1 when aborted) once the response ends. */
    protected static CompletableFuture<Integer> done(RequestContext req) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        req.sink(new ResponseSink() {
            int status;

            @Override
            public void sendHead(int s, Headers headers, long contentLength) {
                status = s;
            }

            @Override
            public void write(byte[] data) {
            }

            @Override
            public void end(byte[] last) {
                done.complete(status);
            }

            @Override
            public void abort() {
                done.complete(-1);
            }
        });
        return done;
    }

    /** One request dispatched to a worker fiber (as the host does), waited for: its status. */
    protected int dispatchOne() throws Exception {
        RequestContext req = request();
        CompletableFuture<Integer> done = done(req);
        resty.pipeline().dispatch(req, resty.servers().get(0));
        return done.get();
    }

    /** {@link #BATCH} requests dispatched at once (as an event loop hands them over), each on its own fiber. */
    protected Object dispatchBatch() throws Exception {
        CompletableFuture<?>[] all = new CompletableFuture<?>[BATCH];
        for (int i = 0; i < BATCH; i++) {
            RequestContext req = request();
            all[i] = done(req);
            resty.pipeline().dispatch(req, resty.servers().get(0));
        }
        return CompletableFuture.allOf(all).get();
    }

    /**
     * {@link #BATCH} requests back to back through the phases on one fiber of worker 0, without a thread
     * hand-off per request, which is what a busy worker does.
     */
    protected Object batchInOneFiber() throws Exception {
        CompletableFuture<Object> finished = new CompletableFuture<>();
        var worker = resty.worker(0);
        worker.spawn(() -> {
            for (int i = 0; i < BATCH; i++) {
                RequestContext req = request();
                done(req);
                req.worker(worker);
                resty.pipeline().process(req, resty.servers().get(0));
            }
            finished.complete(null);
        });
        return finished.get();
    }
}
