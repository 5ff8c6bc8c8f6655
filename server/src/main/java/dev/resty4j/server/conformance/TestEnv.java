package dev.resty4j.server.conformance;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Test::Nginx environment variables the cases leave verbatim ({@code $TEST_NGINX_*}) and their
 * values for one case run.
 *
 * <p>{@code SERVER_PORT} and {@code HTML_DIR} are this run's port and html directory. The others
 * get the defaults Test::Nginx or the original test files use: {@code RESOLVER} = 8.8.8.8
 * (Test::Nginx), {@code NOT_EXIST_IP} = 8.8.8.8 and {@code INVALID_IP} = 127.0.0.1:8899
 * ({@code t/168-tcp-socket-bind.t}).
 *
 * @param port    the port the case server listens on
 * @param htmlDir the case's html directory (document root, Lua modules)
 */
public record TestEnv(int port, Path htmlDir) {

    /** Replaces every {@code $TEST_NGINX_*} placeholder in {@code s}; {@code null} stays {@code null}. */
    public String substitute(String s) {
        if (s == null || !s.contains("$TEST_NGINX_")) {
            return s;
        }
        String out = s;
        for (Map.Entry<String, String> e : variables().entrySet()) {
            out = out.replace("$" + e.getKey(), e.getValue());
        }
        return out;
    }

    /** Variable name (without {@code $}) to value. No name is a prefix of another. */
    public Map<String, String> variables() {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("TEST_NGINX_SERVER_PORT", Integer.toString(port));
        vars.put("TEST_NGINX_NOT_EXIST_IP", "8.8.8.8");
        vars.put("TEST_NGINX_INVALID_IP", "127.0.0.1:8899");
        vars.put("TEST_NGINX_RESOLVER", "8.8.8.8");
        vars.put("TEST_NGINX_HTML_DIR", htmlDir.toAbsolutePath().toString());
        return vars;
    }
}
