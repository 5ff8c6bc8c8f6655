package dev.resty4j.http.client;

import dev.resty4j.http.NameResolver;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;

/** Turns Java/Vert.x failures into the error strings lua-resty-http and ngx_lua's cosockets return. */
public final class HttpErrors {

    private HttpErrors() {
    }

    /** {@code "timeout"}, {@code "connection refused"}, {@code "closed"}, {@code "x could not be resolved (…)"}, … */
    public static String message(Throwable t, String host) {
        if (t instanceof Timeouts.TimeoutError || t instanceof io.netty.channel.ConnectTimeoutException
                || t instanceof java.util.concurrent.TimeoutException) {
            return "timeout";
        }
        if (t instanceof NameResolver.ResolveException) {
            return t.getMessage();
        }
        if (t instanceof UnknownHostException) {
            return host + " could not be resolved (3: Host not found)";
        }
        if (t instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (t instanceof ConnectException) {
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            return m.contains("network is unreachable") ? "network is unreachable" : "connection refused";
        }
        if (t instanceof ClosedChannelException || t instanceof io.vertx.core.http.HttpClosedException) {
            return "closed";
        }
        if (t instanceof java.io.IOException io && io.getMessage() != null
                && io.getMessage().toLowerCase(java.util.Locale.ROOT).contains("connection reset")) {
            return "connection reset by peer";
        }
        if (t instanceof javax.net.ssl.SSLException || t.getCause() instanceof javax.net.ssl.SSLException) {
            Throwable s = t instanceof javax.net.ssl.SSLException ? t : t.getCause();
            return "handshake failed: " + s.getMessage();
        }
        if (t instanceof io.vertx.core.VertxException v && v.getMessage() != null
                && v.getMessage().toLowerCase(java.util.Locale.ROOT).contains("closed")) {
            return "closed";
        }
        if (t.getCause() != null && t.getCause() != t && (t instanceof io.vertx.core.VertxException)) {
            return message(t.getCause(), host);
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
