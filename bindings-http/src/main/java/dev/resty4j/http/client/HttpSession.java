package dev.resty4j.http.client;

import dev.resty4j.spi.NativeHandle;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.socket.SocketSettings;

/**
 * The state of one {@code resty.http} object ({@code http.new()}): its timeouts, the connection it holds
 * (as a cosocket holds one), what it connected to, and whether the last response lets the connection be
 * kept alive. As nginx does with cosockets, a connection the script neither closed nor put back into its
 * pool is closed when the request (or timer) that opened it ends.
 */
public final class HttpSession implements NativeHandle {

    final SocketSettings settings;
    private PooledConnection conn;
    private RequestContext cleanupFor;
    long connectTimeout;
    long sendTimeout;
    long readTimeout;
    /** Host and port given to connect (the Host header's defaults); port -1 when none. */
    String host;
    int port = -1;
    boolean ssl;
    /** lua-resty-http's {@code keepalive} flag: false once a response said the connection must close. */
    boolean keepalive = true;
    /** Prepended to request paths when talking to an HTTP proxy ({@code http://host:port}), else null. */
    String pathPrefix;
    /** {@code Proxy-Authorization} for requests through an HTTP proxy, else null. */
    String proxyAuthorization;
    /** The last request sent, whose body must be read before the connection can be pooled. */
    Exchange last;

    HttpSession(SocketSettings settings) {
        this.settings = settings;
        this.connectTimeout = settings.connectTimeout();
        this.sendTimeout = settings.sendTimeout();
        this.readTimeout = settings.readTimeout();
    }

    @Override
    public String typeName() {
        return "resty.http";
    }

    /** The connection the script holds, even if the peer closed it meanwhile (the script has not seen that yet). */
    synchronized PooledConnection connection() {
        return conn;
    }

    /** Takes the connection out of the session (it is then "closed" for the script). */
    synchronized PooledConnection release() {
        PooledConnection c = conn;
        conn = null;
        last = null;
        return c;
    }

    synchronized void attach(PooledConnection c) {
        conn = c;
        last = null;
    }

    /** Registers (once per request) the close of a connection still held when the request ends. */
    synchronized void closeAtEndOf(RequestContext owner) {
        if (owner == null || owner == cleanupFor) {
            return;
        }
        cleanupFor = owner;
        owner.addCleanup(() -> {
            PooledConnection left;
            synchronized (this) {
                if (cleanupFor != owner) {
                    return;
                }
                cleanupFor = null;
                left = conn;
                conn = null;
                last = null;
            }
            if (left != null) {
                left.close();
            }
        });
    }
}
