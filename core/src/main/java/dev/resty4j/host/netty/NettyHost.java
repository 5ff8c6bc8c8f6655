package dev.resty4j.host.netty;

import dev.resty4j.ReloadableResty;
import dev.resty4j.Resty;
import dev.resty4j.core.request.RequestFactory;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The Netty host: runs resty4j locations inside a plain Netty server. Put {@link #handler()} after an
 * {@link HttpServerCodec} in each connection's pipeline (or use {@link #initializer()}, which does both):
 *
 * <pre>{@code
 * NettyHost host = NettyHost.of(resty);
 * new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
 *     .childHandler(host.initializer())
 *     .bind(8080);
 * }</pre>
 *
 * <p>To put scripts in front of your own Netty handler (auth in {@code access_by_lua}, then Java answers),
 * use {@link #frontHandler()} and add your handler after it: requests whose location produces content are
 * answered by resty4j; the others (locations with only rewrite/access scripts, or no matching location)
 * are passed on, once the scripts let them through, as a {@code FullHttpRequest} carrying the request
 * headers the scripts set; the response headers the scripts set ({@code ngx.header}) are added to your
 * response, and {@code log_by_lua} runs when your response ends.
 *
 * <p><b>Event loops and workers.</b> Workers do not map onto Netty event loops: an event loop only parses
 * requests (the codec), collects the body (bounded by {@code client_max_body_size}, 413 otherwise) and
 * writes responses. Scripts run on worker fibers (virtual threads holding their worker's permit, see
 * {@link dev.resty4j.core.worker.Worker}), exactly as with the Vert.x host, so a slow script never
 * stalls a Netty event loop and any number of event loops can feed any number of workers. The response
 * is written from the fiber through the channel, which hands each write to the channel's event loop.
 * Timers and {@code ngx.sleep} use the Resty instance's Vert.x (its own one unless you gave one to
 * {@code Resty.builder().vertx(...)}); the Netty server does not need Vert.x's event loops.
 *
 * <p>Each connection is served in order: a pipelined request waits until the response to the one before
 * it has ended, and reading from the socket pauses meanwhile (so a client cannot make the server buffer
 * an unbounded backlog). Keep-alive follows the request ({@code Connection}, HTTP/1.0 vs 1.1).
 */
public final class NettyHost {

    /** nginx's default {@code keepalive_timeout}. */
    static final int KEEPALIVE_TIMEOUT_S = 75;

    private final RequestFactory requests;

    private NettyHost(RequestFactory requests) {
        this.requests = requests;
    }

    /** A host for the first server block of {@code resty}. */
    public static NettyHost of(Resty resty) {
        return of(resty, 0);
    }

    /** A host for the given server block (config order). */
    public static NettyHost of(Resty resty, int serverIndex) {
        return new NettyHost(new RequestFactory(resty, resty.servers().get(serverIndex)));
    }

    /**
     * A host for a server block of a reloadable instance: each request runs on the version current when
     * it arrives (see {@link ReloadableResty}).
     */
    public static NettyHost of(ReloadableResty resty, int serverIndex) {
        return new NettyHost(new RequestFactory(resty::current, serverIndex));
    }

    /** A handler that answers every request itself (404 where no location matches). One per connection. */
    public ChannelHandler handler() {
        return new RestyChannelHandler(this, false);
    }

    /**
     * A handler that answers what resty4j locations produce and passes the rest on to the next handler
     * in the pipeline (see the class comment). One per connection.
     */
    public ChannelHandler frontHandler() {
        return new RestyChannelHandler(this, true);
    }

    /**
     * Sets up a connection: an {@link HttpServerCodec} (nginx-like header limits), nginx's default
     * {@code keepalive_timeout} (75 s: an idle connection between requests is closed) and {@link #handler()}.
     */
    public ChannelInitializer<Channel> initializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("http", codec())
                        .addLast("idle", new IdleStateHandler(0, 0, KEEPALIVE_TIMEOUT_S, TimeUnit.SECONDS))
                        .addLast("resty4j", handler());
            }
        };
    }

    /**
     * The codec the host's own servers use: request line up to 16 KiB, headers up to 32 KiB (nginx's
     * {@code large_client_header_buffers} allows 8k lines; we accept more, as the Vert.x server does).
     */
    public static HttpServerCodec codec() {
        return new HttpServerCodec(16 * 1024, 32 * 1024, 64 * 1024);
    }

    RequestFactory requests() {
        return requests;
    }
}
