package dev.resty4j.host.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** resty4j in a Vert.x Web router: Lua access scripts in front of Java handlers. */
class RestyRouteHandlerTest {

    static Vertx vertx;
    static Resty resty;
    static HttpServer server;
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        resty = Resty.builder().vertx(vertx).workers(2).sharedDict("stats", "1m")
                .location("/api/", l -> l
                        .accessByLua("""
                                local token = ngx.var.http_authorization
                                if token ~= "Bearer good" then
                                    ngx.header["WWW-Authenticate"] = 'Bearer realm="api"'
                                    return ngx.exit(401)
                                end
                                ngx.req.set_header("X-User", "alice")
                                ngx.header["X-Checked"] = "yes"
                                """)
                        .logByLua("ngx.shared.stats:incr(ngx.var.uri, 1, 0)"))
                .location("= /lua", l -> l.contentByLua("ngx.say('from lua')"))
                .build();
        Router router = Router.router(vertx);
        router.route().handler(resty.routeHandler());
        router.route("/api/*").handler(ctx -> ctx.response()
                .end("java saw " + ctx.request().getHeader("X-User") + " body=" + (ctx.body().buffer() == null ? "" : ctx.body().asString())));
        router.route("/plain").handler(ctx -> ctx.response().end("plain java"));
        server = vertx.createHttpServer().requestHandler(router).listen(0).await();
    }

    @AfterAll
    static void stop() {
        resty.close();
        vertx.close().await();
    }

    static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return CLIENT.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder req(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path));
    }

    @Test
    void accessScriptLetsTheRequestThroughToTheJavaHandlerWithItsHeaders() throws Exception {
        HttpResponse<String> r = send(req("/api/orders").header("Authorization", "Bearer good")
                .POST(HttpRequest.BodyPublishers.ofString("hello")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("java saw alice body=hello");
        assertThat(r.headers().firstValue("X-Checked")).hasValue("yes");
    }

    @Test
    void accessScriptRejects() throws Exception {
        HttpResponse<String> r = send(req("/api/orders"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"api\"");
        assertThat(r.body()).doesNotContain("java saw");
    }

    @Test
    void luaContentIsServedByResty() throws Exception {
        assertThat(send(req("/lua")).body()).isEqualTo("from lua\n");
    }

    @Test
    void unmatchedRequestsFallThroughToTheRouter() throws Exception {
        HttpResponse<String> r = send(req("/plain"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("plain java");
    }

    @Test
    void logPhaseRunsAfterTheJavaResponse() throws Exception {
        send(req("/api/counted").header("Authorization", "Bearer good"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        Object count = null;
        while (System.nanoTime() < deadline) {
            var e = resty.sharedDict("stats").get("/api/counted");
            if (e != null) {
                count = e.value();
                break;
            }
            Thread.sleep(10);
        }
        assertThat(count).isEqualTo(1.0);
    }
}
