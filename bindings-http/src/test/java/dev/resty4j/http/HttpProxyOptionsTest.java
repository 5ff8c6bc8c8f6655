package dev.resty4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.RestyTester;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SelfSignedCertificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** set_proxy_options: http through a forward proxy (absolute URIs), https through a CONNECT tunnel, no_proxy. */
class HttpProxyOptionsTest {

    static Vertx vertx;
    static Backend origin;
    static HttpServer tlsOrigin;
    static HttpServer proxy;
    static final List<String> proxied = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        origin = Backend.start(vertx, req -> req.response().end("origin " + req.uri()));
        SelfSignedCertificate cert = SelfSignedCertificate.create("tls.test");
        tlsOrigin = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(cert.keyCertOptions()))
                .requestHandler(req -> req.response().end("tls origin " + req.uri())).listen(0, "127.0.0.1").await();
        NetClient net = vertx.createNetClient();
        // a forward proxy: answers absolute-form requests itself, tunnels CONNECT to the real target
        proxy = vertx.createHttpServer().requestHandler(req -> {
            proxied.add(req.method() + " " + req.uri() + " auth=" + req.getHeader("Proxy-Authorization"));
            if (req.method() == HttpMethod.CONNECT) {
                String[] hp = req.uri().split(":");
                int port = hp[0].equals("tls.test") ? tlsOrigin.actualPort() : Integer.parseInt(hp[1]);
                net.connect(port, "127.0.0.1").onSuccess(target -> req.toNetSocket().onSuccess(client -> {
                    client.handler(target::write);
                    target.handler(client::write);
                    client.closeHandler(v -> target.close());
                    target.closeHandler(v -> client.close());
                }));
            } else {
                req.response().end("via proxy " + req.uri());
            }
        }).listen(0, "127.0.0.1").await();
    }

    @AfterAll
    static void stop() {
        proxy.close().await();
        tlsOrigin.close().await();
        origin.close();
        vertx.close().await();
    }

    @Test
    void proxyOptionsApplyToRequestUri() throws Exception {
        Resty.Builder b = Resty.builder().workers(1).location("/t", l -> l.contentByLua("""
                local http = require "resty.http"
                local httpc = http.new()
                httpc:set_proxy_options{
                    http_proxy = "http://127.0.0.1:%1$d",
                    http_proxy_authorization = "Basic dTpw",
                    https_proxy = "http://127.0.0.1:%1$d",
                    no_proxy = "direct.test",
                }
                local res, err = httpc:request_uri("http://far.test/x?y=1")
                ngx.say(res and res.body, " ", err)
                res, err = httpc:request_uri("https://tls.test/secure", { ssl_verify = false })
                ngx.say(res and res.body, " ", err)
                res, err = httpc:request_uri("http://direct.test:%2$d/d")
                ngx.say(res and res.body, " ", err)
                ngx.say(httpc:get_proxy_uri("http", "far.test"), " ", httpc:get_proxy_uri("http", "a.direct.test"))
                """.formatted(proxy.actualPort(), origin.port())));
        RestyHttp.mapHost(b, "direct.test", "127.0.0.1");
        try (RestyTester t = RestyTester.of(b)) {
            assertThat(t.get("/t").run().body()).isEqualTo("via proxy http://far.test/x?y=1 nil\n"
                    + "tls origin /secure nil\norigin /d nil\nhttp://127.0.0.1:" + proxy.actualPort() + " nil\n");
        }
        assertThat(proxied).contains("GET http://far.test/x?y=1 auth=Basic dTpw", "CONNECT tls.test:443 auth=null");
    }
}
