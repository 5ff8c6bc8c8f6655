package dev.resty4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.RestyTester;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.Test;

/** resty.http over TLS: ssl_verify as lua-resty-http (on by default), SNI from the URL's host. */
class HttpsClientTest {

    @Test
    void httpsWithAndWithoutVerification() throws Exception {
        Vertx vertx = Vertx.vertx();
        SelfSignedCertificate cert = SelfSignedCertificate.create("secure.test");
        HttpServer tls = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
                        .setKeyCertOptions(cert.keyCertOptions()))
                .requestHandler(req -> req.response().end("secret via " + req.getHeader("Host")))
                .listen(0, "127.0.0.1").await();
        try {
            Resty.Builder b = Resty.builder().workers(1).location("/t", l -> l.contentByLua("""
                    local httpc = require("resty.http").new()
                    local res, err = httpc:request_uri("https://secure.test:%d/", { ssl_verify = false })
                    ngx.say(res and res.body, " ", err)
                    res, err = httpc:request_uri("https://secure.test:%d/")
                    ngx.say(res, " ", err and err:match("^handshake failed") ~= nil)
                    """.formatted(tls.actualPort(), tls.actualPort())));
            RestyHttp.mapHost(b, "secure.test", "127.0.0.1");
            try (RestyTester t = RestyTester.of(b)) {
                assertThat(t.get("/t").run().body())
                        .isEqualTo("secret via secure.test:" + tls.actualPort() + " nil\nnil true\n");
            }
        } finally {
            tls.close().await();
            vertx.close().await();
        }
    }
}
