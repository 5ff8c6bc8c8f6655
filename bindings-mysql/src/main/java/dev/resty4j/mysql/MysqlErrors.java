package dev.resty4j.mysql;

import dev.resty4j.core.api.ByteStrings;
import dev.resty4j.core.socket.SocketErrors;
import dev.resty4j.spi.NativeResult;
import io.vertx.core.VertxException;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;

/**
 * Turns failures of the Vert.x client into what lua-resty-mysql returns: {@code nil, err, errcode, sqlstate}
 * for server errors, and the strings nginx's cosockets use for socket errors ({@code "timeout"},
 * {@code "closed"}, {@code "connection refused"}).
 */
final class MysqlErrors {

    private MysqlErrors() {
    }

    /** An operation ran out of its set_timeout time. */
    static final VertxException TIMEOUT = new VertxException("timeout", true);

    /** The server's "Bad handshake". */
    private static final int ER_HANDSHAKE_ERROR = 1043;

    /** A connect found the pool's backlog queue full. */
    static final VertxException TOO_MANY_WAITING = new VertxException("too many waiting connect operations", true);

    /**
     * A server error as {@code nil, err, errcode, sqlstate}; null if {@code t} is not one.
     */
    static NativeResult serverError(Throwable t) {
        if (t instanceof MySQLException e) {
            return NativeResult.of(null, serverMessage(e), (double) e.getErrorCode(), e.getSqlState());
        }
        return null;
    }

    /**
     * The server's own message: Vert.x wraps it as {@code {errorMessage=..., errorCode=N, sqlState=S}}. The
     * server sends UTF-8; scripts get its bytes.
     */
    static String serverMessage(MySQLException e) {
        String m = e.getMessage();
        String prefix = "{errorMessage=";
        String suffix = ", errorCode=" + e.getErrorCode() + ", sqlState=" + e.getSqlState() + "}";
        if (m != null && m.startsWith(prefix) && m.endsWith(suffix)) {
            m = m.substring(prefix.length(), m.length() - suffix.length());
        }
        return ByteStrings.fromBytes(String.valueOf(m).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Why {@code connect} failed, as lua-resty-mysql words it: {@code "failed to connect: " + socket error},
     * or a TLS failure. A server without SSL refuses the SSL request ("Bad handshake") or answers our TLS
     * handshake in cleartext, whichever Vert.x sees first: {@code "ssl disabled on server"}. Null for a
     * server error, which connect returns with its errcode and sqlstate.
     */
    static String connectError(Throwable t, ConnectOptions o) {
        if (t instanceof MySQLException e) {
            return o.ssl() && e.getErrorCode() == ER_HANDSHAKE_ERROR ? "ssl disabled on server" : null;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                return String.valueOf(c.getMessage()).contains("not an SSL/TLS record")
                        ? "ssl disabled on server" : "failed to do ssl handshake: " + c.getMessage();
            }
        }
        String err = socketError(t, o.host() != null ? o.host() : o.path());
        // closed: the TCP connect worked and the server hung up during the handshake, which
        // lua-resty-mysql reports as a failed read
        return err.equals("closed") ? "failed to receive packet header: closed" : "failed to connect: " + err;
    }

    /** A socket-level failure in nginx's words: {@code "timeout"}, {@code "closed"}, {@code "connection refused"}. */
    static String socketError(Throwable t, String host) {
        if (t == TIMEOUT || t == TOO_MANY_WAITING) {
            return t.getMessage();
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ClosedConnectionException
                    // what Vert.x answers a command sent on a connection that has just closed
                    || String.valueOf(c.getMessage()).startsWith("Connection is not active now")) {
                return "closed";
            }
        }
        if (SocketErrors.isUnknownHost(t)) {
            return host + " could not be resolved (3: Host not found)";
        }
        return SocketErrors.luaText(t);
    }
}
