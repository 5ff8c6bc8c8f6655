package dev.resty4j.http.proxy;

import dev.resty4j.http.NginxValues.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An upstream group with nginx's round-robin balancer: smooth weighted round robin, passive health
 * checks ({@code max_fails} failures within {@code fail_timeout} take a server out for
 * {@code fail_timeout}), backup servers used only when no primary server is available, and the reset of
 * all failure counts when every server is down ("no live upstreams"), for quick recovery.
 *
 * <p>State is per worker, as in nginx without a {@code zone}: each worker balances and counts failures on
 * its own.
 */
public final class Upstream {

    /** A server of the group as one worker sees it. */
    public static final class Peer {
        final int index;
        final UpstreamConfig.Server config;
        final boolean backup;
        int currentWeight;
        int effectiveWeight;
        int fails;
        long accessed;
        long checked;

        Peer(int index, UpstreamConfig.Server config) {
            this.index = index;
            this.config = config;
            this.backup = config.backup();
            this.effectiveWeight = config.weight();
        }

        public int index() {
            return index;
        }

        public HostPort address() {
            return config.address();
        }
    }

    private final UpstreamConfig config;
    private final Peer[][] primary;
    private final Peer[][] backup;

    public Upstream(UpstreamConfig config, int workers) {
        this.config = config;
        this.primary = new Peer[workers][];
        this.backup = new Peer[workers][];
        for (int w = 0; w < workers; w++) {
            List<Peer> p = new ArrayList<>();
            List<Peer> b = new ArrayList<>();
            List<UpstreamConfig.Server> servers = config.servers();
            for (int i = 0; i < servers.size(); i++) {
                (servers.get(i).backup() ? b : p).add(new Peer(i, servers.get(i)));
            }
            primary[w] = p.toArray(new Peer[0]);
            backup[w] = b.toArray(new Peer[0]);
        }
    }

    public UpstreamConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    /** Number of servers (the most a request tries). */
    public int size() {
        return config.servers().size();
    }

    /**
     * The next server for a request on this worker, skipping those it already tried, or null when none is
     * available (nginx's "no live upstreams").
     */
    public synchronized Peer select(int worker, long now, Set<Integer> tried) {
        Peer p = pick(primary[worker], now, tried);
        if (p == null && backup[worker].length > 0) {
            p = pick(backup[worker], now, tried);
        }
        if (p == null && tried.isEmpty()) {
            // every server is down: forget the failures so the next requests try them again
            for (Peer x : primary[worker]) {
                x.fails = 0;
            }
            for (Peer x : backup[worker]) {
                x.fails = 0;
            }
        }
        return p;
    }

    private static Peer pick(Peer[] peers, long now, Set<Integer> tried) {
        boolean single = peers.length == 1; // nginx never takes the only server of a group out
        Peer best = null;
        int total = 0;
        for (Peer p : peers) {
            if (tried.contains(p.index) || p.config.down()) {
                continue;
            }
            if (!single && p.config.maxFails() > 0 && p.fails >= p.config.maxFails()
                    && now - p.checked <= p.config.failTimeoutMs()) {
                continue;
            }
            p.currentWeight += p.effectiveWeight;
            total += p.effectiveWeight;
            if (p.effectiveWeight < p.config.weight()) {
                p.effectiveWeight++;
            }
            if (best == null || p.currentWeight > best.currentWeight) {
                best = p;
            }
        }
        if (best == null) {
            return null;
        }
        best.currentWeight -= total;
        if (now - best.checked > best.config.failTimeoutMs()) {
            best.checked = now;
        }
        return best;
    }

    /** Counts a failure (connection error or timeout); true when it takes the server out. */
    public synchronized boolean failed(Peer p, long now) {
        p.fails++;
        p.accessed = now;
        p.checked = now;
        int maxFails = p.config.maxFails();
        if (maxFails > 0) {
            p.effectiveWeight = Math.max(0, p.effectiveWeight - p.config.weight() / maxFails);
            return p.fails >= maxFails;
        }
        return false;
    }

    /** A success clears the failures once the server has been re-checked after its last failure. */
    public synchronized void succeeded(Peer p) {
        if (p.accessed < p.checked) {
            p.fails = 0;
        }
    }
}
