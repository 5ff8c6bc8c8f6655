package dev.resty4j.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.config.Directive;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** nginx's round-robin balancer and passive health checks, with explicit time. */
class UpstreamTest {

    private static Upstream upstream(String... servers) {
        List<Directive> block = new ArrayList<>();
        for (String s : servers) {
            block.add(new Directive("server", List.of(s.split(" ")), "t", 1));
        }
        return new Upstream(UpstreamConfig.parse(new Directive("upstream", List.of("u"), block, "t", 1)), 1);
    }

    private static String sequence(Upstream u, int n, long now) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + u.select(0, now, new HashSet<>()).index()));
        }
        return sb.toString();
    }

    @Test
    void smoothWeightedRoundRobinAsNginx() {
        // the sequence nginx documents for weights 5, 1, 1
        assertThat(sequence(upstream("h:1 weight=5", "h:2", "h:3"), 7, 0)).isEqualTo("aabacaa");
        assertThat(sequence(upstream("h:1", "h:2"), 4, 0)).isEqualTo("abab");
    }

    @Test
    void maxFailsTakesAServerOutForFailTimeout() {
        Upstream u = upstream("h:1 max_fails=2 fail_timeout=10s", "h:2");
        Upstream.Peer a = u.select(0, 0, new HashSet<>());
        assertThat(a.index()).isZero();
        assertThat(u.failed(a, 1000)).isFalse();
        assertThat(u.failed(a, 1000)).isTrue();
        assertThat(sequence(u, 4, 2000)).isEqualTo("bbbb");
        assertThat(sequence(u, 4, 10_999)).isEqualTo("bbbb");
        // after fail_timeout it is tried again, and a success brings it back for good
        Upstream.Peer again = u.select(0, 11_001, new HashSet<>());
        if (again.index() != 0) {
            again = u.select(0, 11_001, new HashSet<>());
        }
        assertThat(again.index()).isZero();
        u.succeeded(again);
        assertThat(sequence(u, 4, 11_002)).isIn("abab", "baba");
    }

    @Test
    void triedServersAreSkippedAndAllDownResetsFailures() {
        Upstream u = upstream("h:1", "h:2");
        Set<Integer> tried = new HashSet<>();
        Upstream.Peer first = u.select(0, 0, tried);
        tried.add(first.index());
        Upstream.Peer second = u.select(0, 0, tried);
        assertThat(second.index()).isNotEqualTo(first.index());
        tried.add(second.index());
        assertThat(u.select(0, 0, tried)).isNull();

        u.failed(first, 0);
        u.failed(second, 0);
        assertThat(u.select(0, 1, new HashSet<>())).as("no live upstreams").isNull();
        assertThat(u.select(0, 2, new HashSet<>())).as("failures forgotten after all were down").isNotNull();
    }

    @Test
    void aSingleServerIsNeverTakenOutAndBackupsStandIn() {
        Upstream single = upstream("h:1");
        Upstream.Peer p = single.select(0, 0, new HashSet<>());
        single.failed(p, 0);
        assertThat(single.select(0, 1, new HashSet<>())).isNotNull();

        // the backup serves a request whose primary servers were all tried, or are down
        Upstream withBackup = upstream("h:1", "h:2", "h:9 backup");
        assertThat(withBackup.select(0, 1, Set.of(0, 1)).index()).isEqualTo(2);
        Upstream downPrimary = upstream("h:1 down", "h:9 backup");
        assertThat(downPrimary.select(0, 1, new HashSet<>()).index()).isEqualTo(1);
    }
}
