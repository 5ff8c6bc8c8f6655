package dev.resty4j.testsupport;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.function.Function;

/**
 * A Vert.x HTTP client for tests that sends every request from one event-loop context, so that a pooled
 * connection and the requests that reuse it are always on the same event loop.
 *
 * <p>Why: a request sent from a thread outside Vert.x (a test's main thread) gets a new context on the next
 * event loop, round robin, while a reused keep-alive connection stays on the loop it was opened on. In Vert.x
 * 5.0.7 the response head then reaches {@code resp.body()} on the connection's loop while the body's end is
 * delivered on the request's loop, and when the end comes first it is dropped: about one response in a few
 * hundred never completes (eclipse-vertx/vert.x#6038, fixed after 5.0.7). resty4j's own clients open and use
 * each connection on its worker's loop and are not exposed to it; only test clients were.
 */
public final class OneLoopHttpClient implements AutoCloseable {

    private final Context context;
    private final HttpClient client;

    public OneLoopHttpClient(Vertx vertx) {
        this(vertx, new HttpClientOptions(), new PoolOptions());
    }

    public OneLoopHttpClient(Vertx vertx, HttpClientOptions options, PoolOptions pool) {
        this.context = vertx.getOrCreateContext();
        this.client = vertx.createHttpClient(options, pool);
    }

    /** Runs {@code exchange} (which sends a request and reads its response) on this client's context. */
    public <T> Future<T> call(Function<HttpClient, Future<T>> exchange) {
        Promise<T> result = Promise.promise();
        context.runOnContext(v -> exchange.apply(client).onComplete(result));
        return result.future();
    }

    @Override
    public void close() {
        client.close().await();
    }
}
