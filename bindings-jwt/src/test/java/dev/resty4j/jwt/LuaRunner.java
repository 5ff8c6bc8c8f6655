package dev.resty4j.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import java.security.Key;
import java.util.Base64;
import java.util.function.Consumer;

/** Runs Lua snippets in a content phase and returns what they printed. */
final class LuaRunner {

    private LuaRunner() {
    }

    /** Runs {@code code} as {@code content_by_lua} and returns the body (the request must succeed). */
    static String run(String code) throws Exception {
        return run(code, b -> { });
    }

    static String run(String code, Consumer<Resty.Builder> config) throws Exception {
        MockResponse r = response(code, config);
        assertThat(r.status()).as("status; logs: %s", r.logs()).isEqualTo(200);
        return r.body();
    }

    static MockResponse response(String code, Consumer<Resty.Builder> config) throws Exception {
        Resty.Builder b = Resty.builder().workers(1).location("/t", l -> l.contentByLua(code));
        config.accept(b);
        try (RestyTester t = RestyTester.of(b)) {
            return t.get("/t").run();
        }
    }

    /** A key as PEM ({@code PUBLIC KEY} for public keys, {@code PRIVATE KEY} for PKCS#8 private keys). */
    static String pem(Key key) {
        String label = key instanceof java.security.PublicKey ? "PUBLIC KEY" : "PRIVATE KEY";
        return pem(label, key.getEncoded());
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /** A Lua long string literal holding {@code s}. */
    static String lit(String s) {
        return "[==[" + s + "]==]";
    }
}
