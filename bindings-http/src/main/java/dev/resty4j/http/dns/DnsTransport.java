package dev.resty4j.http.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DefaultDnsQuery;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryEncoder;
import io.netty.handler.codec.dns.TcpDnsResponseDecoder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sends one DNS query over UDP or TCP and returns the whole reply: Netty's DNS codec (the one Vert.x's own
 * DnsClient is built on) on Vert.x's event loops. Vert.x's {@code DnsClient} API is not used because it
 * keeps only the answers' values: lua-resty-dns scripts see every record's TTL, section and name, the
 * response code and the CNAME records of the chain.
 */
public final class DnsTransport {

    /** A reply: the response code, the TC flag and the records of each section (lua-resty-dns fields). */
    public record Reply(int rcode, boolean truncated, List<Map<String, Object>> answers,
                        List<Map<String, Object>> authority, List<Map<String, Object>> additional) {}

    /** A failed exchange; {@link #stage} says which step failed, as lua-resty-dns words its errors. */
    public static final class DnsIoException extends Exception {
        public enum Stage { CONNECT, SEND, RECEIVE, PARSE }

        public final Stage stage;

        DnsIoException(Stage stage, String message) {
            super(message, null, false, false);
            this.stage = stage;
        }
    }

    private final Vertx vertx;
    private final VertxInternal internal;

    public DnsTransport(Vertx vertx) {
        this.vertx = vertx;
        this.internal = (VertxInternal) vertx;
    }

    /** Sends the question over UDP and waits up to {@code timeoutMs} for the reply with the same id. */
    public Future<Reply> udp(InetSocketAddress server, int id, String qname, int qtype, boolean recurse, long timeoutMs) {
        Promise<Reply> reply = Promise.promise();
        Bootstrap b = new Bootstrap().group(internal.nettyEventLoopGroup())
                .channelFactory(() -> internal.transport().datagramChannel())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryEncoder(),
                                new DatagramDnsResponseDecoder(RecordDecoder.INSTANCE), new ReplyHandler(id, reply));
                    }
                });
        // Connected, like ngx.socket.udp's setpeername: an ICMP "port unreachable" then fails the read.
        ChannelFuture cf = b.connect(server);
        exchange(cf, reply, timeoutMs, ch -> new DatagramDnsQuery(null, server, id)
                .setRecursionDesired(recurse)
                .addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(qname, DnsRecordType.valueOf(qtype))));
        return reply.future();
    }

    /** Sends the question over TCP (a new connection per query, closed after the reply). */
    public Future<Reply> tcp(InetSocketAddress server, int id, String qname, int qtype, boolean recurse, long timeoutMs) {
        Promise<Reply> reply = Promise.promise();
        Bootstrap b = new Bootstrap().group(internal.nettyEventLoopGroup())
                .channelFactory(internal.transport().channelFactory(false))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeoutMs)))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new TcpDnsQueryEncoder(),
                                new TcpDnsResponseDecoder(RecordDecoder.INSTANCE, 65535), new ReplyHandler(id, reply));
                    }
                });
        ChannelFuture cf = b.connect(server);
        exchange(cf, reply, timeoutMs, ch -> new DefaultDnsQuery(id).setRecursionDesired(recurse)
                .addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(qname, DnsRecordType.valueOf(qtype))));
        return reply.future();
    }

    private void exchange(ChannelFuture connect, Promise<Reply> reply, long timeoutMs,
                          java.util.function.Function<Channel, DnsQuery> query) {
        long timer = vertx.setTimer(Math.max(1, timeoutMs),
                t -> reply.tryFail(new DnsIoException(connect.isSuccess() ? DnsIoException.Stage.RECEIVE
                        : DnsIoException.Stage.CONNECT, "timeout")));
        reply.future().onComplete(ar -> {
            vertx.cancelTimer(timer);
            connect.channel().close();
        });
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                reply.tryFail(new DnsIoException(DnsIoException.Stage.CONNECT, socketError(f.cause())));
                return;
            }
            DnsQuery q;
            try {
                q = query.apply(connect.channel());
            } catch (RuntimeException e) {
                reply.tryFail(new DnsIoException(DnsIoException.Stage.SEND, "bad name"));
                return;
            }
            connect.channel().writeAndFlush(q).addListener(w -> {
                if (!w.isSuccess()) {
                    reply.tryFail(new DnsIoException(DnsIoException.Stage.SEND, socketError(w.cause())));
                }
            });
        });
    }

    /** Completes the promise with the first reply carrying our id (others are dropped: "id mismatch"). */
    private static final class ReplyHandler extends SimpleChannelInboundHandler<DnsResponse> {
        private final int id;
        private final Promise<Reply> reply;

        ReplyHandler(int id, Promise<Reply> reply) {
            this.id = id;
            this.reply = reply;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DnsResponse r) {
            if (r.id() != id) {
                return;
            }
            reply.tryComplete(new Reply(r.code().intValue(), r.isTruncated(), section(r, DnsSection.ANSWER),
                    section(r, DnsSection.AUTHORITY), section(r, DnsSection.ADDITIONAL)));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            boolean decoding = cause instanceof io.netty.handler.codec.DecoderException;
            Throwable root = decoding && cause.getCause() != null ? cause.getCause() : cause;
            reply.tryFail(new DnsIoException(decoding ? DnsIoException.Stage.PARSE : DnsIoException.Stage.RECEIVE,
                    decoding ? String.valueOf(root.getMessage()) : socketError(root)));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            reply.tryFail(new DnsIoException(DnsIoException.Stage.RECEIVE, "closed"));
        }

        private static List<Map<String, Object>> section(DnsResponse r, DnsSection s) {
            int n = r.count(s);
            List<Map<String, Object>> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                DnsRecord rec = r.recordAt(s, i);
                if (rec instanceof RecordDecoder.Parsed p) {
                    out.add(p.fields);
                }
            }
            return out;
        }
    }

    /** A socket failure in ngx_lua's words. */
    static String socketError(Throwable t) {
        if (t instanceof java.net.PortUnreachableException || t instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (t instanceof io.netty.channel.ConnectTimeoutException) {
            return "timeout";
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
