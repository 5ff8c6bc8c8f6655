package dev.resty4j.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small authoritative DNS server on loopback for the tests (UDP and TCP on the same port), built on
 * Netty's DNS codec: answers from a table of records, NXDOMAIN for unknown names, and a few names with
 * special behaviour ({@code truncated.test}: TC over UDP, the answer over TCP; {@code silent.test}: no
 * answer; {@code mismatch.test}: a reply with a wrong id first).
 */
final class TestDnsServer implements AutoCloseable {

    /** One record: section 1 answer, 2 authority, 3 additional; rdata already encoded. */
    record Rec(int section, String name, int type, long ttl, byte[] rdata) {}

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Map<String, List<Rec>> zone = new ConcurrentHashMap<>();
    final AtomicInteger udpQueries = new AtomicInteger();
    final AtomicInteger tcpQueries = new AtomicInteger();
    private Channel udp;
    private Channel tcp;
    int port;

    TestDnsServer() throws InterruptedException {
        // UDP and TCP on the same port: take a free UDP port, then retry if its TCP twin is taken
        for (int attempt = 0; ; attempt++) {
            Channel u = bindUdp();
            int p = ((InetSocketAddress) u.localAddress()).getPort();
            try {
                tcp = bindTcp(p);
                udp = u;
                port = p;
                return;
            } catch (Exception e) {
                u.close().sync();
                if (attempt >= 20) {
                    throw e;
                }
            }
        }
    }

    private Channel bindUdp() throws InterruptedException {
        return new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<NioDatagramChannel>() {
                    @Override
                    protected void initChannel(NioDatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new SimpleChannelInboundHandler<DatagramDnsQuery>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery q) {
                                        udpQueries.incrementAndGet();
                                        answerUdp(ctx, q);
                                    }
                                });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    private Channel bindTcp(int p) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(),
                                new SimpleChannelInboundHandler<DnsQuery>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, DnsQuery q) {
                                        tcpQueries.incrementAndGet();
                                        DnsResponse r = new DefaultDnsResponse(q.id());
                                        fill(r, q, false);
                                        ctx.writeAndFlush(r);
                                    }
                                });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", p)).sync().channel();
    }

    private static String key(String name, int type) {
        return name.toLowerCase(Locale.ROOT) + "/" + type;
    }

    TestDnsServer add(Rec r, String questionName, int questionType) {
        zone.computeIfAbsent(key(questionName, questionType), k -> new ArrayList<>()).add(r);
        return this;
    }

    /** An A record answering (name, A). */
    TestDnsServer a(String name, String ip, long ttl) {
        String[] p = ip.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) Integer.parseInt(p[i]);
        }
        return add(new Rec(1, name, 1, ttl, b), name, 1);
    }

    private void answerUdp(ChannelHandlerContext ctx, DatagramDnsQuery q) {
        DnsQuestion question = q.recordAt(DnsSection.QUESTION);
        String name = question.name().endsWith(".") ? question.name().substring(0, question.name().length() - 1) : question.name();
        if (name.equals("silent.test")) {
            return;
        }
        if (name.equals("mismatch.test")) {
            DatagramDnsResponse wrong = new DatagramDnsResponse(q.recipient(), q.sender(), (q.id() + 1) & 0xffff);
            fill(wrong, q, false);
            ctx.write(wrong);
        }
        DatagramDnsResponse r = new DatagramDnsResponse(q.recipient(), q.sender(), q.id());
        fill(r, q, name.equals("truncated.test"));
        ctx.writeAndFlush(r);
    }

    private void fill(DnsResponse r, DnsQuery q, boolean truncate) {
        DnsQuestion question = q.recordAt(DnsSection.QUESTION);
        r.addRecord(DnsSection.QUESTION, question);
        r.setRecursionAvailable(true);
        r.setAuthoritativeAnswer(true);
        if (truncate) {
            r.setTruncated(true);
            return;
        }
        String qname = question.name().endsWith(".") ? question.name().substring(0, question.name().length() - 1) : question.name();
        List<Rec> recs = zone.get(key(qname, question.type().intValue()));
        if (recs == null && qname.equals("truncated.test")) {
            recs = List.of(new Rec(1, "truncated.test", 1, 60, new byte[] {10, 0, 0, 9}));
        }
        if (recs == null) {
            boolean known = zone.keySet().stream().anyMatch(k -> k.startsWith(qname.toLowerCase(Locale.ROOT) + "/"));
            if (!known && !qname.equals("mismatch.test")) {
                r.setCode(DnsResponseCode.NXDOMAIN);
            }
            return;
        }
        for (Rec rec : recs) {
            DnsSection s = rec.section() == 1 ? DnsSection.ANSWER : rec.section() == 2 ? DnsSection.AUTHORITY : DnsSection.ADDITIONAL;
            r.addRecord(s, new DefaultDnsRawRecord(rec.name() + ".", DnsRecordType.valueOf(rec.type()), 1, rec.ttl(),
                    Unpooled.wrappedBuffer(rec.rdata())));
        }
    }

    /** A domain name in wire format (uncompressed). */
    static byte[] name(String name) {
        ByteBuf b = Unpooled.buffer();
        for (String label : name.split("\\.")) {
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            b.writeByte(l.length).writeBytes(l);
        }
        b.writeByte(0);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    /** Concatenates byte arrays (rdata with several fields). */
    static byte[] concat(byte[]... parts) {
        ByteBuf b = Unpooled.buffer();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    static byte[] u32(long v) {
        return new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }

    @Override
    public void close() {
        udp.close();
        tcp.close();
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }
}
