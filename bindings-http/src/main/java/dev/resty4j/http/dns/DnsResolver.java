package dev.resty4j.http.dns;

import dev.resty4j.http.NginxValues;
import dev.resty4j.http.NginxValues.HostPort;
import dev.resty4j.spi.NativeHandle;
import dev.resty4j.spi.NativeResult;
import io.vertx.core.Future;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One {@code resty.dns.resolver} object: lua-resty-dns's semantics (name server rotation, retransmissions,
 * the TCP retry of truncated replies, which sections are returned, error strings), engine-neutral.
 */
public final class DnsResolver implements NativeHandle {

    private static final String[] RCODE_TEXT = {"format error", "server failure", "name error", "not implemented", "refused"};

    private final DnsTransport transport;
    private final List<HostPort> servers;
    private final int retrans;
    private final boolean noRecurse;
    private long timeoutMs;
    private int cur; // 0-based index of the next server to use
    private Integer fixedId; // lua-resty-dns's _id, for tests that need a known query id

    /** What a query returns: the records (null on failure), the error, and the error of each failed try. */
    public record Result(List<Map<String, Object>> records, String err, Integer errcode, String errstr, List<String> tries) {
        public NativeResult toNative() {
            return NativeResult.of(records, err, errcode == null ? null : (long) errcode, errstr, tries);
        }
    }

    private DnsResolver(DnsTransport transport, List<HostPort> servers, int retrans, long timeoutMs, boolean noRecurse) {
        this.transport = transport;
        this.servers = servers;
        this.retrans = retrans;
        this.timeoutMs = timeoutMs;
        this.noRecurse = noRecurse;
        this.cur = ThreadLocalRandom.current().nextInt(servers.size());
    }

    /**
     * {@code resolver:new(opts)}: returns the resolver or the error lua-resty-dns gives.
     *
     * @param opts {@code nameservers} (each {@code "ip"} or {@code {"ip", port}}), {@code retrans}, {@code timeout},
     *             {@code no_recurse}
     */
    public static Object create(DnsTransport transport, Object opts) {
        if (!(opts instanceof Map<?, ?> o)) {
            if (opts instanceof List<?> l && l.isEmpty()) {
                return NativeResult.error("no nameservers specified");
            }
            return NativeResult.error("no options table specified");
        }
        Object ns = o.get("nameservers");
        if (!(ns instanceof List<?> list) || list.isEmpty()) {
            return NativeResult.error("no nameservers specified");
        }
        List<HostPort> servers = new ArrayList<>();
        for (Object s : list) {
            String host;
            int port = 53;
            if (s instanceof List<?> pair && !pair.isEmpty()) {
                host = String.valueOf(pair.get(0));
                if (pair.size() > 1 && pair.get(1) instanceof Number n) {
                    port = n.intValue();
                }
            } else if (s instanceof String str) {
                host = str;
            } else {
                return NativeResult.error("failed to set peer name: bad name server " + s);
            }
            if (!NginxValues.isIpLiteral(host)) {
                return NativeResult.error("failed to set peer name: no resolver defined to resolve \"" + host + "\"");
            }
            servers.add(new HostPort(host, port));
        }
        long timeout = o.get("timeout") instanceof Number n ? n.longValue() : 2000;
        int retrans = o.get("retrans") instanceof Number n ? n.intValue() : 5;
        boolean noRecurse = Boolean.TRUE.equals(o.get("no_recurse"));
        return new DnsResolver(transport, List.copyOf(servers), retrans, timeout, noRecurse);
    }

    public void timeout(long ms) {
        this.timeoutMs = ms;
    }

    public void fixedId(Integer id) {
        this.fixedId = id;
    }

    private synchronized HostPort pick() {
        HostPort s = servers.get(cur);
        cur = (cur + 1) % servers.size();
        return s;
    }

    /** The server {@link #pick()} returned last (lua-resty-dns's {@code _get_cur_server}). */
    private synchronized HostPort current() {
        return servers.get((cur - 1 + servers.size()) % servers.size());
    }

    private int newId() {
        return fixedId != null ? fixedId : ThreadLocalRandom.current().nextInt(65536);
    }

    /** {@code r:query(name, opts, tries)} over UDP, retrying {@code retrans} times, then TCP if truncated. */
    public Future<Result> query(String qname, Map<String, Object> opts) {
        if (qname.startsWith(".")) {
            return Future.succeededFuture(new Result(null, "bad name", null, null, null)); // no try was made
        }
        Query q = new Query(qname, qtype(opts), opts, newId());
        return attempt(q, 1, new ArrayList<>());
    }

