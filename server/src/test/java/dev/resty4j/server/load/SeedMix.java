package dev.resty4j.server.load;

import dev.resty4j.config.ConfigParser;
import dev.resty4j.config.ConfigWriter;
import dev.resty4j.config.Directive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The seed examples ({@code examples/conf/seed/*.conf}, and {@code seed-js/} when there is one and the JS
 * engine is on the class path) folded into one config for the soak: one {@code server} holding every
 * seed's locations (a server block's own directives copied into its locations, as nginx inherits them),
 * the http-level directives merged ({@code lua_shared_dict} once per name, the {@code init_by_*} and
 * {@code init_worker_by_*} bodies of each language run one after the other). The JS seeds' locations are
 * mounted under {@value #JS_PREFIX} since they mirror the Lua ones. A location whose spec another seed
 * already uses is left out and reported.
 */
final class SeedMix {

    final List<Directive> httpLevel = new ArrayList<>();
    final List<Directive> locations = new ArrayList<>();
    /** Paths to GET: one per plain, exact or ^~ location. */
    final List<String> paths = new ArrayList<>();
    final List<String> seeds = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    private final Map<String, Directive> dicts = new LinkedHashMap<>();
    private final Map<String, StringBuilder> initBodies = new LinkedHashMap<>();
    private final Map<String, Directive> locationsBySpec = new LinkedHashMap<>();
    /** Where the JS seeds' locations go (they have the same paths as the Lua seeds). */
    static final String JS_PREFIX = "/js";
    private String prefix = "";

    static SeedMix of(Path repoRoot, boolean withJs) throws Exception {
        SeedMix mix = new SeedMix();
        List<Path> files = new ArrayList<>(list(repoRoot.resolve("examples/conf/seed")));
        List<Path> js = list(repoRoot.resolve("examples/conf/seed-js"));
        if (withJs) {
            files.addAll(js);
        } else if (!js.isEmpty()) {
            mix.notes.add(js.size() + " JS seeds left out: no JS engine on the class path");
        }
        for (Path f : files) {
            mix.seeds.add(repoRoot.relativize(f).toString());
            mix.prefix = js.contains(f) ? JS_PREFIX : "";
            mix.top(ConfigParser.parse(f));
        }
        mix.finish();
        return mix;
    }

    private static List<Path> list(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
    }

    private void top(List<Directive> tree) {
        List<Directive> bare = new ArrayList<>();
        for (Directive d : tree) {
            switch (d.name()) {
                case "http" -> http(d.block());
                case "server" -> server(d);
                case "location" -> bare.add(d);
                case "env" -> httpLevel.add(d);
                default -> { } // worker_processes, events, error_log, pid: the soak's own
            }
        }
        bare.forEach(l -> location(l, List.of()));
    }

    private void http(List<Directive> body) {
        for (Directive d : body) {
            switch (d.name()) {
                case "server" -> server(d);
                case "lua_shared_dict" -> dicts.putIfAbsent(d.arg(0), d);
                case "init_by_lua_block", "init_worker_by_lua_block" ->
                        initBodies.computeIfAbsent(d.name(), k -> new StringBuilder())
                                .append("\ndo ").append(d.rawBody()).append("\nend\n");
                case "init_by_js_block", "init_worker_by_js_block" ->
                        initBodies.computeIfAbsent(d.name(), k -> new StringBuilder())
                                .append("\n{ ").append(d.rawBody()).append("\n}\n");
                case "error_log", "worker_processes" -> { }
                default -> {
                    if (httpLevel.stream().anyMatch(o -> o.name().equals(d.name()) && o.args().equals(d.args()))) {
                        continue;
                    }
                    httpLevel.add(d);
                }
            }
        }
    }

    private void server(Directive srv) {
        List<Directive> inherited = new ArrayList<>();
        List<Directive> locs = new ArrayList<>();
        for (Directive d : srv.block()) {
            switch (d.name()) {
                case "listen", "server_name" -> { }
                case "location" -> locs.add(d);
                default -> inherited.add(d);
            }
        }
        locs.forEach(l -> location(l, inherited));
    }

    private void location(Directive original, List<Directive> inherited) {
        Directive loc = original;
        if (!prefix.isEmpty()) {
            List<String> args = new ArrayList<>(original.args());
            int last = args.size() - 1;
            args.set(last, prefix + args.get(last));
            loc = new Directive("location", args, original.block(), original.file(), original.line());
        }
        String spec = String.join(" ", loc.args());
        if (locationsBySpec.containsKey(spec)) {
            notes.add("location " + spec + " of " + loc.location() + " left out: another seed has it");
            return;
        }
        List<Directive> body = new ArrayList<>(inherited);
        body.addAll(loc.block());
        Directive merged = new Directive("location", loc.args(), body, loc.file(), loc.line());
        locationsBySpec.put(spec, merged);
        locations.add(merged);
        List<String> a = loc.args();
        if (a.size() == 1 && a.get(0).startsWith("/")) {
            paths.add(a.get(0));
        } else if (a.size() == 2 && (a.get(0).equals("=") || a.get(0).equals("^~"))) {
            paths.add(a.get(1));
        }
    }

    private void finish() {
        httpLevel.addAll(0, dicts.values());
    }

    /**
     * The http-level directives as config text, the seeds' {@code init_worker_by_lua_block} bodies followed
     * by {@code initWorker} (the soak's own: a config has one such block).
     */
    String httpText(String initWorker) {
        List<Directive> all = new ArrayList<>(httpLevel);
        Map<String, String> bodies = new LinkedHashMap<>();
        initBodies.forEach((name, body) -> bodies.put(name, body.toString()));
        bodies.merge("init_worker_by_lua_block", "\ndo " + initWorker + " end\n", String::concat);
        bodies.forEach((name, body) -> all.add(new Directive(name, List.of(body), null, "seeds", 0)));
        return ConfigWriter.write(all);
    }

    String locationsText() {
        return ConfigWriter.write(locations);
    }
}
