package dev.resty4j.host.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link NettyHost#frontHandler()}: Lua access scripts in front of a plain Netty handler. */
class NettyFrontHandlerTest {

    static Resty resty;
    static EventLoopGroup group;
    static Channel channel;

    /** The application's own handler: answers with what it saw. */
    static final class JavaHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String text = "java saw " + req.headers().get("X-User") + " " + req.uri() + " body="
                    + req.content().toString(StandardCharsets.UTF_8);
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
            ctx.writeAndFlush(resp);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        resty = Resty.builder().workers(2).sharedDict("stats", "1m")
                .location("/api/", l -> l
                        .accessByLua("""
                                if ngx.var.http_authorization ~= "Bearer good" then
                                    return ngx.exit(401)
                                end
                                ngx.req.set_header("X-User", "alice")
                                ngx.header["X-Checked"] = "yes"
                                """)
                        .logByLua("ngx.shared.stats:incr(ngx.var.uri, 1, 0)"))
                .location("= /lua", l -> l.contentByLua("ngx.say('from lua')"))
                .build();
        NettyHost host = NettyHost.of(resty);
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), host.frontHandler(), new JavaHandler());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    @AfterAll
    static void stop() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        resty.close();
    }

    static RawHttp connect() throws Exception {
        return new RawHttp(((InetSocketAddress) channel.localAddress()).getPort());
    }

    @Test
    void theAccessScriptLetsTheRequestThroughWithItsHeaders() throws Exception {
        try (RawHttp c = connect()) {
            RawHttp.Response r = c.send("POST /api/orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer good\r\n"
                    + "Content-Length: 5\r\n\r\nhello").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("java saw alice /api/orders body=hello");
            assertThat(r.header("X-Checked")).isEqualTo("yes");
        }
    }

    @Test
    void theAccessScriptRejects() throws Exception {
        try (RawHttp c = connect()) {
            RawHttp.Response r = c.send("GET /api/orders HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.body()).doesNotContain("java saw");
        }
    }

    @Test
    void luaContentAnswersItselfAndUnmatchedGoesToJava() throws Exception {
        try (RawHttp c = connect()) {
            assertThat(c.send("GET /lua HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).isEqualTo("from lua\n");
            assertThat(c.send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).isEqualTo("java saw null /other body=");
        }
    }

    @Test
    void pipelinedRequestsReachTheJavaHandlerOneAtATimeInOrder() throws Exception {
        String auth = "Host: x\r\nAuthorization: Bearer good\r\n\r\n";
        try (RawHttp c = connect()) {
            c.send("GET /api/a HTTP/1.1\r\n" + auth + "GET /lua HTTP/1.1\r\nHost: x\r\n\r\nGET /api/b HTTP/1.1\r\n" + auth);
            assertThat(c.read().body()).isEqualTo("java saw alice /api/a body=");
            assertThat(c.read().body()).isEqualTo("from lua\n");
            assertThat(c.read().body()).isEqualTo("java saw alice /api/b body=");
        }
    }

    @Test
    void theLogPhaseRunsAfterTheJavaResponse() throws Exception {
        try (RawHttp c = connect()) {
            c.send("GET /api/logged HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer good\r\n\r\n").read();
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (resty.sharedDict("stats").get("/api/logged") == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(resty.sharedDict("stats").get("/api/logged")).isNotNull();
    }
}