    private Future<Result> attempt(Query q, int i, List<String> tries) {
        HostPort server = pick();
        return transport.udp(address(server), q.id, q.name, q.type, !noRecurse, timeoutMs)
                .compose(reply -> reply.truncated() ? viaTcp(q, current()) : Future.succeededFuture(reply))
                .map(reply -> result(reply, q.opts, tries))
                .recover(t -> {
                    String err = t instanceof DnsTransport.DnsIoException e && e.stage == DnsTransport.DnsIoException.Stage.SEND
                            ? "failed to send request to UDP server " + server + ": " + t.getMessage()
                            : t instanceof TcpFailure ? t.getMessage()
                            : "failed to receive reply from UDP server " + server + ": " + t.getMessage();
                    if (t instanceof DnsTransport.DnsIoException e && e.stage == DnsTransport.DnsIoException.Stage.PARSE) {
                        err = t.getMessage();
                    }
                    tries.add(err);
                    if (i >= retrans) {
                        return Future.succeededFuture(new Result(null, err, null, null, tries));
                    }
                    return attempt(q, i + 1, tries);
                });
    }

    /** {@code r:tcp_query(name, opts)}: one query over TCP to the next server. */
    public Future<Result> tcpQuery(String qname, Map<String, Object> opts) {
        if (qname.startsWith(".")) {
            return Future.succeededFuture(new Result(null, "bad name", null, null, null));
        }
        Query q = new Query(qname, qtype(opts), opts, newId());
        pick();
        return viaTcp(q, current())
                .map(reply -> result(reply, opts, null))
                .recover(t -> Future.succeededFuture(new Result(null, t.getMessage(), null, null, null)));
    }

    private Future<DnsTransport.Reply> viaTcp(Query q, HostPort server) {
        return transport.tcp(address(server), q.id, q.name, q.type, !noRecurse, timeoutMs)
                .recover(t -> {
                    String what = switch (t instanceof DnsTransport.DnsIoException e ? e.stage : DnsTransport.DnsIoException.Stage.RECEIVE) {
                        case CONNECT -> "failed to connect to TCP server ";
                        case SEND -> "failed to send query to TCP server ";
                        case RECEIVE -> "failed to receive the reply message body from TCP server ";
                        case PARSE -> "failed to parse the reply from the TCP server ";
                    };
                    return Future.failedFuture(new TcpFailure(what + server + ": " + t.getMessage()));
                });
    }

    private static Result result(DnsTransport.Reply reply, Map<String, Object> opts, List<String> tries) {
        boolean authority = opts != null && Boolean.TRUE.equals(opts.get("authority_section"));
        boolean additional = opts != null && Boolean.TRUE.equals(opts.get("additional_section"));
        if (qtype(opts) == RecordDecoder.TYPE_SOA) {
            authority = true;
        }
        List<Map<String, Object>> records = new ArrayList<>();
        addSection(records, reply.answers(), 1);
        if (authority) {
            addSection(records, reply.authority(), 2);
        }
        if (additional) {
            addSection(records, reply.additional(), 3);
        }
        Integer code = reply.rcode() == 0 ? null : reply.rcode();
        String text = code == null ? null : code <= RCODE_TEXT.length ? RCODE_TEXT[code - 1] : "unknown";
        return new Result(records, null, code, text, tries);
    }

    private static void addSection(List<Map<String, Object>> out, List<Map<String, Object>> section, long id) {
        for (Map<String, Object> r : section) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>(r);
            copy.put("section", id);
            out.add(copy);
        }
    }

    private static int qtype(Map<String, Object> opts) {
        return opts != null && opts.get("qtype") instanceof Number n ? n.intValue() : RecordDecoder.TYPE_A;
    }

    private static InetSocketAddress address(HostPort hp) {
        return new InetSocketAddress(io.netty.util.NetUtil.createInetAddressFromIpAddressString(hp.host()), hp.port());
    }

    private record Query(String name, int type, Map<String, Object> opts, int id) {}

    /** A failure of the TCP retry, already worded in full. */
    private static final class TcpFailure extends Exception {
        TcpFailure(String message) {
            super(message, null, false, false);
        }
    }
}
