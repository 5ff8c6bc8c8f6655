package dev.resty4j.server.conformance;

import dev.resty4j.server.conformance.ConformanceCase.Location;
import dev.resty4j.server.conformance.ConformanceCase.SetStep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a {@link ConformanceCase} into an {@code nginx.conf} that nginx itself would accept, laid
 * out like Test::Nginx's {@code t/servroot}:
 *
 * <pre>
 * SERVROOT/conf/nginx.conf     the generated configuration
 * SERVROOT/html/index.html     "It works!" page served by the fallback {@code location /}
 * SERVROOT/html/NAME.lua       the case's {@code lua_modules} ({@code a.b} goes to {@code a/b.lua})
 * SERVROOT/logs/               error.log, nginx.pid
 * </pre>
 *
 * What goes where:
 * <ul>
 *   <li>main level: {@code worker_processes 1}, {@code error_log} at the case's {@code log_level}
 *       (Test::Nginx's default {@code debug}), {@code pid}, an {@code events} block;</li>
 *   <li>http: {@code default_type text/plain}, {@code client_max_body_size 30m} (unless the case
 *       sets them itself), {@code lua_package_path "HTML/?.lua;..."} (merged with the case's own
 *       {@code lua_package_path}, since nginx refuses the directive twice), {@code lua_shared_dict}s,
 *       the case's other http directives, then {@code init_by_lua_block},
 *       {@code init_worker_by_lua_block}, {@code exit_worker_by_lua_block};</li>
 *   <li>server: {@code listen 127.0.0.1:PORT}, {@code server_name localhost}, the case's server
 *       directives and server-level Lua handlers (including {@code server_rewrite_by_lua_block}),
 *       the case's locations, then the fallback {@code location / { root HTML; }} unless the case
 *       has its own {@code /} prefix location;</li>
 *   <li>location: {@code set}/{@code set_by_lua} in order, directives, Lua handlers in phase order
 *       ({@code rewrite, access, precontent, content, header_filter, body_filter, log}), then
 *       {@code return}.</li>
 * </ul>
 *
 * Lua code goes verbatim between the braces of {@code *_by_lua_block { ... }}, exactly as the case
 * gives it (the block parser of lua-nginx-module is part of what the cases test). The only
 * addition is a newline before the closing brace when the code's last line is not blank, so that
 * a trailing {@code -- comment} cannot swallow the brace. {@code set_by_lua} with arguments has no
 * block form; it is written as {@code set_by_lua $var "CODE" $arg...} with {@link NginxQuoting}.
 * Every other argument is written with {@link NginxQuoting#arg}. All {@code $TEST_NGINX_*}
 * placeholders are substituted (see {@link TestEnv}) in Lua code, module files and directives.
 */
public final class ConfigGenerator {

    /** The Test::Nginx default page, written to {@code html/index.html} (no trailing newline). */
    public static final String INDEX_HTML =
            "<html><head><title>It works!</title></head><body>It works!</body></html>";

    /** Location phase keys in nginx phase order, mapped to their block directives. */
    private static final Map<String, String> PHASE_DIRECTIVES = new LinkedHashMap<>();

    static {
        PHASE_DIRECTIVES.put("server_rewrite", "server_rewrite_by_lua_block");
        PHASE_DIRECTIVES.put("rewrite", "rewrite_by_lua_block");
        PHASE_DIRECTIVES.put("access", "access_by_lua_block");
        PHASE_DIRECTIVES.put("precontent", "precontent_by_lua_block");
        PHASE_DIRECTIVES.put("content", "content_by_lua_block");
        PHASE_DIRECTIVES.put("header_filter", "header_filter_by_lua_block");
        PHASE_DIRECTIVES.put("body_filter", "body_filter_by_lua_block");
        PHASE_DIRECTIVES.put("log", "log_by_lua_block");
    }

    /** Where one case's files live. */
    public record CaseFiles(Path servroot, Path confFile, Path htmlDir, Path logsDir) {

        /** The layout below {@code servroot}. */
        public static CaseFiles under(Path servroot) {
            Path root = servroot.toAbsolutePath();
            return new CaseFiles(root, root.resolve("conf").resolve("nginx.conf"), root.resolve("html"),
                    root.resolve("logs"));
        }
    }

    /**
     * Creates the servroot layout, writes {@code index.html}, the Lua modules and the config.
     *
     * @return the paths written
     */
    public CaseFiles write(ConformanceCase c, int port, Path servroot) throws IOException {
        CaseFiles files = CaseFiles.under(servroot);
        Files.createDirectories(files.confFile().getParent());
        Files.createDirectories(files.htmlDir());
        Files.createDirectories(files.logsDir());
        Files.writeString(files.htmlDir().resolve("index.html"), INDEX_HTML, StandardCharsets.UTF_8);
        TestEnv env = new TestEnv(port, files.htmlDir());
        for (Map.Entry<String, String> m : c.http().luaModules().entrySet()) {
            Path file = files.htmlDir().resolve(m.getKey().replace('.', '/') + ".lua");
            Files.createDirectories(file.getParent());
            Files.writeString(file, env.substitute(m.getValue()), StandardCharsets.UTF_8);
        }
        Files.writeString(files.confFile(), render(c, port, files.servroot()), StandardCharsets.UTF_8);
        return files;
    }

    /** Renders the {@code nginx.conf} text for {@code c} listening on 127.0.0.1:{@code port}. */
    public String render(ConformanceCase c, int port, Path servroot) {
        CaseFiles files = CaseFiles.under(servroot);
        TestEnv env = new TestEnv(port, files.htmlDir());
        Out o = new Out();

        o.line("# resty4j conformance case " + oneLine(c.id()) + (c.title() == null ? "" : ": " + oneLine(c.title())));
        o.line("# generated by " + ConfigGenerator.class.getName());
        o.line("worker_processes 1;");
        String level = c.expectLog().logLevel() == null ? "debug" : c.expectLog().logLevel();
        o.directive("error_log", files.logsDir().resolve("error.log").toString(), level);
        o.directive("pid", files.logsDir().resolve("nginx.pid").toString());
        o.line("");
        o.open("events");
        o.line("worker_connections 1024;");
        o.close();
        o.line("");

        o.open("http");
        List<List<String>> httpDirectives = substitute(env, c.http().directives());
        if (!hasDirective(httpDirectives, "default_type")) {
            o.directive("default_type", "text/plain");
        }
        if (!hasDirective(httpDirectives, "client_max_body_size")) {
            o.directive("client_max_body_size", "30m");
        }
        String packagePath = files.htmlDir() + "/?.lua;";
        String casePackagePath = firstArg(httpDirectives, "lua_package_path");
        o.directive("lua_package_path", casePackagePath == null ? packagePath + ";" : packagePath + casePackagePath);
        for (Map.Entry<String, String> d : c.http().sharedDicts().entrySet()) {
            o.directive("lua_shared_dict", d.getKey(), d.getValue());
        }
        for (List<String> d : httpDirectives) {
            if (!d.get(0).equals("lua_package_path")) {
                o.directive(d);
            }
        }
        o.luaBlock("init_by_lua_block", env.substitute(c.http().initByLua()));
        o.luaBlock("init_worker_by_lua_block", env.substitute(c.http().initWorkerByLua()));
        o.luaBlock("exit_worker_by_lua_block", env.substitute(c.http().exitWorkerByLua()));
        o.line("");

        o.open("server");
        o.directive("listen", "127.0.0.1:" + port);
        o.directive("server_name", "localhost");
        for (List<String> d : substitute(env, c.server().directives())) {
            o.directive(d);
        }
        // Server-level handlers as originally written. The case already copied them into every
        // location lacking its own (nginx's loc-conf merge); writing them here as well keeps the
        // fallback location covered. content_by_lua is not allowed at server level.
        for (Map.Entry<String, String> ph : orderedPhases(c.server().phases()).entrySet()) {
            if (!ph.getKey().equals("content")) {
                o.luaBlock(phaseDirective(ph.getKey()), env.substitute(ph.getValue()));
            }
        }
        for (Location l : c.locations()) {
            o.line("");
            location(o, env, l);
        }
        if (!hasOwnRootLocation(c)) {
            o.line("");
            o.open("location /");
            o.directive("root", files.htmlDir().toString());
            o.directive("index", "index.html", "index.htm");
            o.close();
        }
        o.close(); // server
        o.close(); // http
        return o.toString();
    }

    private static void location(Out o, TestEnv env, Location l) {
        o.open("location " + locationMatch(l));
        // set_vars first (they are plain `set`s); set_sequence keeps its own order.
        List<String> sequenced = l.setSequence().stream().map(s -> varName(s.var())).toList();
        for (Map.Entry<String, String> v : l.setVars().entrySet()) {
            if (!sequenced.contains(varName(v.getKey()))) {
                o.directive("set", varName(v.getKey()), env.substitute(nullToEmpty(v.getValue())));
            }
        }
        for (SetStep s : l.setSequence()) {
            if (!s.isLua()) {
                o.directive("set", varName(s.var()), env.substitute(nullToEmpty(s.value())));
            } else if (s.args().isEmpty()) {
                o.luaBlock("set_by_lua_block " + varName(s.var()), env.substitute(s.lua()));
            } else {
                // set_by_lua $res <lua-script-str> [$arg1 $arg2 ...]: only the string form takes args.
                o.line("set_by_lua " + varName(s.var()) + " " + NginxQuoting.quote(env.substitute(s.lua()))
                        + argsSuffix(env, s.args()) + ";");
            }
        }
        for (List<String> d : substitute(env, l.directives())) {
            o.directive(d);
        }
        for (Map.Entry<String, String> ph : orderedPhases(l.phases()).entrySet()) {
            o.luaBlock(phaseDirective(ph.getKey()), env.substitute(ph.getValue()));
        }
        if (l.returnArgs() != null && !l.returnArgs().isEmpty()) {
            List<String> words = new ArrayList<>();
            words.add("return");
            l.returnArgs().forEach(a -> words.add(env.substitute(a)));
            o.directive(words);
        }
        o.close();
    }

    /** {@code = /p}, {@code /p}, {@code ^~ /p}, {@code ~ re}, {@code ~* re} or {@code @name}. */
    static String locationMatch(Location l) {
        String path = l.path() == null ? "/" : l.path();
        String match = l.match() == null ? "prefix" : l.match().toLowerCase(Locale.ROOT);
        return switch (match) {
            case "exact" -> "= " + NginxQuoting.arg(path);
            case "prefix_noregex" -> "^~ " + NginxQuoting.arg(path);
            case "regex" -> "~ " + NginxQuoting.arg(path);
            case "regex_ci" -> "~* " + NginxQuoting.arg(path);
            case "named" -> NginxQuoting.arg(path.startsWith("@") ? path : "@" + path);
            default -> NginxQuoting.arg(path); // prefix
        };
    }

    private static boolean hasOwnRootLocation(ConformanceCase c) {
        return c.locations().stream().anyMatch(l -> "/".equals(l.path())
                && ("prefix".equals(l.match()) || "prefix_noregex".equals(l.match())));
    }

    /** Known phases in nginx order first, then any unknown ones in case order. */
    private static Map<String, String> orderedPhases(Map<String, String> phases) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String known : PHASE_DIRECTIVES.keySet()) {
            if (phases.get(known) != null) {
                out.put(known, phases.get(known));
            }
        }
        phases.forEach((k, v) -> {
            if (v != null) {
                out.putIfAbsent(k, v);
            }
        });
        return out;
    }

    private static String phaseDirective(String phase) {
        return PHASE_DIRECTIVES.getOrDefault(phase, phase + "_by_lua_block");
    }

    private static String argsSuffix(TestEnv env, List<String> args) {
        StringBuilder b = new StringBuilder();
        args.forEach(a -> b.append(' ').append(NginxQuoting.arg(env.substitute(a))));
        return b.toString();
    }

    private static List<List<String>> substitute(TestEnv env, List<List<String>> directives) {
        return directives.stream().map(d -> d.stream().map(env::substitute).toList()).toList();
    }

    private static boolean hasDirective(List<List<String>> directives, String name) {
        return directives.stream().anyMatch(d -> d.get(0).equals(name));
    }

    private static String firstArg(List<List<String>> directives, String name) {
        return directives.stream().filter(d -> d.get(0).equals(name) && d.size() > 1)
                .map(d -> d.get(1)).findFirst().orElse(null);
    }

    private static String varName(String v) {
        return v.startsWith("$") ? v : "$" + v;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String oneLine(String s) {
        return s.replace('\r', ' ').replace('\n', ' ');
    }

    /** A tiny indenting writer. */
    private static final class Out {
        private final StringBuilder b = new StringBuilder();
        private int depth;

        void line(String s) {
            if (!s.isEmpty()) {
                b.append("    ".repeat(depth)).append(s);
            }
            b.append('\n');
        }

        void open(String head) {
            line(head + " {");
            depth++;
        }

        void close() {
            depth--;
            line("}");
        }

        void directive(String name, String... args) {
            directive(prepend(name, args));
        }

        void directive(List<String> words) {
            StringBuilder s = new StringBuilder(words.get(0));
            for (int i = 1; i < words.size(); i++) {
                s.append(' ').append(NginxQuoting.arg(words.get(i)));
            }
            line(s.append(';').toString());
        }

        /** {@code head { CODE }} with the code verbatim; nothing is written for null code. */
        void luaBlock(String head, String code) {
            if (code == null) {
                return;
            }
            String indent = "    ".repeat(depth);
            b.append(indent).append(head).append(" {").append(code);
            String lastLine = code.substring(code.lastIndexOf('\n') + 1);
            if (!lastLine.isBlank()) {
                b.append('\n').append(indent); // keep a trailing "-- comment" away from the brace
            } else if (lastLine.isEmpty()) {
                b.append(indent);
            }
            b.append("}\n");
        }

        private static List<String> prepend(String name, String... args) {
            List<String> words = new ArrayList<>();
            words.add(name);
            words.addAll(List.of(args));
            return words;
        }

        @Override
        public String toString() {
            return b.toString();
        }
    }
}
