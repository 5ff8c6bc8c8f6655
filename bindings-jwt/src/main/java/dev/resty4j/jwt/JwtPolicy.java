package dev.resty4j.jwt;

import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.spi.NativeHandle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Set;

/**
 * The settings of a {@code resty.jwt} object ({@code jwt:set_alg_whitelist}, {@code set_trusted_certs_file},
 * {@code set_max_token_size}), immutable: each setter makes a new policy, which scripts hold as a handle.
 *
 * @param algWhitelist accepted {@code alg} (and JWE {@code enc}) values, or null for the safe defaults
 * @param maxTokenSize longer tokens are refused before any parsing
 * @param trustAnchors CA certificates for {@code x5c} / {@code x5u} verification, or null
 */
public record JwtPolicy(Set<String> algWhitelist, int maxTokenSize, Set<TrustAnchor> trustAnchors) implements NativeHandle {

    /** Default limit on a token's length: far above any real token, far below what could hurt. */
    public static final int DEFAULT_MAX_TOKEN_SIZE = 16 * 1024;

    public static final JwtPolicy DEFAULT = new JwtPolicy(null, DEFAULT_MAX_TOKEN_SIZE, null);

    @Override
    public String typeName() {
        return "resty.jwt.policy";
    }

    public JwtPolicy withAlgWhitelist(Set<String> algs) {
        return new JwtPolicy(algs == null ? null : Set.copyOf(algs), maxTokenSize, trustAnchors);
    }

    public JwtPolicy withMaxTokenSize(int bytes) {
        if (bytes <= 0) {
            throw new NgxApiException("max token size must be a positive number");
        }
        return new JwtPolicy(algWhitelist, bytes, trustAnchors);
    }

    /** Reads the CA certificates of a PEM file now (once), as nginx reads its trusted certificates at startup. */
    public JwtPolicy withTrustedCertsFile(String file) {
        if (file == null) {
            return new JwtPolicy(algWhitelist, maxTokenSize, null);
        }
        Set<TrustAnchor> anchors = new HashSet<>();
        try {
            byte[] pem = Files.readAllBytes(Path.of(file));
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
                anchors.add(new TrustAnchor((X509Certificate) c, null));
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new NgxApiException("failed to load trusted certs file " + file + ": " + e.getMessage());
        }
        if (anchors.isEmpty()) {
            throw new NgxApiException("no certificate in trusted certs file " + file);
        }
        return new JwtPolicy(algWhitelist, maxTokenSize, Set.copyOf(anchors));
    }

    /** True when {@code alg} is accepted; {@code none} and the opt-in algorithms only when whitelisted. */
    boolean allows(String alg) {
        return algWhitelist == null ? !"none".equals(alg) : algWhitelist.contains(alg);
    }

    /** True when an opt-in algorithm (RSA1_5, PBES2, none) was explicitly whitelisted. */
    boolean optedIn(String alg) {
        return algWhitelist != null && algWhitelist.contains(alg);
    }
}
