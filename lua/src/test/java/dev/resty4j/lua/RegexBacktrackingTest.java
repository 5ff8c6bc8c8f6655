package dev.resty4j.lua;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Catastrophic backtracking must not hang a worker: the match gives up with PCRE's match-limit
 * error, and another request on the same (single) worker still gets served.
 */
class RegexBacktrackingTest {

    /**
     * 10 KB of 'a' then 'b': nested quantifiers try every way to split the run of 'a's. (java.util.regex
     * memoises this loop, which makes it quadratic rather than exponential: still far beyond the
     * default budget.)
     */
    private static final String PATHOLOGICAL = """
            local subject = string.rep("a", 10240) .. "b"
            ngx.shared.flags:set("slow started", true)
            local m, err = ngx.re.match(subject, [[^(a+)+$]])
            ngx.say(tostring(m), " ", err)
            """;

    @Test
    void luaRegexMatchLimitBoundsEachMatch() throws Exception {
        Vertx vertx = Vertx.vertx();
        Resty resty = Resty.builder().vertx(vertx).workers(1)
                .httpDirective("lua_regex_match_limit", java.util.List.of("10"))
                .location("= /t", l -> l.contentByLua("""
                        local s = string.rep("x", 5000) .. "123"
                        ngx.say(ngx.re.find(s, "[0-9]+"))
                        ngx.say(ngx.re.find(s, "[0-9]+", "d"))
                        ngx.say(ngx.re.find("abc123", "[0-9]+"))
                        """))
                .build();
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(resty.handler()).listen(0).await();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.actualPort() + "/t")).build(), HttpResponse.BodyHandlers.ofString());
            // 10 steps allow a short scan but not 5000 characters; DFA mode ignores the limit, as in PCRE
            assertThat(r.body()).isEqualTo("nilnilpcre_exec() failed: -47\n50015003\n46\n");
        } finally {
            resty.close();
            vertx.close().await();
        }
    }

    @Test
    void pathologicalPatternFailsWithTheMatchLimitWhileAnotherRequestIsServed() throws Exception {
        Vertx vertx = Vertx.vertx();
        Resty resty = Resty.builder().vertx(vertx).workers(1).sharedDict("flags", "1m")
                .location("= /slow", l -> l.contentByLua(PATHOLOGICAL))
                .location("= /fast", l -> l.contentByLua("ngx.say(ngx.re.match('hello, 1234', '[0-9]+', 'jo')[0])"))
                .build();
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(resty.handler()).listen(0).await();
            String base = "http://127.0.0.1:" + server.actualPort();
            HttpClient client = HttpClient.newHttpClient();

            CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                    HttpRequest.newBuilder(URI.create(base + "/slow")).build(), HttpResponse.BodyHandlers.ofString());
            // send the second request only once the first is running its regex on the worker
            while (resty.sharedDicts().get("flags").get("slow started") == null) {
                Thread.onSpinWait();
            }
            HttpResponse<String> fast = client.send(HttpRequest.newBuilder(URI.create(base + "/fast")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(fast.statusCode()).isEqualTo(200);
            assertThat(fast.body()).isEqualTo("1234\n");
            HttpResponse<String> s = slow.get();
            assertThat(s.statusCode()).isEqualTo(200);
            assertThat(s.body()).isEqualTo("nil pcre_exec() failed: -47\n");
        } finally {
            resty.close();
            vertx.close().await();
        }
    }
}
