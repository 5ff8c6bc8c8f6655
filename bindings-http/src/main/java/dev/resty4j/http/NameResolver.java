package dev.resty4j.http;

import dev.resty4j.http.HttpConfig.ResolverConfig;
import dev.resty4j.http.NginxValues.HostPort;
import dev.resty4j.http.dns.DnsTransport;
import io.vertx.core.Future;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Where to connect for a host name, in this order: the static mapping ({@code resty4j_hosts}, or
 * {@link RestyHttp#mapHost}), then the {@code resolver} directive's name servers if there is one (answers
 * cached for their TTL, or {@code valid=}), else the system resolver: the name is handed to Vert.x, whose
 * resolver reads {@code /etc/hosts} and {@code /etc/resolv.conf} and never blocks a thread.
 */
public final class NameResolver {

    /** A name that could not be resolved; the message is nginx's ({@code x could not be resolved (3: Host not found)}). */
    public static final class ResolveException extends Exception {
        public ResolveException(String host, String reason) {
            super(host + " could not be resolved (" + reason + ")", null, false, false);
        }
    }

    private record Cached(List<String> addresses, long expiresAt, AtomicInteger next) {}

    private final Map<String, HostPort> hosts;
    private final ResolverConfig dnsConfig;
    private final DnsTransport dns;
    private final LongSupplier clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public NameResolver(Map<String, HostPort> hosts, ResolverConfig dnsConfig, DnsTransport dns, LongSupplier clock) {
        this.hosts = hosts;
        this.dnsConfig = dnsConfig;
        this.dns = dns;
        this.clock = clock;
    }

    /** The static mapping of a name, or null. */
    public HostPort mapped(String host) {
        return hosts.get(host.toLowerCase(Locale.ROOT));
    }

    /**
     * The address to connect to for {@code host:port}. The host of the result is an IP literal, or (with
     * neither mapping nor {@code resolver}) the name itself, which Vert.x resolves when connecting.
     * A mapping with a port replaces the caller's port: the mapping names the service's endpoint.
     */
    public Future<HostPort> resolve(String host, int port) {
        HostPort m = mapped(host);
        if (m != null) {
            return Future.succeededFuture(new HostPort(m.host(), m.port() >= 0 ? m.port() : port));
        }
        if (dnsConfig == null || NginxValues.isIpLiteral(host) || host.startsWith("unix:")) {
            return Future.succeededFuture(new HostPort(host, port));
        }
        String key = host.toLowerCase(Locale.ROOT);
        Cached c = cache.get(key);
        if (c != null && c.expiresAt > clock.getAsLong()) {
            return Future.succeededFuture(new HostPort(pick(c), port));
        }
        return lookup(host, 1).compose(found -> {
            if (found.addresses().isEmpty() && dnsConfig.ipv6()) {
                return lookup(host, 28);
            }
            return Future.succeededFuture(found);
        }).compose(found -> {
            if (found.addresses().isEmpty()) {
                return Future.failedFuture(new ResolveException(host, "3: Host not found"));
            }
            long ttl = dnsConfig.validMs() >= 0 ? dnsConfig.validMs() : found.ttlMs();
            Cached fresh = new Cached(found.addresses(), clock.getAsLong() + ttl, new AtomicInteger());
            cache.put(key, fresh);
            return Future.succeededFuture(new HostPort(pick(fresh), port));
        });
    }

    private record Found(List<String> addresses, long ttlMs) {}

    /** One lookup of a record type against the configured name servers (each tried once, in random order). */
    private Future<Found> lookup(String host, int qtype) {
        List<HostPort> servers = dnsConfig.servers();
        int start = ThreadLocalRandom.current().nextInt(servers.size());
        return ask(host, qtype, servers, start, 0);
    }

    private Future<Found> ask(String host, int qtype, List<HostPort> servers, int start, int tried) {
        HostPort s = servers.get((start + tried) % servers.size());
        InetSocketAddress addr = new InetSocketAddress(
                io.netty.util.NetUtil.createInetAddressFromIpAddressString(s.host()), s.port());
        int id = ThreadLocalRandom.current().nextInt(65536);
        return dns.udp(addr, id, host, qtype, true, dnsConfig.timeoutMs())
                .compose(r -> r.truncated() ? dns.tcp(addr, id, host, qtype, true, dnsConfig.timeoutMs()) : Future.succeededFuture(r))
                .transform(ar -> {
                    if (ar.failed()) {
                        if (tried + 1 < servers.size()) {
                            return ask(host, qtype, servers, start, tried + 1);
                        }
                        return Future.failedFuture(new ResolveException(host, "110: Operation timed out"));
                    }
                    DnsTransport.Reply r = ar.result();
                    if (r.rcode() == 3) {
                        return Future.failedFuture(new ResolveException(host, "3: Host not found"));
                    }
                    if (r.rcode() != 0) {
                        return Future.failedFuture(new ResolveException(host, r.rcode() + ": " + rcodeText(r.rcode())));
                    }
                    List<String> out = new ArrayList<>();
                    long ttl = Long.MAX_VALUE;
                    for (Map<String, Object> rec : r.answers()) {
                        if (((Number) rec.get("type")).intValue() == qtype) {
                            out.add((String) rec.get("address"));
                            ttl = Math.min(ttl, ((Number) rec.get("ttl")).longValue() * 1000);
                        }
                    }
                    return Future.succeededFuture(new Found(out, ttl == Long.MAX_VALUE ? 0 : ttl));
                });
    }

    private static String pick(Cached c) {
        return c.addresses.get(Math.floorMod(c.next.getAndIncrement(), c.addresses.size()));
    }

    private static String rcodeText(int code) {
        return switch (code) {
            case 1 -> "Format error";
            case 2 -> "Server failure";
            case 4 -> "Not implemented";
            case 5 -> "Query refused";
            default -> "Unknown error";
        };
    }
}
