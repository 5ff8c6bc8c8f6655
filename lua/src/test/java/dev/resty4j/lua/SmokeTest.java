package dev.resty4j.lua;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void hello() throws Exception {
        Vertx vertx = Vertx.vertx();
        Resty resty = Resty.builder().vertx(vertx).sharedDict("dogs", "1m")
                .location("/t", l -> l.contentByLua("local n = ngx.shared.dogs:incr('k', 1, 0) ngx.say('hi ', n, ' ', ngx.var.arg_a, ' ', 1/3) ngx.sleep(0.01) ngx.say(ngx.req.get_headers()['x-foo'])"))
                .location("/err", l -> l.contentByLua("local x = nil\nx.y = 1"))
                .location("/deny", l -> l.accessByLua("ngx.header['Retry-After'] = '60' return ngx.exit(429)").contentByLua("ngx.say('no')"))
                .build();
        HttpServer server = vertx.createHttpServer().requestHandler(resty.handler()).listen(0).await();
        HttpClient c = HttpClient.newHttpClient();
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/t?a=5")).header("X-Foo", "bar").build(), HttpResponse.BodyHandlers.ofString());
        System.out.println(r.statusCode() + " " + r.headers().map() + " " + r.body());
        assertThat(r.body()).isEqualTo("hi 1 5 0.33333333333333\nbar\n");
        r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/err")).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println(r.statusCode() + " " + r.body());
        assertThat(r.statusCode()).isEqualTo(500);
        r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/deny")).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println(r.statusCode() + " " + r.headers().map() + " " + r.body());
        assertThat(r.statusCode()).isEqualTo(429);
        resty.close();
        vertx.close().await();
    }
}
