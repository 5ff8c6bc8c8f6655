package dev.resty4j.core.socket;

import dev.resty4j.core.api.Contexts;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.request.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;

/**
 * One {@code ngx.socket.udp()} object: {@code setpeername}, {@code send}, {@code receive},
 * {@code settimeout}, {@code close}, with lua-nginx-module's results.
 *
 * <p>Like nginx, the socket is a <em>connected</em> datagram socket: it only receives from its peer, and an
 * ICMP "port unreachable" answer shows up as "connection refused" on the next receive. Vert.x's
 * {@code DatagramSocket} cannot connect a socket, so this uses a JDK {@link DatagramChannel}; the blocking
 * receive runs on a virtual thread of its own and the script waits on a future, so no platform thread is
 * ever blocked. A receive that times out leaves its read outstanding: the next receive picks up the
 * datagram it gets, so nothing is lost or read twice.
 */
public final class UdpCosocket {

    /** The largest datagram a receive returns (and the default receive size). */
    public static final int MAX_DATAGRAM = 65536;

    private final Cosockets mgr;
    private long readTimeout;
    private String bindAddress;
    private RequestContext owner;
    private RequestContext cleanupRegistered;
    private SocketSettings settings = SocketSettings.DEFAULTS;
    private DatagramChannel channel;
    private String peerName;
    private Future<byte[]> outstanding;
    private boolean waiting;

    UdpCosocket(Cosockets mgr) {
        this.mgr = mgr;
    }

    /** {@code settimeout(ms)}: the receive timeout (0 = {@code lua_socket_read_timeout}). */
    public void setTimeout(long ms) {
        this.readTimeout = Math.max(0, ms);
    }

    /** {@code bind(ip)}: the local address the next {@code setpeername} binds to. */
    public Future<Integer> bind(String ip) {
        if (!Cosockets.isIpLiteral(ip)) {
            return fail("bad address");
        }
        bindAddress = ip;
        return Future.succeededFuture(1);
    }

    /** {@code setpeername(host, port)}: resolves the peer and connects the socket to it. */
    public Future<Integer> setPeerName(RequestContext req, String host, Integer port) {
        Contexts.check(req, Contexts.YIELDABLE);
        if (port != null && (port < 0 || port > 65535)) {
            return fail("bad port number: " + port);
        }
        if (owner != null && owner != req) {
            throw new NgxApiException("bad request");
        }
        if (waiting) {
            return fail("socket busy");
        }
        if (host.regionMatches(true, 0, "unix:", 0, 5)) {
            return fail("unix domain datagram sockets are not supported");
        }
        if (channel != null) {
            closeChannel();
        }
        owner = req;
        settings = mgr.settings(req);
        if (cleanupRegistered != req) {
            cleanupRegistered = req;
            req.addCleanup(() -> {
                if (owner == req) {
                    closeChannel();
                }
            });
        }
        int p = port == null ? 0 : port;
        waiting = true;
        return mgr.resolve(host).transform(ar -> {
            waiting = false;
            if (ar.failed()) {
                String why = SocketErrors.isUnknownHost(ar.cause()) ? "(3: Host not found)" : "(110: Operation timed out)";
                return fail(host + " could not be resolved " + why);
            }
            InetAddress ip = ar.result();
            DatagramChannel ch = null;
            try {
                ch = DatagramChannel.open();
                if (bindAddress != null) {
                    ch.bind(new InetSocketAddress(bindAddress, 0));
                }
                ch.connect(new InetSocketAddress(ip, p));
                channel = ch;
                peerName = host + ":" + p + "(" + ip.getHostAddress() + ")";
                return Future.succeededFuture(1);
            } catch (IOException e) {
                close(ch);
                mgr.logError(req, (bindAddress != null && e instanceof java.net.BindException
                        ? "bind(" + bindAddress + ") failed " : "connect() failed ") + SocketErrors.errno(e).logText());
                return fail(SocketErrors.luaText(e));
            }
        });
    }

