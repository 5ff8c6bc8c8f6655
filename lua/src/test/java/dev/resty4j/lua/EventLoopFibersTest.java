package dev.resty4j.lua;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.core.log.LogLevel;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A worker serves its requests on one thread, as an nginx worker does: the listener created on the worker's
 * event loop accepts there, and the scripts of those requests run on that loop's thread (fibers are virtual
 * threads scheduled on it), also after they resume from I/O.
 */
class EventLoopFibersTest {

    @Test
    void scriptsRunOnTheEventLoopOfTheWorkerThatAcceptedTheRequest() throws Exception {
        Vertx vertx = Vertx.vertx();
        List<String> threads = new CopyOnWriteArrayList<>();
        Resty resty = Resty.builder().vertx(vertx).workers(2).logLevel(LogLevel.NOTICE)
                // the sink runs on the thread that logs: the script's
                .logSink(r -> {
                    if (r.message().contains("on worker")) {
                        threads.add(r.message() + " " + Thread.currentThread());
                    }
                })
                .location("/t", l -> l.contentByLua("""
                        ngx.log(ngx.NOTICE, "on worker ", ngx.worker.id(), " before")
                        ngx.sleep(0.01)
                        ngx.log(ngx.NOTICE, "on worker ", ngx.worker.id(), " after")
                        ngx.say(ngx.worker.id())
                        """))
                .build();
        try {
            int port = listenOnLoopOf(vertx, resty, 1);
            String loopThread = resty.worker(1).loop().nettyEventLoop().submit(() -> Thread.currentThread().getName())
                    .get(10, TimeUnit.SECONDS);

            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> res = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/t"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(res.body()).isEqualTo("1\n"); // the worker whose loop accepted, every time
            }
            assertThat(threads).hasSize(10).allSatisfy(t -> assertThat(t).contains("on worker 1")
                    .contains("VirtualThread").endsWith("@" + loopThread));
        } finally {
            resty.close();
            vertx.close().await();
        }
    }

    @Test
    void closingFromAWorkersEventLoopWhileARequestSleepsReturns() throws Exception {
        Vertx vertx = Vertx.vertx();
        Resty resty = Resty.builder().vertx(vertx).workers(1)
                .location("/t", l -> l.contentByLua("ngx.sleep(30) ngx.say('late')"))
                .exitWorker(dev.resty4j.Script.lua("ngx.log(ngx.NOTICE, 'bye')", "exit_worker_by_lua"))
                .build();
        try {
            int port = listenOnLoopOf(vertx, resty, 0);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/t")).build(),
                    HttpResponse.BodyHandlers.ofString());
            while (resty.worker(0).activeFibers() == 0) {
                Thread.sleep(10);
            }
            // as a verticle's stop() would: close() blocks the loop the sleeping request needs to resume on
            Promise<Void> closed = Promise.promise();
            resty.worker(0).loop().runOnContext(v -> {
                resty.close();
                closed.complete();
            });
            closed.future().await(30, TimeUnit.SECONDS);
            assertThat(resty.isClosed()).isTrue();
        } finally {
            resty.close();
            vertx.close().await();
        }
    }

    @Test
    void closingAfterItsVertxWasClosedRunsExitWorkerAndThrowsNothing() throws Exception {
        // as a reload's retired instance is closed, when the application closed Vert.x first
        Vertx vertx = Vertx.vertx();
        List<String> log = new CopyOnWriteArrayList<>();
        Resty resty = Resty.builder().vertx(vertx).workers(1).logLevel(LogLevel.NOTICE)
                .logSink(r -> log.add(r.message()))
                .location("/t", l -> l.contentByLua("ngx.sleep(0.001) ngx.say('ok')"))
                .exitWorker(dev.resty4j.Script.lua("ngx.log(ngx.NOTICE, 'bye')", "exit_worker_by_lua"))
                .build();
        int port = listenOnLoopOf(vertx, resty, 0);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < 3; i++) { // requests that end on the loop leave idle fiber carriers parked there
            assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/t")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok\n");
        }
        vertx.close().await();

        resty.close();
        assertThat(resty.isClosed()).isTrue();
        assertThat(log).anyMatch(m -> m.contains("bye"));
    }

    /** A listener created on worker {@code w}'s event loop, as ./resty4j serve creates one per worker; its port. */
    private static int listenOnLoopOf(Vertx vertx, Resty resty, int w) {
        Promise<HttpServer> bound = Promise.promise();
        resty.worker(w).loop().runOnContext(v ->
                vertx.createHttpServer().requestHandler(resty.handler()).listen(0).onComplete(bound));
        return bound.future().await().actualPort();
    }
}
