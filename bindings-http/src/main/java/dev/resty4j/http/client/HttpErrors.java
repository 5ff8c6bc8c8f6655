package dev.resty4j.http.client;

import dev.resty4j.core.socket.SocketErrors;
import dev.resty4j.http.NameResolver;

/**
 * Turns Java/Vert.x failures into the error strings lua-resty-http and ngx_lua's cosockets return: this
 * module's own failures here, socket failures through core's {@link SocketErrors} (as cosockets word them).
 */
public final class HttpErrors {

    private HttpErrors() {
    }

    /** {@code "timeout"}, {@code "connection refused"}, {@code "closed"}, {@code "x could not be resolved (…)"}, … */
    public static String message(Throwable t, String host) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof Timeouts.TimeoutError || c instanceof io.netty.channel.ConnectTimeoutException
                    || c instanceof java.util.concurrent.TimeoutException) {
                return "timeout";
            }
            if (c instanceof NameResolver.ResolveException) {
                return c.getMessage();
            }
            if (c instanceof javax.net.ssl.SSLException) {
                return "handshake failed: " + c.getMessage();
            }
        }
        if (SocketErrors.isUnknownHost(t)) {
            return host + " could not be resolved (3: Host not found)";
        }
        return SocketErrors.luaText(t);
    }
}
