package dev.resty4j.core;

import dev.resty4j.Location;
import dev.resty4j.Script;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code server} block: where it listens, its locations in config order, and its server-level scripts
 * ({@code server_rewrite_by_lua}). Location lookup follows nginx: exact match, then the longest prefix
 * ({@code ^~} stops there), then regexes in config order, then the longest prefix.
 */
public final class ServerConfig {

    private final String listenHost;
    private final int listenPort;
    private final String serverName;
    private final List<Location> locations;
    private final Map<String, Location> named;
    private final Script serverRewrite;

    public ServerConfig(String listenHost, int listenPort, String serverName, List<Location> locations, Script serverRewrite) {
        this.listenHost = listenHost;
        this.listenPort = listenPort;
        this.serverName = serverName;
        this.locations = List.copyOf(locations);
        java.util.HashMap<String, Location> n = new java.util.HashMap<>();
        for (Location l : locations) {
            if (l.match() == Location.Match.NAMED) {
                n.put(l.path(), l);
            }
        }
        this.named = Map.copyOf(n);
        this.serverRewrite = serverRewrite;
    }

    public String listenHost() { return listenHost; }
    public int listenPort() { return listenPort; }
    public String serverName() { return serverName; }
    public List<Location> locations() { return locations; }
    public Script serverRewrite() { return serverRewrite; }

    /** A named location ({@code @name}), or null. */
    public Location named(String name) {
        return named.get(name);
    }

    /** The location nginx would pick for {@code uri}, or null (nginx's static fallback). */
    public Location find(String uri) {
        Location bestPrefix = null;
        int bestLen = -1;
        for (Location l : locations) {
            switch (l.match()) {
                case EXACT -> {
                    if (l.path().equals(uri)) {
                        return l;
                    }
                }
                case PREFIX, PREFIX_NOREGEX -> {
                    if (uri.startsWith(l.path()) && l.path().length() > bestLen) {
                        bestPrefix = l;
                        bestLen = l.path().length();
                    }
                }
                default -> { }
            }
        }
        if (bestPrefix != null && bestPrefix.match() == Location.Match.PREFIX_NOREGEX) {
            return bestPrefix;
        }
        for (Location l : locations) {
            if ((l.match() == Location.Match.REGEX || l.match() == Location.Match.REGEX_CI)
                    && l.regex().matcher(uri).find()) {
                return l;
            }
        }
        return bestPrefix;
    }

    /** Builds a {@link ServerConfig}. */
    public static final class Builder {
        private String listenHost = "0.0.0.0";
        private int listenPort = 8080;
        private String serverName = "localhost";
        private final List<Location> locations = new ArrayList<>();
        private Script serverRewrite;

        public Builder listen(String host, int port) { this.listenHost = host; this.listenPort = port; return this; }
        public Builder serverName(String name) { this.serverName = name; return this; }
        public Builder location(Location l) { locations.add(l); return this; }
        public Builder serverRewrite(Script s) { this.serverRewrite = s; return this; }
        public List<Location> locations() { return locations; }
        public ServerConfig build() { return new ServerConfig(listenHost, listenPort, serverName, locations, serverRewrite); }
    }
}
