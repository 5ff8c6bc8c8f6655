package dev.resty4j.server.admin;

import dev.resty4j.Location;
import dev.resty4j.Phase;
import dev.resty4j.Resty;
import dev.resty4j.SharedDict;
import dev.resty4j.core.ServerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The admin status page: one self-contained HTML document (inline CSS, no script, no build step) that
 * reloads itself every 5 s. Counts come from the same Micrometer meters {@code /metrics} exposes.
 */
final class StatusPage {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final MeterRegistry registry;
    private final RecentErrors errors;
    private final long startedMillis;

    StatusPage(MeterRegistry registry, RecentErrors errors, long startedMillis) {
        this.registry = registry;
        this.errors = errors;
        this.startedMillis = startedMillis;
    }

    String render(Resty resty) {
        StringBuilder h = new StringBuilder(8192);
        h.append("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
                <title>resty4j status</title>
                <style>
                body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;background:#fafafa}
                h1{font-size:22px;margin:0 0 4px} h2{font-size:16px;margin:24px 0 8px}
                .sub{color:#666} table{border-collapse:collapse;background:#fff;min-width:480px}
                th,td{border:1px solid #ddd;padding:4px 10px;text-align:left} th{background:#f0f0f0}
                td.n{text-align:right;font-variant-numeric:tabular-nums}
                .bar{width:160px;height:10px;background:#e6e6e6;border-radius:5px;overflow:hidden}
                .bar>div{height:100%;background:#2a7ae2} .bar>div.hot{background:#d9534f}
                pre{margin:0;white-space:pre-wrap;font-size:12px} .none{color:#888;font-style:italic}
                </style></head><body>
                """);
        long uptime = System.currentTimeMillis() - startedMillis;
        h.append("<h1>resty4j</h1><div class=\"sub\">up ").append(duration(uptime)).append(" &middot; ")
                .append(resty.workerCount()).append(" worker(s) &middot; <a href=\"/metrics\">/metrics</a></div>\n");
        workers(h, resty);
        locations(h, resty);
        dicts(h, resty);
        recentErrors(h);
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void workers(StringBuilder h, Resty resty) {
        h.append("<h2>Workers</h2><table id=\"workers\"><tr><th>worker</th><th>requests and timers in flight</th>"
                + "<th>timers pending</th><th>timers running</th></tr>\n");
        for (int i = 0; i < resty.workerCount(); i++) {
            var timers = resty.worker(i).timers();
            h.append("<tr><td>").append(i).append("</td><td class=\"n\">").append(resty.worker(i).activeFibers())
                    .append("</td><td class=\"n\">").append(timers.pendingCount())
                    .append("</td><td class=\"n\">").append(timers.runningCount()).append("</td></tr>\n");
        }
        h.append("</table>\n");
        var pools = resty.cosocketMetrics().idleConnectionsByBinding();
        if (!pools.isEmpty()) {
            h.append("<h2>Connection pools</h2><table id=\"pools\"><tr><th>binding</th><th>idle connections</th></tr>\n");
            pools.forEach((binding, idle) -> h.append("<tr><td>").append(esc(binding)).append("</td><td class=\"n\">")
                    .append(idle).append("</td></tr>\n"));
            h.append("</table>\n");
        }
    }

    private void locations(StringBuilder h, Resty resty) {
        h.append("<h2>Locations</h2><table id=\"locations\"><tr><th>server</th><th>location</th><th>scripts</th>"
                + "<th>requests</th><th>script errors</th></tr>\n");
        for (ServerConfig s : resty.servers()) {
            String server = esc(s.serverName() + " " + s.listenHost() + ":" + s.listenPort());
            for (Location l : s.locations()) {
                String spec = l.toString();
                String phases = l.scripts().keySet().stream().map(Phase::phaseName).collect(Collectors.joining(", "));
                h.append("<tr><td>").append(server).append("</td><td><code>").append(esc(spec)).append("</code></td><td>")
                        .append(phases.isEmpty() ? "<span class=\"none\">none</span>" : esc(phases))
                        .append("</td><td class=\"n\">").append(count("resty4j.requests", spec))
                        .append("</td><td class=\"n\">").append(count("resty4j.script.errors", spec)).append("</td></tr>\n");
            }
        }
        h.append("</table>\n");
    }

    private long count(String meter, String location) {
        double sum = 0;
        for (Counter c : registry.find(meter).tag("location", location).counters()) {
            sum += c.count();
        }
        return (long) sum;
    }

    private static void dicts(StringBuilder h, Resty resty) {
        h.append("<h2>Shared dicts</h2>");
        if (resty.sharedDicts().isEmpty()) {
            h.append("<p class=\"none\">no lua_shared_dict declared</p>\n");
            return;
        }
        h.append("<table id=\"dicts\"><tr><th>dict</th><th>used</th><th>capacity</th><th></th><th>evictions</th></tr>\n");
        for (SharedDict d : resty.sharedDicts().values()) {
            long cap = d.capacity();
            long used = Math.max(0, cap - d.freeSpace());
            double pct = cap > 0 ? 100.0 * used / cap : 0;
            h.append("<tr><td>").append(esc(d.name())).append("</td><td class=\"n\">").append(bytes(used))
                    .append("</td><td class=\"n\">").append(bytes(cap)).append("</td><td><div class=\"bar\" title=\"")
                    .append(String.format(Locale.ROOT, "%.1f%%", pct)).append("\"><div").append(pct > 90 ? " class=\"hot\"" : "")
                    .append(" style=\"width:").append(String.format(Locale.ROOT, "%.1f", pct)).append("%\"></div></div></td>")
                    .append("<td class=\"n\">").append(d.evictions()).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private void recentErrors(StringBuilder h) {
        h.append("<h2>Recent errors</h2>");
        var list = errors.newestFirst();
        if (list.isEmpty()) {
            h.append("<p class=\"none\">none</p>\n");
            return;
        }
        h.append("<table id=\"errors\"><tr><th>time</th><th>level</th><th>message</th></tr>\n");
        for (RecentErrors.Entry e : list) {
            h.append("<tr><td>").append(TIME.format(Instant.ofEpochMilli(e.epochMillis()))).append("</td><td>")
                    .append(e.record().level().label()).append("</td><td><pre>").append(esc(e.record().line()))
                    .append("</pre></td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String bytes(long n) {
        if (n >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", n / 1048576.0);
        }
        if (n >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return n + " B";
    }

    private static String duration(long millis) {
        Duration d = Duration.ofMillis(millis);
        return d.toDaysPart() > 0 ? d.toDaysPart() + "d " + d.toHoursPart() + "h"
                : d.toHoursPart() > 0 ? d.toHoursPart() + "h " + d.toMinutesPart() + "m"
                : d.toMinutesPart() + "m " + d.toSecondsPart() + "s";
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
