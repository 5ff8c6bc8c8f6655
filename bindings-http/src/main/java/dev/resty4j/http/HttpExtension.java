package dev.resty4j.http;

import dev.resty4j.Location;
import dev.resty4j.Resty;
import dev.resty4j.config.Directive;
import dev.resty4j.core.ServerConfig;
import dev.resty4j.http.proxy.ProxyHandler;
import dev.resty4j.http.proxy.ProxyPass;
import dev.resty4j.spi.RestyExtension;
import java.util.List;
import java.util.Set;

/**
 * Adds this module's directives to every instance: {@code upstream} blocks, {@code proxy_pass} and the
 * {@code proxy_*} settings it reads, and {@code resty4j_hosts} (static host names for resty.http and
 * proxy_pass). {@code resolver} is read from the instance's settings, not claimed, so that other modules
 * (cosockets) can read it too. Registered with {@link java.util.ServiceLoader}.
 */
public final class HttpExtension implements RestyExtension {

    private static final Set<String> DIRECTIVES = Set.of("upstream", "proxy_pass", "proxy_set_header",
            "proxy_connect_timeout", "proxy_read_timeout", "proxy_send_timeout", "proxy_pass_request_headers",
            "proxy_pass_request_body", "proxy_next_upstream", "proxy_hide_header", "proxy_pass_header",
            "proxy_ssl_verify", HttpConfig.HOSTS);

    @Override
    public Set<String> directives() {
        return DIRECTIVES;
    }

    @Override
    public void configure(Resty resty, List<Directive> httpDirectives) {
        HttpRuntime rt = HttpRuntime.install(resty, HttpConfig.parse(resty, httpDirectives));
        validateProxyPass(resty);
        resty.pipeline().contentHandlers().register("proxy_pass", ProxyHandler.factory(rt));
    }

    @Override
    public void close(Resty resty) {
        HttpRuntime.close(resty);
    }

    /** Fails the build on a malformed {@code proxy_pass}, as nginx fails at startup. */
    private static void validateProxyPass(Resty resty) {
        for (ServerConfig s : resty.servers()) {
            for (Location l : s.locations()) {
                List<String> pp = l.directive("proxy_pass");
                if (pp == null) {
                    continue;
                }
                if (pp.size() != 1) {
                    throw new IllegalArgumentException("invalid number of arguments in \"proxy_pass\" directive in " + l.source());
                }
                if (pp.get(0).indexOf('$') < 0) {
                    ProxyPass p;
                    try {
                        p = ProxyPass.parse(pp.get(0));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(e.getMessage() + " in " + l.source(), e);
                    }
                    if (p.uri() != null && (l.match() == Location.Match.REGEX || l.match() == Location.Match.REGEX_CI
                            || l.match() == Location.Match.NAMED)) {
                        throw new IllegalArgumentException("\"proxy_pass\" cannot have URI part in location given by "
                                + "regular expression, or inside named location in " + l.source());
                    }
                }
            }
        }
    }
}
