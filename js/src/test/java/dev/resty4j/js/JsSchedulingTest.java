package dev.resty4j.js;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Phase;
import dev.resty4j.Resty;
import dev.resty4j.Script;
import dev.resty4j.core.log.LogRecord;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** One worker, many requests: awaiting I/O frees the worker; a runaway script is cut at its time budget. */
class JsSchedulingTest {

    private static Script js(String code, String chunk) {
        return new Script("js", code, chunk, 1, null);
    }

    @Test
    void workerServesOthersWhileOneAwaits() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().workers(1)
                .location("/slow", l -> l.phase(Phase.ACCESS, js("await ngx.sleep(0.5); ngx.ctx.waited = true;", "access_by_js"))
                        .phase(Phase.CONTENT, js("ngx.say('slow done, waited=', ngx.ctx.waited)", "content_by_js")))
                .location("/fast", l -> l.phase(Phase.CONTENT, js("ngx.say('fast on worker ', ngx.worker.id())", "content_by_js"))))) {
            t.get("/fast").run(); // warm-up: the context's first script run is slow when interpreted
            CompletableFuture<MockResponse> slow = t.get("/slow").send();
            MockResponse fast = t.get("/fast").run();
            assertThat(fast.body()).isEqualTo("fast on worker 0\n");
            assertThat(slow).isNotDone(); // the fast request was served while the slow one awaited
            assertThat(slow.get().body()).isEqualTo("slow done, waited=true\n");
        }
    }

    @Test
    void concurrentAwaitsOnOneWorkerEachResumeTheirOwnRequest() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().workers(1)
                .location("/a", l -> l.phase(Phase.CONTENT, js("""
                        ngx.ctx.me = ngx.var.arg_id;
                        await Promise.all([ngx.sleep(0.05), ngx.sleep(0.1)]);
                        await ngx.sleep(0.02);
                        ngx.say(ngx.ctx.me, ' ', ngx.var.arg_id)""", "content_by_js"))))) {
            @SuppressWarnings("unchecked")
            CompletableFuture<MockResponse>[] all = new CompletableFuture[8];
            for (int i = 0; i < all.length; i++) {
                all[i] = t.get("/a?id=" + i).send();
            }
            for (int i = 0; i < all.length; i++) {
                assertThat(all[i].get().body()).isEqualTo(i + " " + i + "\n");
            }
        }
    }

    @Test
    void runawayAccessScriptIs500AndTheWorkerGoesOn() throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().workers(1).maxScriptMillis(300)
                .location("/spin", l -> l.phase(Phase.ACCESS, js("while (true) {}", "access_by_js"))
                        .phase(Phase.CONTENT, js("ngx.say('unreachable')", "content_by_js")))
                .location("/other", l -> l.phase(Phase.CONTENT, js("ngx.say('other ok')", "content_by_js"))))) {
            for (int i = 0; i < TimeBudget.WARMUP_STRETCHES; i++) {
                t.get("/other").run(); // past the context's warm-up allowance
            }
            CompletableFuture<MockResponse> spin = t.get("/spin").send();
            CompletableFuture<MockResponse> other = t.get("/other").send(); // queued behind the spinning script
            assertThat(spin.get().status()).isEqualTo(500);
            assertThat(other.get().status()).isEqualTo(200);
            assertThat(other.get().body()).isEqualTo("other ok\n");
            assertThat(t.logs().stream().map(LogRecord::message))
                    .anyMatch(m -> m.contains("access_by_js") || m.contains("time budget of 300 ms"));
            assertThat(t.logs().stream().map(LogRecord::message)).anyMatch(m -> m.contains("exceeded its time budget of 300 ms"));
            // the context is still usable
            assertThat(t.get("/other").run().body()).isEqualTo("other ok\n");
            assertThat(t.get("/spin").run().status()).isEqualTo(500);
        }
    }

    /** A shared dict whose methods wait synchronously (Redis-backed) works from JS: it blocks the worker briefly. */
    @Test
    void redisBackedSharedDictFromJs() throws Exception {
        String key = "js-" + System.nanoTime();
        try (RestyTester t = RestyTester.of(Resty.builder().workers(1)
                .sharedDict("remote", "1m", java.util.List.of("redis=127.0.0.1:6379"))
                .location("/r", l -> l.phase(Phase.CONTENT, js("""
                        const d = ngx.shared.remote;
                        d.set('%s', 'v1', 5);
                        await ngx.sleep(0.01);
                        ngx.say(d.get('%s'), ' ', d.incr('%s-n', 2, 40));
                        d.delete('%s'); d.delete('%s-n');""".formatted(key, key, key, key, key), "content_by_js"))))) {
            MockResponse r = t.get("/r").run();
            assertThat(r.body()).isEqualTo("v1 42\n");
        }
    }
}