    /** {@code send(data)}: 1 once the datagram is handed to the network. */
    public Future<Integer> send(RequestContext req, byte[] data) {
        if (channel == null) {
            mgr.logError(req, "attempt to send data on a closed socket: u:" + id() + ", c:0000000000000000");
            return fail("closed");
        }
        checkOwner(req);
        if (waiting) {
            return fail("socket busy");
        }
        try {
            int n = channel.write(ByteBuffer.wrap(data));
            return n == data.length ? Future.succeededFuture(1) : fail("partial write");
        } catch (IOException e) {
            return fail(SocketErrors.luaText(e));
        }
    }

    /** {@code receive(size)}: the next datagram from the peer, cut to {@code size} bytes (at most 64 KiB). */
    public Future<byte[]> receive(RequestContext req, int size) {
        if (channel == null) {
            mgr.logError(req, "attempt to receive data on a closed socket: u:" + id() + ", c:0000000000000000");
            return fail("closed");
        }
        checkOwner(req);
        if (waiting) {
            return fail("socket busy");
        }
        Contexts.check(req, Contexts.YIELDABLE);
        int limit = Math.min(Math.max(size, 0), MAX_DATAGRAM);
        mgr.debug(req, "lua udp socket receive buffer size: " + limit);
        Future<byte[]> read = outstanding != null ? outstanding : startRead(channel);
        outstanding = read;
        long timeout = readTimeout > 0 ? readTimeout : settings.readTimeout();
        Promise<byte[]> result = Promise.promise();
        Deadlines.Entry timer = mgr.deadlines().schedule(timeout, () -> {
            if (result.tryFail(new CosocketError("timeout"))) {
                mgr.logError(req, "lua udp socket read timed out");
            }
        });
        read.onComplete(ar -> {
            if (result.future().isComplete()) {
                return; // timed out earlier: this datagram belongs to the next receive
            }
            mgr.deadlines().cancel(timer);
            if (ar.succeeded()) {
                byte[] d = ar.result();
                result.tryComplete(d.length > limit ? Arrays.copyOf(d, limit) : d);
            } else {
                result.tryFail(ar.cause());
            }
        });
        waiting = true;
        return result.future().transform(ar -> {
            waiting = false;
            if (ar.succeeded()) {
                outstanding = null;
                return Future.succeededFuture(ar.result());
            }
            if (ar.cause() instanceof CosocketError ce && "timeout".equals(ce.getMessage())) {
                return Future.failedFuture(ce); // the read stays outstanding for the next receive
            }
            outstanding = null;
            Throwable t = ar.cause();
            if (t instanceof AsynchronousCloseException || t instanceof ClosedChannelException) {
                return fail("closed");
            }
            SocketErrors.Errno e = SocketErrors.errno(t);
            if (t instanceof PortUnreachableException || e.code() != 0) {
                mgr.logError(req, "recv() failed " + e.logText() + ", upstream: " + peerName);
            }
            return fail(e.luaText());
        });
    }

    /** {@code close()}. */
    public Future<Integer> close(RequestContext req) {
        if (channel == null) {
            return fail("closed");
        }
        checkOwner(req);
        if (waiting) {
            return fail("socket busy");
        }
        closeChannel();
        return Future.succeededFuture(1);
    }

    /** Reads one datagram on a virtual thread (a blocking read parks only that thread). */
    private static Future<byte[]> startRead(DatagramChannel ch) {
        Promise<byte[]> p = Promise.promise();
        Thread.ofVirtual().name("resty4j-udp-read").start(() -> {
            try {
                ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM);
                ch.read(buf);
                buf.flip();
                byte[] d = new byte[buf.remaining()];
                buf.get(d);
                p.complete(d);
            } catch (IOException e) {
                p.fail(e);
            }
        });
        return p.future();
    }

    private void closeChannel() {
        DatagramChannel ch = channel;
        channel = null;
        outstanding = null;
        close(ch); // also ends an outstanding read
    }

    private static void close(DatagramChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a datagram channel has nothing to flush
            }
        }
    }

    private void checkOwner(RequestContext req) {
        if (owner != req) {
            throw new NgxApiException("bad request");
        }
    }

    private String id() {
        return Integer.toHexString(System.identityHashCode(this));
    }

    private static <T> Future<T> fail(String message) {
        return Future.failedFuture(new CosocketError(message));
    }
}
