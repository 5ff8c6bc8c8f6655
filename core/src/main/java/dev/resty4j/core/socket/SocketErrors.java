package dev.resty4j.core.socket;

import io.netty.channel.ConnectTimeoutException;
import java.net.PortUnreachableException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.Map;

/**
 * Java's socket exceptions in OpenResty's words. OpenResty returns {@code strerror(errno)} in lower case
 * ("connection refused", "connection reset by peer") and logs {@code "connect() failed (111: Connection
 * refused)"}; Java reports the same conditions with slightly different texts, mapped here. Public for
 * bindings whose clients fail with the same Java exceptions (bindings-mysql).
 */
public final class SocketErrors {

    /** strerror text (as Linux prints it) and errno, keyed by the text Java uses. */
    private static final Map<String, Errno> KNOWN = Map.ofEntries(
            Map.entry("connection refused", new Errno(111, "Connection refused")),
            Map.entry("connection reset", new Errno(104, "Connection reset by peer")),
            Map.entry("connection reset by peer", new Errno(104, "Connection reset by peer")),
            Map.entry("broken pipe", new Errno(32, "Broken pipe")),
            Map.entry("cannot assign requested address", new Errno(99, "Cannot assign requested address")),
            Map.entry("no such file or directory", new Errno(2, "No such file or directory")),
            Map.entry("connection timed out", new Errno(110, "Connection timed out")),
            Map.entry("no route to host", new Errno(113, "No route to host")),
            Map.entry("network is unreachable", new Errno(101, "Network is unreachable")),
            Map.entry("permission denied", new Errno(13, "Permission denied")),
            Map.entry("address already in use", new Errno(98, "Address already in use")));

    record Errno(int code, String text) {
        /** The form scripts get: lower-case strerror, as LuaSocket does. */
        String luaText() {
            return text.toLowerCase(Locale.ROOT);
        }

        /** The form nginx logs: "(111: Connection refused)". */
        String logText() {
            return "(" + code + ": " + text + ")";
        }
    }

    private SocketErrors() {
    }

    /** True when the failure is a timeout (connect timeout reported by Netty). */
    static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    public static boolean isUnknownHost(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /** The errno equivalent of a socket failure. */
    static Errno errno(Throwable t) {
        if (rootOf(t) instanceof PortUnreachableException) {
            return KNOWN.get("connection refused");
        }
        String msg = message(t);
        Errno e = KNOWN.get(msg);
        if (e != null) {
            return e;
        }
        return new Errno(0, msg.isEmpty() ? "error" : Character.toUpperCase(msg.charAt(0)) + msg.substring(1));
    }

    /** The error string a script sees for a socket failure. */
    public static String luaText(Throwable t) {
        Throwable root = rootOf(t);
        if (root instanceof ClosedChannelException || isVertxClosed(root)) {
            return "closed";
        }
        return errno(t).luaText();
    }

    private static boolean isVertxClosed(Throwable t) {
        String m = t.getMessage();
        return m != null && m.toLowerCase(Locale.ROOT).startsWith("connection was closed");
    }

    /** The root cause's message, lower case, without Netty's ": /1.2.3.4:80" suffix. */
    private static String message(Throwable t) {
        Throwable root = rootOf(t);
        String m = root.getMessage();
        if (m == null) {
            return "error";
        }
        int annotated = m.indexOf(": /");
        if (annotated > 0) {
            m = m.substring(0, annotated);
        }
        return m.trim().toLowerCase(Locale.ROOT);
    }

    private static Throwable rootOf(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }
}
