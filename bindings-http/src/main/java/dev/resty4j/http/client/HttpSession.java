package dev.resty4j.http.client;

import dev.resty4j.spi.NativeHandle;
import java.lang.ref.Cleaner;

/**
 * The state of one {@code resty.http} object ({@code http.new()}): its timeouts, the connection it holds
 * (as a cosocket holds one), what it connected to, and whether the last response lets the connection be
 * kept alive.
 *
 * <p>nginx closes a request's cosockets when the request ends; resty4j closes the connection of an http
 * object that scripts dropped without {@code close} or {@code set_keepalive} when the object is
 * garbage-collected, so such connections are reclaimed later than in nginx but never leak.
 */
public final class HttpSession implements NativeHandle {

    private static final Cleaner CLEANER = Cleaner.create();

    /** Holds the connection apart from the session, so the cleaner can close it after the session is gone. */
    private static final class Slot implements Runnable {
        volatile PooledConnection conn;

        @Override
        public void run() {
            PooledConnection c = conn;
            conn = null;
            if (c != null) {
                c.close();
            }
        }
    }

    private final Slot slot = new Slot();
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

    HttpSession(long connectTimeout, long sendTimeout, long readTimeout) {
        this.connectTimeout = connectTimeout;
        this.sendTimeout = sendTimeout;
        this.readTimeout = readTimeout;
        CLEANER.register(this, slot);
    }

    @Override
    public String typeName() {
        return "resty.http";
    }

    /** The connection the script holds, even if the peer closed it meanwhile (the script has not seen that yet). */
    PooledConnection connection() {
        return slot.conn;
    }

    /** Takes the connection out of the session (it is then "closed" for the script). */
    PooledConnection release() {
        PooledConnection c = slot.conn;
        slot.conn = null;
        last = null;
        return c;
    }

    void attach(PooledConnection c) {
        slot.conn = c;
        last = null;
    }
}
