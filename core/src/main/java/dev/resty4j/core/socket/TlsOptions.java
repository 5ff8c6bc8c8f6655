package dev.resty4j.core.socket;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS client options {@code sslhandshake} uses, built once per combination and shared by every worker.
 * Building them blocks (the JDK's TLS provider starts up, CA certificates are read and parsed), so it runs
 * on a Vert.x worker thread, never on the event loop; the trust material is handed to Vert.x ready-made,
 * so nothing is loaded during a handshake.
 */
final class TlsOptions {

    private static final Map<String, Future<ClientSSLOptions>> CACHE = new ConcurrentHashMap<>();

    private TlsOptions() {
    }

    /**
     * @param verify      check the peer's certificate chain
     * @param trustedCert PEM file of trusted CAs ({@code lua_ssl_trusted_certificate}); null: the JVM's CAs
     * @param checkHost   also check that the certificate matches the server name
     */
    static Future<ClientSSLOptions> get(Vertx vertx, boolean verify, String trustedCert, boolean checkHost) {
        String key = verify ? "verify|" + checkHost + "|" + (trustedCert == null ? "" : trustedCert) : "trust-all";
        Future<ClientSSLOptions> f = CACHE.computeIfAbsent(key, k ->
                vertx.executeBlocking(() -> build(vertx, verify, trustedCert, checkHost), false));
        // A failure (unreadable certificate file) is not remembered: the next handshake tries again.
        return f.onFailure(t -> CACHE.remove(key, f));
    }

    private static ClientSSLOptions build(Vertx vertx, boolean verify, String trustedCert, boolean checkHost)
            throws Exception {
        SSLContext.getDefault(); // starts the JDK's TLS provider and seeds its random source
        ClientSSLOptions o = new ClientSSLOptions();
        if (!verify) {
            return o.setTrustAll(true).setHostnameVerificationAlgorithm("");
        }
        TrustManagerFactory tmf;
        if (trustedCert == null) {
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
        } else {
            tmf = new PemTrustOptions().addCertPath(trustedCert).getTrustManagerFactory(vertx);
        }
        return o.setTrustOptions(TrustOptions.wrap(tmf)).setHostnameVerificationAlgorithm(checkHost ? "HTTPS" : "");
    }
}
