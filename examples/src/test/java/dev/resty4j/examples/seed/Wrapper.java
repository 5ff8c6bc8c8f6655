package dev.resty4j.examples.seed;

import java.nio.file.Path;

/**
 * The config a deployment puts around a verbatim seed file: top-level {@code env} lines, an {@code http}
 * block with {@code upstream}s and host-name mappings ({@code resty4j_hosts NAME IP:PORT}, the resolver's
 * static entries, like /etc/hosts), then {@code include SEED;}. The seed keeps its own {@code http} block, so
 * the wrapper's is a second one: resty4j's loader merges them (nginx would want the upstream inside the
 * seed's block, which only an edited copy could do).
 */
final class Wrapper {

    private final StringBuilder top = new StringBuilder();
    private final StringBuilder http = new StringBuilder();
    private int workers = 2;

    /** As {@code ./resty4j serve --workers N} (2 unless told: enough to see what crosses workers). */
    Wrapper workers(int n) {
        workers = n;
        return this;
    }

    int workers() {
        return workers;
    }

    /** {@code env NAME=VALUE;}: what {@code os.getenv(NAME)} returns (nginx's syntax for setting a variable). */
    Wrapper env(String name, String value) {
        top.append("env ").append(name).append('=').append(value).append(";\n");
        return this;
    }

    /** {@code upstream NAME { server ADDRESS; }}. */
    Wrapper upstream(String name, String address) {
        http.append("    upstream ").append(name).append(" { server ").append(address).append("; }\n");
        return this;
    }

    /** Makes the host {@code name} (in URLs the scripts request) resolve to {@code address} ({@code IP:PORT}). */
    Wrapper host(String name, String address) {
        http.append("    resty4j_hosts ").append(name).append(' ').append(address).append(";\n");
        return this;
    }

    String text(Path seed) {
        StringBuilder s = new StringBuilder("# written by the test: what a deployment adds around the seed\n");
        s.append(top);
        if (!http.isEmpty()) {
            s.append("http {\n").append(http).append("}\n");
        }
        return s.append("include ").append(seed.toAbsolutePath()).append(";\n").toString();
    }
}
