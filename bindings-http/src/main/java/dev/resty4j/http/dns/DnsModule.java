package dev.resty4j.http.dns;

import dev.resty4j.http.HttpRuntime;
import dev.resty4j.spi.NativeCall;
import dev.resty4j.spi.NativeFunction;
import dev.resty4j.spi.NativeModule;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code resty4j.native.dns}: the Java half of {@code resty.dns.resolver} (the Lua glue in
 * {@code resty4j/lua/resty/dns/resolver.lua} gives it lua-resty-dns's API).
 */
public final class DnsModule implements NativeModule {

    private static final Pattern COMPRESS = Pattern.compile("^(0:)+|(:0)+$|:(0:)+");

    @Override
    public String name() {
        return "dns";
    }

    @Override
    public Map<String, Object> constants() {
        return Map.ofEntries(
                Map.entry("TYPE_A", 1L), Map.entry("TYPE_NS", 2L), Map.entry("TYPE_CNAME", 5L),
                Map.entry("TYPE_SOA", 6L), Map.entry("TYPE_PTR", 12L), Map.entry("TYPE_MX", 15L),
                Map.entry("TYPE_TXT", 16L), Map.entry("TYPE_AAAA", 28L), Map.entry("TYPE_SRV", 33L),
                Map.entry("TYPE_SPF", 99L), Map.entry("CLASS_IN", 1L),
                Map.entry("SECTION_AN", 1L), Map.entry("SECTION_NS", 2L), Map.entry("SECTION_AR", 3L));
    }

    @Override
    public Map<String, NativeFunction> functions() {
        return Map.of(
                "new", (call, a) -> DnsResolver.create(transport(call), arg(a, 0)),
                "query", (call, a) -> resolver(a).query(str(a, 1), opts(a)).map(DnsResolver.Result::toNative),
                "tcp_query", (call, a) -> resolver(a).tcpQuery(str(a, 1), opts(a)).map(DnsResolver.Result::toNative),
                "set_timeout", (call, a) -> {
                    resolver(a).timeout(((Number) a[1]).longValue());
                    return null;
                },
                "set_id", (call, a) -> {
                    resolver(a).fixedId(a[1] instanceof Number n ? n.intValue() : null);
                    return null;
                },
                "arpa_str", (call, a) -> arpaStr(str(a, 0)),
                "expand_ipv6_addr", (call, a) -> expandIpv6(str(a, 0)),
                "compress_ipv6_addr", (call, a) -> compressIpv6(str(a, 0)));
    }

    private static DnsTransport transport(NativeCall call) {
        return HttpRuntime.of(call.resty()).dns();
    }

    private static DnsResolver resolver(Object[] a) {
        if (a.length == 0 || !(a[0] instanceof DnsResolver r)) {
            throw new dev.resty4j.core.api.NgxApiException("not initialized");
        }
        return r;
    }

    private static Object arg(Object[] a, int i) {
        return i < a.length ? a[i] : null;
    }

    private static String str(Object[] a, int i) {
        Object v = arg(a, i);
        if (v instanceof Number n) {
            return dev.resty4j.core.api.ArgsCodec.formatNumber(n);
        }
        if (!(v instanceof String s)) {
            throw new dev.resty4j.core.api.NgxApiException("bad argument #" + (i + 1) + " (string expected, got "
                    + (v == null ? "nil" : v.getClass().getSimpleName()) + ")");
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> opts(Object[] a) {
        Object v = arg(a, 2);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    /** The PTR name of an IPv4 or IPv6 address ({@code 4.3.2.1.in-addr.arpa}). */
    public static String arpaStr(String addr) {
        if (addr.indexOf(':') >= 0) {
            String[] groups = expandIpv6(addr).split(":", -1);
            StringBuilder nibbles = new StringBuilder(32);
            for (String g : groups) {
                nibbles.append("0".repeat(Math.max(0, 4 - g.length()))).append(g);
            }
            StringBuilder out = new StringBuilder(72);
            for (int i = nibbles.length() - 1; i >= 0; i--) {
                out.append(nibbles.charAt(i)).append('.');
            }
            return out.append("ip6.arpa").toString();
        }
        String[] p = addr.split("\\.");
        if (p.length != 4) {
            return addr;
        }
        return p[3] + "." + p[2] + "." + p[1] + "." + p[0] + ".in-addr.arpa";
    }

    /** Expands {@code ::} to zero groups (lua-resty-dns's {@code expand_ipv6_addr}). */
    public static String expandIpv6(String addr) {
        if (!addr.contains("::")) {
            return addr;
        }
        int ncol = 8;
        for (int i = 0; i < addr.length(); i++) {
            if (addr.charAt(i) == ':') {
                ncol--;
            }
        }
        if (addr.startsWith(":")) {
            addr = "0" + addr;
        }
        if (addr.endsWith(":")) {
            addr = addr + "0";
        }
        return addr.replaceFirst("::", ":" + "0:".repeat(Math.max(0, ncol)));
    }

    /** Replaces the first run of zero groups with {@code ::} (lua-resty-dns's {@code compress_ipv6_addr}). */
    public static String compressIpv6(String addr) {
        String out = COMPRESS.matcher(addr).replaceFirst("::");
        return "::0".equals(out) ? "::" : out;
    }
}
