package dev.resty4j.http;

import dev.resty4j.Location;
import dev.resty4j.Resty;
import dev.resty4j.config.Directive;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Java configuration of this module, for instances built with {@link Resty#builder()} (the same as the
 * directives in a config file):
 *
 * <pre>{@code
 * Resty.Builder b = Resty.builder();
 * RestyHttp.mapHost(b, "user-service", "127.0.0.1:8081");          // resty4j_hosts user-service 127.0.0.1:8081;
 * RestyHttp.upstream(b, "backend", "127.0.0.1:9001 weight=2", "127.0.0.1:9002");
 * b.location("/api/", l -> RestyHttp.proxyPass(l, "http://backend").accessByLua("..."));
 * }</pre>
 */
public final class RestyHttp {

    private static final String SOURCE = "java";

    private RestyHttp() {
    }

    /**
     * Makes {@code name} resolve to {@code address} ({@code IP} or {@code IP:PORT}) for resty.http and
     * proxy_pass, before any DNS: a mapping with a port also replaces the port of URLs naming the host.
     */
    public static Resty.Builder mapHost(Resty.Builder b, String name, String address) {
        return b.extensionDirective(new Directive(HttpConfig.HOSTS, List.of(name, address), SOURCE, 0));
    }

    /** {@code resolver ADDRESS … [valid=TIME] [ipv6=off];}: name servers for host names in URLs. */
    public static Resty.Builder resolver(Resty.Builder b, String... args) {
        return b.httpDirective("resolver", Arrays.asList(args));
    }

    /**
     * {@code upstream NAME { server …; }}: each entry is one server line, e.g.
     * {@code "127.0.0.1:8080 weight=2 max_fails=3 fail_timeout=10s"}; {@code "keepalive 16"} is accepted too.
     */
    public static Resty.Builder upstream(Resty.Builder b, String name, String... lines) {
        List<Directive> block = new ArrayList<>();
        for (String line : lines) {
            List<String> words = new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
            String directive = words.get(0).equals("keepalive") || words.get(0).equals("keepalive_timeout")
                    ? words.remove(0) : "server";
            block.add(new Directive(directive, words, SOURCE, 0));
        }
        return b.extensionDirective(new Directive("upstream", List.of(name), block, SOURCE, 0));
    }

    /** {@code proxy_pass URL;} on a location. */
    public static Location.Builder proxyPass(Location.Builder l, String url) {
        return l.directive("proxy_pass", List.of(url));
    }

    /** {@code proxy_set_header NAME VALUE;} on a location. */
    public static Location.Builder proxySetHeader(Location.Builder l, String name, String value) {
        return l.directive("proxy_set_header", List.of(name, value));
    }
}
