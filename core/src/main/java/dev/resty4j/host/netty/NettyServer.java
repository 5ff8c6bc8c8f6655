package dev.resty4j.host.netty;

import dev.resty4j.ReloadableResty;
import dev.resty4j.Resty;
import dev.resty4j.core.ServerConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A ready-made Netty server for a {@link Resty}: one listening channel per server block (at its
 * {@code listen} address, or where the caller says), each connection set up as
 * {@code HttpServerCodec → idle timeout → NettyHost handler}. For your own bootstrap, use
 * {@link NettyHost} directly.
 */
public final class NettyServer implements AutoCloseable {

    private final EventLoopGroup group;
    private final List<Channel> channels = new ArrayList<>();

    private NettyServer(EventLoopGroup group) {
        this.group = group;
    }

    /** Listens for every server block of {@code resty} where its {@code listen} directive says. */
    public static NettyServer start(Resty resty) throws InterruptedException {
        return start(resty, null, -1);
    }

    /**
     * Listens for every server block; the first one on {@code host:port} instead of its configured
     * address when {@code host} is not null (port 0: any free port, see {@link #port}).
     */
    public static NettyServer start(Resty resty, String host, int port) throws InterruptedException {
        return start(resty.servers(), i -> NettyHost.of(resty, i), host, port);
    }

    /** Like {@link #start(Resty, String, int)}, each request served by the version current when it arrives. */
    public static NettyServer start(ReloadableResty resty, String host, int port) throws InterruptedException {
        return start(resty.current().servers(), i -> NettyHost.of(resty, i), host, port);
    }

    private static NettyServer start(List<ServerConfig> blocks, IntFunction<NettyHost> hosts, String host, int port)
            throws InterruptedException {
        // Event loops only parse and write (scripts run on worker fibers), so two are plenty.
        NettyServer s = new NettyServer(new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory()));
        try {
            for (int i = 0; i < blocks.size(); i++) {
                ServerConfig sc = blocks.get(i);
                boolean override = i == 0 && host != null;
                s.bind(hosts.apply(i), override ? host : sc.listenHost(), override ? port : sc.listenPort());
            }
            return s;
        } catch (InterruptedException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void bind(NettyHost host, String address, int port) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(host.initializer());
        channels.add(b.bind(address, port).sync().channel());
    }

    /** The port the i-th server block actually listens on. */
    public int port(int i) {
        return ((InetSocketAddress) channels.get(i).localAddress()).getPort();
    }

    /** Stops listening and shuts the event loops down (the Resty instance is the caller's to close). */
    @Override
    public void close() {
        for (Channel c : channels) {
            c.close().awaitUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
