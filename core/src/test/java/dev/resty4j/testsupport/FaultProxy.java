package dev.resty4j.testsupport;

import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy that injects faults between a client under test and a real backend (Redis, MariaDB,
 * an HTTP server), for the fault tests of issue 11. It runs on its own Vert.x instance, so the code under
 * test cannot starve it.
 *
 * <p>Modes (switch at any time with {@link #mode}; they apply to new connections and to the traffic of open
 * ones):
 * <ul>
 *   <li>{@link Mode#PASS}: bytes flow both ways untouched;</li>
 *   <li>{@link Mode#LATENCY}: every chunk, each way, is held for {@link #latencyMs} before it is passed on;</li>
 *   <li>{@link Mode#RESET}: new connections are accepted and reset at once, open ones are reset when they
 *       next carry data (RST, via {@code SO_LINGER 0});</li>
 *   <li>{@link Mode#BLACK_HOLE}: connections are accepted, and whatever is sent is swallowed: no answer,
 *       no close;</li>
 *   <li>{@link Mode#HALF_CLOSE}: the proxy shuts down its side towards the client (FIN), keeps reading and
 *       never answers: the client sees end of stream.</li>
 * </ul>
 * {@link #openConnections()} counts the client connections currently open at the proxy (for leak checks)
 * and {@link #faultsInjected()} how many connections or chunks a fault has hit.
 */
public final class FaultProxy implements AutoCloseable {

    public enum Mode { PASS, LATENCY, RESET, BLACK_HOLE, HALF_CLOSE }

    private final Vertx vertx = Vertx.vertx();
    private final NetServer server;
    private final NetClient client;
    private final String targetHost;
    private final int targetPort;
    private volatile Mode mode = Mode.PASS;
    private volatile long latencyMs = 0;
    private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong faults = new AtomicLong();

    private FaultProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5000));
        this.server = vertx.createNetServer().connectHandler(this::accept);
    }

    /** A proxy on 127.0.0.1 (ephemeral port) in front of {@code host:port}, in {@link Mode#PASS}. */
    public static FaultProxy start(String host, int port) {
        FaultProxy p = new FaultProxy(host, port);
        p.server.listen(0, "127.0.0.1").await();
        return p;
    }

    public int port() {
        return server.actualPort();
    }

    /** Switches the fault mode; {@code latencyMs} matters for {@link Mode#LATENCY} only. */
    public FaultProxy mode(Mode mode, long latencyMs) {
        this.latencyMs = latencyMs;
        this.mode = mode;
        return this;
    }

    public FaultProxy mode(Mode mode) {
        return mode(mode, 0);
    }

    public Mode mode() {
        return mode;
    }

    /** Client connections currently open at the proxy. */
    public int openConnections() {
        return open.size();
    }

    /** Client connections accepted since the start. */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Connections reset, black-holed or half-closed, and chunks delayed, since the start. */
    public long faultsInjected() {
        return faults.get();
    }

    private void accept(NetSocket in) {
        accepted.incrementAndGet();
        open.add(in);
        in.closeHandler(v -> open.remove(in));
        in.exceptionHandler(t -> { });
        switch (mode) {
            case RESET -> {
                faults.incrementAndGet();
                reset(in);
                return;
            }
            case BLACK_HOLE -> {
                faults.incrementAndGet();
                in.handler(b -> { }); // swallow, never answer, never close
                return;
            }
            case HALF_CLOSE -> {
                faults.incrementAndGet();
                in.handler(b -> { });
                halfClose(in);
                return;
            }
            default -> { }
        }
        in.pause();
        client.connect(targetPort, targetHost).onComplete(ar -> {
            if (ar.failed()) {
                in.close();
                return;
            }
            NetSocket out = ar.result();
            out.exceptionHandler(t -> { });
            out.closeHandler(v -> in.close());
            in.closeHandler(v -> {
                open.remove(in);
                out.close();
            });
            pipe(in, out, in);
            pipe(out, in, in);
            in.resume();
        });
    }

    /** Forwards {@code from} to {@code to} under the current mode; {@code clientSide} is what faults act on. */
    private void pipe(NetSocket from, NetSocket to, NetSocket clientSide) {
        boolean[] dead = {false};
        from.handler(chunk -> {
            if (dead[0]) {
                return;
            }
            switch (mode) {
                case PASS -> to.write(chunk);
                case LATENCY -> {
                    faults.incrementAndGet();
                    from.pause(); // keeps the order: one delayed chunk at a time
                    vertx.setTimer(Math.max(1, latencyMs), id -> {
                        to.write(chunk);
                        from.resume();
                    });
                }
                case RESET -> {
                    faults.incrementAndGet();
                    dead[0] = true;
                    reset(clientSide);
                    to.close();
                }
                case BLACK_HOLE -> faults.incrementAndGet(); // swallowed
                case HALF_CLOSE -> {
                    faults.incrementAndGet();
                    dead[0] = true;
                    halfClose(clientSide);
                }
            }
        });
    }

    /** Closes with an RST instead of a FIN. */
    private static void reset(NetSocket s) {
        ((NetSocketInternal) s).channelHandlerContext().channel().config().setOption(ChannelOption.SO_LINGER, 0);
        s.close();
    }

    /** Sends a FIN but keeps the connection open for reading. */
    private static void halfClose(NetSocket s) {
        if (((NetSocketInternal) s).channelHandlerContext().channel() instanceof DuplexChannel d) {
            d.shutdownOutput();
        }
    }

    /** Resets every open client connection (e.g. to simulate a backend restart). */
    public void resetAll() {
        for (NetSocket s : Set.copyOf(open)) {
            faults.incrementAndGet();
            reset(s);
        }
    }

    @Override
    public void close() {
        server.close().await();
        client.close().await();
        vertx.close().await();
    }
}
