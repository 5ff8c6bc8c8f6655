package dev.resty4j.http;

import dev.resty4j.Resty;
import dev.resty4j.config.Directive;
import dev.resty4j.http.NginxValues.HostPort;
import dev.resty4j.http.proxy.UpstreamConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The http-level configuration this module reads: static host mappings ({@code resty4j_hosts}), the
 * {@code resolver} and {@code upstream} blocks. (The {@code lua_socket_*} defaults of resty.http objects
 * come from core's {@code SocketSettings}, per location, as for cosockets.)
 *
 * @param hosts     name → address from {@code resty4j_hosts} (port -1: keep the port the caller asked for)
 * @param resolver  the {@code resolver} directive, or null to use the system resolver
 * @param upstreams {@code upstream} blocks by name
 */
public record HttpConfig(Map<String, HostPort> hosts, ResolverConfig resolver, Map<String, UpstreamConfig> upstreams) {

    /** Directive of our own: {@code resty4j_hosts NAME ADDRESS [NAME ADDRESS …];}. */
    public static final String HOSTS = "resty4j_hosts";

    /**
     * The {@code resolver} directive.
     *
     * @param servers  name servers (port 53 unless given)
     * @param validMs  {@code valid=}: how long answers are cached, or -1 to use their TTL
     * @param ipv6     {@code ipv6=off} turns AAAA lookups off (nginx's default is on)
     * @param timeoutMs {@code resolver_timeout} (nginx's default: 30 s)
     */
    public record ResolverConfig(List<HostPort> servers, long validMs, boolean ipv6, long timeoutMs) {}

    /**
     * Reads the claimed http-level directives, and from the instance's settings the unclaimed ones other
     * modules may read too ({@code resolver}, {@code resolver_timeout}).
     */
    public static HttpConfig parse(Resty resty, List<Directive> directives) {
        Map<String, HostPort> hosts = new LinkedHashMap<>();
        Map<String, UpstreamConfig> upstreams = new LinkedHashMap<>();
        for (Directive d : directives) {
            try {
                switch (d.name()) {
                    case HOSTS -> parseHosts(d.args(), hosts);
                    case "upstream" -> {
                        UpstreamConfig u = UpstreamConfig.parse(d);
                        if (upstreams.putIfAbsent(u.name(), u) != null) {
                            throw new IllegalArgumentException("duplicate upstream \"" + u.name() + "\"");
                        }
                    }
                    default -> { } // location-level directives also seen at http level (proxy_set_header, …)
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " in " + d.location(), e);
            }
        }
        List<String> resolverArgs = resty.settings().directive("resolver");
        List<String> resolverTimeout = resty.settings().directive("resolver_timeout");
        ResolverConfig resolver = resolverArgs == null ? null
                : resolver(resolverArgs, resolverTimeout == null || resolverTimeout.isEmpty() ? null : resolverTimeout.get(0));
        return new HttpConfig(Map.copyOf(hosts), resolver, Map.copyOf(upstreams));
    }

    /** Adds {@code NAME ADDRESS} pairs. */
    public static void parseHosts(List<String> args, Map<String, HostPort> into) {
        if (args.isEmpty() || args.size() % 2 != 0) {
            throw new IllegalArgumentException("invalid number of arguments in \"" + HOSTS
                    + "\" directive (NAME ADDRESS pairs expected)");
        }
        for (int i = 0; i < args.size(); i += 2) {
            HostPort target = NginxValues.hostPort(args.get(i + 1));
            if (!NginxValues.isIpLiteral(target.host())) {
                throw new IllegalArgumentException("\"" + HOSTS + "\" needs an IP address, not \"" + target.host() + "\"");
            }
            into.put(args.get(i).toLowerCase(Locale.ROOT), target);
        }
    }

    /** Parses {@code resolver ADDRESS … [valid=TIME] [ipv6=on|off]}. */
    public static ResolverConfig resolver(List<String> args, String timeout) {
        List<HostPort> servers = new ArrayList<>();
        long valid = -1;
        boolean ipv6 = true;
        for (String a : args) {
            if (a.startsWith("valid=")) {
                valid = NginxValues.millis(a.substring(6));
            } else if (a.startsWith("ipv6=")) {
                ipv6 = "on".equals(a.substring(5));
            } else if (a.startsWith("ipv4=") || a.startsWith("status_zone=")) {
                // accepted, no effect
            } else {
                HostPort hp = NginxValues.hostPort(a).withDefaultPort(53);
                if (!NginxValues.isIpLiteral(hp.host())) {
                    throw new IllegalArgumentException("resolver \"" + a + "\" is not an IP address");
                }
                servers.add(hp);
            }
        }
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no name servers in \"resolver\" directive");
        }
        return new ResolverConfig(List.copyOf(servers), valid, ipv6, timeout == null ? 30_000 : NginxValues.millis(timeout));
    }
}
