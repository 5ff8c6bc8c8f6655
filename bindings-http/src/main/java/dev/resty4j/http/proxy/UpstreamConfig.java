package dev.resty4j.http.proxy;

import dev.resty4j.config.Directive;
import dev.resty4j.http.NginxValues;
import dev.resty4j.http.NginxValues.HostPort;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@code upstream NAME { server ADDRESS [weight=N] [max_fails=N] [fail_timeout=TIME] [down] [backup]; keepalive N; }}
 * block.
 *
 * @param keepalive        idle connections kept per worker for each server ({@code keepalive N}); resty4j keeps
 *                         {@value #DEFAULT_KEEPALIVE} when the block does not say (nginx keeps none)
 * @param keepaliveTimeout {@code keepalive_timeout} of the idle connections (nginx's default: 60 s)
 */
public record UpstreamConfig(String name, List<Server> servers, int keepalive, long keepaliveTimeout) {

    public static final int DEFAULT_KEEPALIVE = 32;

    /** One {@code server} line, with nginx's defaults (weight 1, max_fails 1, fail_timeout 10 s). */
    public record Server(HostPort address, int weight, int maxFails, long failTimeoutMs, boolean down, boolean backup) {}

    public static UpstreamConfig parse(Directive d) {
        if (d.argCount() != 1 || d.block() == null) {
            throw new IllegalArgumentException("invalid \"upstream\" block");
        }
        List<Server> servers = new ArrayList<>();
        int keepalive = DEFAULT_KEEPALIVE;
        long keepaliveTimeout = 60_000;
        for (Directive c : d.block()) {
            switch (c.name()) {
                case "server" -> servers.add(server(c));
                case "keepalive" -> keepalive = Integer.parseInt(c.arg(0));
                case "keepalive_timeout" -> keepaliveTimeout = NginxValues.millis(c.arg(0));
                case "keepalive_requests", "keepalive_time", "zone" -> { } // accepted, no effect
                default -> throw new IllegalArgumentException("directive \"" + c.name()
                        + "\" is not supported in upstream blocks by resty4j (" + c.location() + ")");
            }
        }
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no servers are inside upstream");
        }
        return new UpstreamConfig(d.arg(0), List.copyOf(servers), keepalive, keepaliveTimeout);
    }

    private static Server server(Directive c) {
        if (c.argCount() < 1) {
            throw new IllegalArgumentException("invalid \"server\" in upstream");
        }
        HostPort address = NginxValues.hostPort(c.arg(0)).withDefaultPort(80);
        int weight = 1;
        int maxFails = 1;
        long failTimeout = 10_000;
        boolean down = false;
        boolean backup = false;
        for (String a : c.args().subList(1, c.argCount())) {
            if (a.startsWith("weight=")) {
                weight = Integer.parseInt(a.substring(7));
                if (weight < 1) {
                    throw new IllegalArgumentException("invalid parameter \"" + a + "\"");
                }
            } else if (a.startsWith("max_fails=")) {
                maxFails = Integer.parseInt(a.substring(10));
            } else if (a.startsWith("fail_timeout=")) {
                failTimeout = NginxValues.millis(a.substring(13));
            } else if (a.equals("down")) {
                down = true;
            } else if (a.equals("backup")) {
                backup = true;
            } else if (a.startsWith("max_conns=") || a.startsWith("slow_start=") || a.equals("resolve")) {
                // accepted, no effect
            } else {
                throw new IllegalArgumentException("invalid parameter \"" + a + "\"");
            }
        }
        return new Server(address, weight, maxFails, failTimeout, down, backup);
    }
}
