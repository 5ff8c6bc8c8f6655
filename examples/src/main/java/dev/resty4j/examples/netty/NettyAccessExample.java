package dev.resty4j.examples.netty;

import dev.resty4j.Resty;
import dev.resty4j.host.netty.NettyHost;
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
import io.netty.handler.codec.http.HttpUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A plain Netty HTTP server whose Java handler sits behind a resty4j access script: the script checks
 * the API key, rate-limits each key with a shared dict and tells the Java handler who the caller is
 * (an {@code X-Client} request header); the Java handler never sees a request the script refused.
 *
 * <pre>
 * java ... dev.resty4j.examples.netty.NettyAccessExample 8080
 * curl -H 'X-Api-Key: k-alice' localhost:8080/api/hello     → hello alice
 * curl localhost:8080/api/hello                              → 401
 * </pre>
 */
public final class NettyAccessExample implements AutoCloseable {

    /** The access script: what an OpenResty deployment would put in {@code access_by_lua_block}. */
    static final String ACCESS = """
            local keys = { ["k-alice"] = "alice", ["k-bob"] = "bob" }
            local who = keys[ngx.var.http_x_api_key or ""]
            if not who then
                ngx.header["WWW-Authenticate"] = 'ApiKey realm="api"'
                return ngx.exit(ngx.HTTP_UNAUTHORIZED)
            end
            -- at most LIMIT requests per key per minute
            local n = ngx.shared.limits:incr(who, 1, 0, 60)
            if n > 5 then
                ngx.header["Retry-After"] = "60"
                return ngx.exit(429)
            end
            ngx.req.set_header("X-Client", who)
            ngx.header["X-RateLimit-Remaining"] = math.max(0, 5 - n)
            """;

    private final Resty resty;
    private final EventLoopGroup group;
    private final Channel channel;

    private NettyAccessExample(Resty resty, EventLoopGroup group, Channel channel) {
        this.resty = resty;
        this.group = group;
        this.channel = channel;
    }

    /** The application's own handler: plain Netty, knows nothing about Lua. */
    static final class HelloHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String client = req.headers().get("X-Client");
            FullHttpResponse resp = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("hello " + client + "\n", StandardCharsets.UTF_8));
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                    .set(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
            HttpUtil.setKeepAlive(resp, HttpUtil.isKeepAlive(req));
            ctx.writeAndFlush(resp);
        }
    }

    /** Starts on {@code host:port} (port 0: any free port). */
    public static NettyAccessExample start(String host, int port) throws Exception {
        Resty resty = Resty.builder()
                .sharedDict("limits", "1m")
                .location("/api/", l -> l.accessByLua(ACCESS))
                .build(); // compiles the script: a syntax error fails here, before the server listens
        NettyHost front = NettyHost.of(resty);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel c) {
                            // codec → resty4j (runs the access script, answers refusals) → the Java handler
                            c.pipeline().addLast(new HttpServerCodec(), front.frontHandler(), new HelloHandler());
                        }
                    }).bind(host, port).sync().channel();
            return new NettyAccessExample(resty, group, ch);
        } catch (Exception e) {
            group.shutdownGracefully();
            resty.close();
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        resty.close();
    }

    public static void main(String[] args) throws Exception {
        NettyAccessExample ex = start("127.0.0.1", args.length > 0 ? Integer.parseInt(args[0]) : 8080);
        Runtime.getRuntime().addShutdownHook(new Thread(ex::close));
        System.out.println("netty + resty4j on http://127.0.0.1:" + ex.port() + "/api/hello (X-Api-Key: k-alice)");
        ex.channel.closeFuture().sync();
    }
}
