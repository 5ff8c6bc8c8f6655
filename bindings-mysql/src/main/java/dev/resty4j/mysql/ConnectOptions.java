package dev.resty4j.mysql;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mysqlclient.SslMode;
import io.vertx.mysqlclient.impl.MySQLCollation;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;

/**
 * The options table of lua-resty-mysql's {@code db:connect{...}}, checked and turned into Vert.x options.
 *
 * @param pool     the connection pool's name: {@code pool}, or {@code user:database:host:port} /
 *                 {@code user:database:path} as lua-resty-mysql builds it
 * @param poolSize {@code pool_size}, or null (the pool takes its size from set_keepalive)
 * @param backlog  {@code backlog}, or null (no limit on open connections)
 * @param compactArrays {@code compact_arrays}
 * @param charsetName the MySQL character set ({@code charset}, default utf8mb4)
 * @param charset  its Java charset: text values come back decoded with it and are re-encoded to the bytes
 *                 the server sent
 */
record ConnectOptions(String host, int port, String path, String database, String user, String password,
                      String charsetName, Charset charset, boolean ssl, boolean sslVerify,
                      String pool, Integer poolSize, Integer backlog, boolean compactArrays) {

    /** lua-resty-mysql leaves the charset to the server; we ask for utf8mb4, the modern server default. */
    static final String DEFAULT_CHARSET = "utf8mb4";

    /** Reads the options table; returns the options or the error string {@code connect} returns. */
    static Object parse(Map<?, ?> opts) {
        String database = string(opts.get("database"), "");
        String user = string(opts.get("user"), "");
        String password = string(opts.get("password"), "");
        String host = string(opts.get("host"), null);
        String path = null;
        int port = 3306;
        String pool = string(opts.get("pool"), null);
        if (host != null) {
            Object p = opts.get("port");
            if (p != null) {
                Integer n = integer(p);
                if (n == null || n <= 0 || n > 65535) {
                    return "bad port number: " + str(p);
                }
                port = n;
            }
            if (pool == null) {
                pool = user + ":" + database + ":" + host + ":" + port;
            }
        } else {
            path = string(opts.get("path"), null);
            if (path == null) {
                return "neither \"host\" nor \"path\" options are specified";
            }
            if (pool == null) {
                pool = user + ":" + database + ":" + path;
            }
        }
        String charsetName = string(opts.get("charset"), DEFAULT_CHARSET);
        Charset charset;
        try {
            charset = Charset.forName(MySQLCollation.valueOfName(
                    MySQLCollation.getDefaultCollationFromCharsetName(charsetName)).mappedJavaCharsetName());
        } catch (IllegalArgumentException e) {
            return "charset '" + charsetName + "' is not supported";
        }
        Integer poolSize = null;
        if (opts.get("pool_size") != null) {
            poolSize = integer(opts.get("pool_size"));
            if (poolSize == null || poolSize <= 0) {
                return "bad \"pool_size\" option value: " + str(opts.get("pool_size"));
            }
        }
        Integer backlog = null;
        if (opts.get("backlog") != null) {
            backlog = integer(opts.get("backlog"));
            if (backlog == null || backlog < 0) {
                return "bad \"backlog\" option value: " + str(opts.get("backlog"));
            }
        }
        boolean sslVerify = truthy(opts.get("ssl_verify"));
        boolean ssl = truthy(opts.get("ssl")) || sslVerify;
        return new ConnectOptions(host, port, path, database, user, password, charsetName, charset, ssl, sslVerify,
                pool, poolSize, backlog, truthy(opts.get("compact_arrays")));
    }

    /** The Vert.x options for a new physical connection. */
    MySQLConnectOptions toVertx() {
        MySQLConnectOptions o = new MySQLConnectOptions()
                // a path makes Vert.x use a unix domain socket
                .setHost(path != null ? path : host)
                .setPort(port)
                .setUser(user)
                .setPassword(password)
                .setDatabase(database)
                .setCharset(charsetName)
                // SQL text reaches us as a byte string (one char per byte): ISO-8859-1 writes those bytes
                // unchanged, whatever the connection charset, as lua-resty-mysql sends the Lua string as is
                .setCharacterEncoding(StandardCharsets.ISO_8859_1.name())
                .setCachePreparedStatements(false)
                // we time connects ourselves (set_timeout); Vert.x must not retry behind our back
                .setReconnectAttempts(0);
        if (ssl) {
            o.setSslMode(sslVerify ? SslMode.VERIFY_CA : SslMode.REQUIRED);
            o.setSslOptions(sslVerify
                    // lua_ssl_trusted_certificate has no counterpart here: verify against the JVM's trust store
                    ? new ClientSSLOptions().setTrustOptions(TrustOptions.wrap(defaultTrustManager()))
                    // as lua-resty-mysql, ssl without ssl_verify encrypts but accepts any certificate
                    : new ClientSSLOptions().setTrustAll(true));
        }
        return o;
    }

    private static javax.net.ssl.TrustManager defaultTrustManager() {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init((KeyStore) null);
            return f.getTrustManagers()[0];
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no default trust manager", e);
        }
    }

    // ------------------------------------------------------------------ neutral values

    private static String string(Object v, String dflt) {
        return v == null ? dflt : str(v);
    }

    private static String str(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(v);
    }

    /** A number, or a string holding one (configs often carry ports as strings); null when neither. */
    static Integer integer(Object v) {
        if (v instanceof Number n) {
            return (int) n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return (int) Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** Lua truthiness: everything but nil and false (ngx.null included). */
    static boolean truthy(Object v) {
        return v != null && !Boolean.FALSE.equals(v);
    }
}
