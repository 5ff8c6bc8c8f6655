package dev.resty4j.config;

import dev.resty4j.Location;
import dev.resty4j.Phase;
import dev.resty4j.Resty;
import dev.resty4j.Script;
import dev.resty4j.core.log.ErrorLog;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.shdict.Sizes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns an nginx-style config (the subset OpenResty users write) into a {@link Resty.Builder}: the same
 * file nginx would take. Directives resty4j implements are mapped; directives that only tune nginx
 * internals are accepted as documented no-ops ({@link #NO_OPS}); anything else is a load-time error naming
 * file and line (or a warning, with {@link Options#warnUnknown}), never silently ignored.
 */
public final class ConfigLoader {

    /** Directives accepted and ignored because they only tune nginx internals (documented in the README). */
    public static final Set<String> NO_OPS = Set.of(
            "worker_connections", "worker_rlimit_nofile", "worker_cpu_affinity", "events", "daemon",
            "master_process", "pid", "user", "pcre_jit", "thread_pool", "timer_resolution", "lock_file",
            "sendfile", "tcp_nopush", "tcp_nodelay", "keepalive_timeout", "keepalive_requests", "access_log",
            "log_format", "types", "server_tokens", "charset", "etag", "if_modified_since", "chunked_transfer_encoding",
            "client_body_buffer_size", "lua_code_cache", "client_body_timeout", "client_header_timeout", "client_body_in_file_only",
            "client_body_temp_path", "client_header_buffer_size", "large_client_header_buffers", "send_timeout",
            "lua_package_cpath", "lua_socket_buffer_size", "lua_socket_log_errors", "lua_socket_pool_size",
            "lua_socket_keepalive_timeout", "lua_socket_connect_timeout", "lua_socket_send_timeout",
            "lua_socket_read_timeout", "lua_check_client_abort", "lua_transform_underscores_in_response_headers",
            "lua_http10_buffering", "lua_use_default_type", "lua_malloc_trim", "lua_sa_restart", "lua_capture_error_log",
            "lua_ssl_trusted_certificate", "lua_ssl_verify_depth", "lua_ssl_protocols", "lua_ssl_ciphers",
            "lua_regex_match_limit", "lua_regex_cache_max_entries", "lua_max_pending_timers", "lua_max_running_timers",
            "lua_thread_cache_max_entries", "lua_worker_thread_vm_pool_size", "resolver", "resolver_timeout",
            "root", "index", "server_name_in_redirect", "port_in_redirect", "absolute_redirect", "merge_slashes",
            "underscores_in_headers", "ignore_invalid_headers", "output_buffers", "postpone_output", "gzip",
            "subrequest_output_buffer_size", "internal", "default_server", "ssl_certificate", "ssl_certificate_key",
            "ssl_protocols", "ssl_ciphers", "ssl_session_cache", "ssl_session_timeout", "limit_rate", "expires",
            "lua_load_resty_core", "lingering_close", "reset_timedout_connection", "http2", "server_names_hash_bucket_size",
            "variables_hash_max_size", "variables_hash_bucket_size", "client_body_in_single_buffer", "log_subrequest",
            "rewrite_log", "log_not_found", "msie_padding", "recursive_error_pages", "error_page",
            "proxy_http_version", "proxy_set_header", "proxy_connect_timeout", "proxy_read_timeout", "proxy_send_timeout",
            "proxy_buffering", "proxy_redirect", "proxy_pass_request_headers", "proxy_pass_request_body", "proxy_buffer_size",
            "proxy_buffers", "proxy_intercept_errors", "proxy_next_upstream");

    /** Loading options. */
    public record Options(boolean warnUnknown, Consumer<String> warnings) {
        public static Options strict() {
            return new Options(false, w -> { });
        }
    }

    private final Options options;
    private final String fileName;
    private final Path baseDir;
    private final Resty.Builder builder;
    private final List<ErrorLog.Target> mainErrorLogs = new ArrayList<>();
    private final List<ErrorLog.Target> httpErrorLogs = new ArrayList<>();
    private final Map<String, Directive> serverLevelPhases = new HashMap<>();
    /** http-level directives that nginx merges into every location (lua_need_request_body, add_header, …). */
    private final List<Directive> httpInherited = new ArrayList<>();
    private static final Set<String> INHERITED = Set.of("lua_need_request_body", "more_clear_headers", "add_header");
    /** Directives {@link dev.resty4j.spi.RestyExtension}s on the class path handle (upstream, proxy_pass, …). */
    private final Set<String> claimed = dev.resty4j.spi.Extensions.claimedDirectives();

    private ConfigLoader(Options options, String fileName, Path baseDir, Resty.Builder builder) {
        this.options = options;
        this.fileName = fileName;
        this.baseDir = baseDir;
        this.builder = builder;
    }

    /** Loads a config file into a new builder (call {@code .vertx(...)} etc. on it, then build). */
    public static Resty.Builder load(Path file, Options options) throws ConfigException {
        List<Directive> tree = ConfigParser.parse(file);
        Path dir = file.toAbsolutePath().getParent();
        ConfigLoader l = new ConfigLoader(options, file.getFileName().toString(), dir, Resty.builder().workers(1));
        l.main(tree);
        return l.builder;
    }

    /** Loads config text (fragments allowed: a bare server or location list). */
    public static Resty.Builder load(String text, String fileName, Path baseDir, Options options) throws ConfigException {
        List<Directive> tree = ConfigParser.parse(text, fileName, baseDir);
        ConfigLoader l = new ConfigLoader(options, fileName, baseDir, Resty.builder().workers(1));
        l.main(tree);
        return l.builder;
    }

    private void main(List<Directive> tree) throws ConfigException {
        collectJsImports(tree);
        boolean sawHttp = false;
        List<Directive> httpLevel = new ArrayList<>();
        List<Directive> bareLocations = new ArrayList<>();
        for (Directive d : tree) {
            switch (d.name()) {
                case "http" -> {
                    sawHttp = true;
                    http(d.block());
                }
                case "events" -> { }
                case "env" -> env(arg(d, 0));
                case "error_log" -> mainErrorLogs.add(mainErrorLog(d));
                case "worker_processes" -> workers(d);
                case "location" -> bareLocations.add(d);
                default -> httpLevel.add(d);
            }
        }
        if (!httpLevel.isEmpty() || !bareLocations.isEmpty()) {
            if (!bareLocations.isEmpty()) {
                List<Directive> serverBody = new ArrayList<>(bareLocations);
                httpLevel.add(new Directive("server", List.of(), serverBody, fileName, bareLocations.get(0).line()));
            }
            http(httpLevel);
        } else if (!sawHttp) {
            // an empty config: nothing to serve, but valid
        }
        // as nginx merges error_log: the http level's directives, if any, replace the main level's
        for (ErrorLog.Target t : httpErrorLogs.isEmpty() ? mainErrorLogs : httpErrorLogs) {
            builder.errorLog(t.destination(), t.level());
        }
    }

    private void http(List<Directive> body) throws ConfigException {
        for (Directive d : body) {
            switch (d.name()) {
                case "server" -> server(d);
                case "lua_shared_dict" -> {
                    String size = arg(d, 1);
                    try {
                        builder.sharedDict(arg(d, 0), size, d.args().subList(2, d.argCount()));
                    } catch (IllegalArgumentException e) {
                        throw error(d, "invalid lua_shared_dict size \"" + size + "\": " + e.getMessage());
                    }
                }
                case "init_by_lua", "init_by_lua_block", "init_by_lua_file" -> builder.init(script(d, "init_by_lua"));
                case "init_worker_by_lua", "init_worker_by_lua_block", "init_worker_by_lua_file" ->
                        builder.initWorker(script(d, "init_worker_by_lua"));
                case "exit_worker_by_lua", "exit_worker_by_lua_block", "exit_worker_by_lua_file" ->
                        builder.exitWorker(script(d, "exit_worker_by_lua"));
                case "init_by_js", "init_by_js_block", "init_by_js_file" -> builder.init(script(d, "init_by_js"));
                case "init_worker_by_js", "init_worker_by_js_block", "init_worker_by_js_file" ->
                        builder.initWorker(script(d, "init_worker_by_js"));
                case "exit_worker_by_js", "exit_worker_by_js_block", "exit_worker_by_js_file" ->
                        builder.exitWorker(script(d, "exit_worker_by_js"));
                case "js_time_budget" -> builder.maxScriptMillis(millis(d));
                case "js_import", "js_path", "js_engine" -> { } // js_import: collected first (collectJsImports)
                case "lua_package_path" -> builder.packagePath(arg(d, 0).replace("${prefix}", prefix().toString())
                        .replace("$prefix", prefix().toString()));
                case "lua_code_cache" -> builder.codeCache(onOff(d));
                case "default_type" -> builder.defaultType(arg(d, 0));
                case "client_max_body_size" -> builder.clientMaxBodySize(size(d));
                case "lua_sandbox" -> builder.sandbox(onOff(d));
                case "lua_strict_headers" -> builder.strictHeaders(onOff(d));
                case "env" -> env(arg(d, 0));
                case "error_log" -> httpErrorLogs.add(mainErrorLog(d));
                case "include" -> { } // expanded by the parser
                case "worker_processes" -> workers(d);
                default -> {
                    if (claimed.contains(d.name())) {
                        builder.extensionDirective(d);
                        if (d.block() == null) {
                            httpInherited.add(d); // e.g. proxy_set_header at http level applies to every location
                        }
                        continue;
                    }
                    if (INHERITED.contains(d.name())) {
                        httpInherited.add(d);
                        continue;
                    }
                    if (isPhaseDirective(d.name())) {
                        serverLevelPhases.put(phaseOf(d).phaseName(), d);
                    } else {
                        other(d, null);
                        builder.httpDirective(d.name(), d.args());
                    }
                }
            }
        }
    }

    private void server(Directive srv) throws ConfigException {
        Map<String, Directive> serverPhases = new HashMap<>(serverLevelPhases);
        List<Directive> serverDirectives = new ArrayList<>(httpInherited);
        String[] listen = {"0.0.0.0", "80"};
        String[] name = {"localhost"};
        List<Directive> locations = new ArrayList<>();
        Script[] serverRewrite = {null};
        for (Directive d : srv.block()) {
            switch (d.name()) {
                case "listen" -> listen = parseListen(d);
                case "server_name" -> name[0] = arg(d, 0);
                case "location" -> locations.add(d);
                case "server_rewrite_by_lua", "server_rewrite_by_lua_block", "server_rewrite_by_lua_file" ->
                        serverRewrite[0] = script(d, "server_rewrite_by_lua");
                default -> {
                    if (isPhaseDirective(d.name())) {
                        serverPhases.put(phaseOf(d).phaseName(), d);
                    } else {
                        serverDirectives.add(d);
                    }
                }
            }
        }
        String host = listen[0];
        int port = Integer.parseInt(listen[1]);
        List<Location> built = new ArrayList<>();
        for (Directive loc : locations) {
            location(loc, serverPhases, serverDirectives, built);
        }
        builder.server(sb -> {
            sb.listen(host, port).serverName(name[0]).serverRewrite(serverRewrite[0]);
            built.forEach(sb::location);
        });
    }

    private void location(Directive d, Map<String, Directive> inheritedPhases, List<Directive> inherited,
                          List<Location> out) throws ConfigException {
        if (d.block() == null || d.args().isEmpty()) {
            throw error(d, "invalid location");
        }
        Location.Builder lb = Location.builder(String.join(" ", d.args())).source(d.location());
        Map<String, Directive> phases = new HashMap<>(inheritedPhases);
        List<Directive> all = new ArrayList<>(inherited);
        all.addAll(d.block());
        // a location's own error_log directives replace the server level's, as nginx merges them
        boolean ownErrorLog = d.block().stream().anyMatch(c -> c.name().equals("error_log"));
        for (Directive c : all) {
            if (c.name().equals("location")) {
                location(c, inheritedPhases, inherited, out);
                continue;
            }
            if (isPhaseDirective(c.name())) {
                phases.put(phaseOf(c).phaseName(), c);
                continue;
            }
            if (claimed.contains(c.name())) {
                lb.directive(c.name(), c.args());
                continue;
            }
            switch (c.name()) {
                case "set" -> lb.set(arg(c, 0), c.argCount() > 1 ? c.arg(1) : "");
                case "set_by_lua", "set_by_lua_block", "set_by_lua_file", "set_by_js", "set_by_js_block", "set_by_js_file" -> {
                    String var = arg(c, 0);
                    List<String> args = c.name().endsWith("_block") ? List.of()
                            : c.args().subList(2, c.argCount());
                    lb.setByScript(var, script(c, c.name().contains("_by_js") ? "set_by_js" : "set_by_lua"), args);
                }
                case "js_set" -> lb.setByScript(arg(c, 0), njsScript(c, "js_set"), List.of());
                case "js_import", "js_path", "js_engine" -> { } // js_import: collected first (collectJsImports)
                case "default_type" -> lb.defaultType(arg(c, 0));
                case "error_log" -> {
                    if (!ownErrorLog || d.block().contains(c)) {
                        ErrorLog.Target t = errorLogTarget(c);
                        lb.directive("error_log", List.of(t.destination(), t.level().label()));
                    }
                }
                case "return" -> returnDirective(c, lb);
                case "add_header" -> lb.addHeader(arg(c, 0), c.argCount() > 1 ? c.arg(1) : "",
                        c.argCount() > 2 && "always".equals(c.arg(2)));
                case "more_clear_headers" -> {
                    for (String a : c.args()) {
                        if (!a.startsWith("-")) {
                            lb.clearHeader(a);
                        }
                    }
                }
                case "lua_need_request_body" -> lb.needRequestBody(onOff(c));
                case "lua_code_cache" -> builder.codeCache(onOff(c));
                case "client_max_body_size" -> lb.clientMaxBodySize(size(c));
                case "proxy_pass" -> throw error(c, "directive \"proxy_pass\" needs resty4j-bindings-http on the class path");
                case "if", "rewrite", "try_files", "alias" -> {
                    if (options.warnUnknown()) {
                        options.warnings().accept("directive \"" + c.name() + "\" is not supported, ignored in " + c.location());
                    } else {
                        throw error(c, "directive \"" + c.name() + "\" is not supported by resty4j");
                    }
                }
                default -> {
                    other(c, lb);
                }
            }
        }
        for (Directive p : phases.values()) {
            Phase phase = phaseOf(p);
            if (p.name().startsWith("js_")) {
                lb.phase(phase, njsScript(p, p.name()));
            } else {
                lb.phase(phase, script(p, phase.phaseName() + (p.name().contains("_by_js") ? "_by_js" : "_by_lua")));
            }
        }
        out.add(lb.build());
    }

    /** Directives kept by name for bindings, accepted no-ops, or an error. */
    private void other(Directive d, Location.Builder lb) throws ConfigException {
        if (dev.resty4j.core.engine.ScriptLimits.DIRECTIVES.contains(d.name())) {
            try {
                dev.resty4j.core.engine.ScriptLimits.parse(d.name(), arg(d, 0));
            } catch (IllegalArgumentException e) {
                throw error(d, e.getMessage());
            }
            if (lb != null) {
                lb.directive(d.name(), d.args());
            }
            return;
        }
        if (NO_OPS.contains(d.name()) || d.name().startsWith("proxy_") || d.name().startsWith("lua_")
                && NO_OPS.contains(d.name())) {
            if (lb != null) {
                lb.directive(d.name(), d.args());
            }
            return;
        }
        if (d.name().equals("more_clear_headers") || d.name().equals("lua_need_request_body")
                || d.name().equals("add_header") || d.name().equals("set")) {
            return; // server/http level copies are applied per location
        }
        if (options.warnUnknown()) {
            options.warnings().accept("unknown directive \"" + d.name() + "\" ignored in " + d.location());
            return;
        }
        throw error(d, "unknown directive \"" + d.name() + "\"");
    }

    private void returnDirective(Directive c, Location.Builder lb) throws ConfigException {
        String first = arg(c, 0);
        if (first.matches("\\d{3}")) {
            lb.returns(Integer.parseInt(first), c.argCount() > 1 ? c.arg(1) : null);
        } else {
            lb.returns(302, first);
        }
    }

    private Script script(Directive d, String contextName) throws ConfigException {
        String n = d.name();
        String language = n.contains("_by_js") ? "js" : "lua";
        String chunk = contextName + "(" + fileName + ":" + d.line() + ")";
        if (n.endsWith("_block")) {
            return new Script(language, d.rawBody(), chunk, d.line(), null);
        }
        if (n.endsWith("_file")) {
            String f = d.args().get(n.startsWith("set_by") ? 1 : 0);
            Path p = baseDir.resolve(f);
            try {
                return new Script(language, Files.readString(p), "@" + p, 1, p);
            } catch (IOException e) {
                throw error(d, "failed to load " + (language.equals("js") ? "JavaScript" : "Lua") + " file \"" + p + "\": "
                        + e.getMessage());
            }
        }
        String code = d.args().get(n.startsWith("set_by") ? 1 : 0);
        return new Script(language, code, chunk, d.line(), null);
    }

    private static boolean isPhaseDirective(String name) {
        return phaseOfName(name) != null;
    }

    /** njs's handler directives and the phase each runs in. */
    private static final Map<String, Phase> NJS_PHASES = Map.of("js_content", Phase.CONTENT, "js_access", Phase.ACCESS,
            "js_header_filter", Phase.HEADER_FILTER, "js_body_filter", Phase.BODY_FILTER);

    /** {@code js_import NAME from FILE;} / {@code js_import FILE;} anywhere in the config: module name → file. */
    private final Map<String, Path> jsImports = new HashMap<>();

    private void collectJsImports(List<Directive> tree) throws ConfigException {
        for (Directive d : tree) {
            if (d.name().equals("js_import")) {
                String file;
                String name;
                if (d.argCount() == 3 && "from".equals(d.arg(1))) {
                    name = d.arg(0);
                    file = d.arg(2);
                } else {
                    file = arg(d, 0);
                    String base = Path.of(file).getFileName().toString();
                    name = base.endsWith(".js") || base.endsWith(".mjs") ? base.substring(0, base.lastIndexOf('.')) : base;
                }
                Path p = baseDir.resolve(file);
                if (!Files.isRegularFile(p)) {
                    throw error(d, "js_import: cannot read \"" + p + "\"");
                }
                jsImports.put(name, p);
            }
            if (d.block() != null) {
                collectJsImports(d.block());
            }
        }
    }

    /**
     * A njs handler ({@code js_content main.hello}): a JS script naming the export, with the imported module
     * as its file; the JS engine loads the module (an ES module) and calls the export with njs's {@code r}.
     */
    private Script njsScript(Directive d, String directive) throws ConfigException {
        String ref = arg(d, directive.equals("js_set") ? 1 : 0);
        int dot = ref.indexOf('.');
        String module = dot < 0 ? null : ref.substring(0, dot);
        Path file = module == null ? null : jsImports.get(module);
        if (file == null) {
            throw error(d, "no js_import for \"" + ref + "\" (expected MODULE.FUNCTION with \"js_import MODULE from FILE;\")");
        }
        return new Script("js", ref, directive + "(" + fileName + ":" + d.line() + ")", d.line(), file);
    }

    /** A duration in nginx's syntax ({@code 500ms}, {@code 1s}, {@code 2m}; bare numbers are seconds). */
    private long millis(Directive d) throws ConfigException {
        String v = arg(d, 0);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)?").matcher(v);
        if (!m.matches()) {
            throw error(d, "invalid value \"" + v + "\" in \"" + d.name() + "\" directive");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> n;
            case "m" -> n * 60_000;
            default -> n * 1000;
        };
    }

    private static Phase phaseOfName(String name) {
        Phase njs = NJS_PHASES.get(name);
        if (njs != null) {
            return njs;
        }
        for (String suffix : new String[] {"_by_lua_block", "_by_lua_file", "_by_lua", "_by_js_block", "_by_js_file", "_by_js"}) {
            if (name.endsWith(suffix)) {
                Phase p = Phase.byPhaseName(name.substring(0, name.length() - suffix.length()));
                if (p != null && p.isRequestPhase() && p != Phase.SET && p != Phase.SERVER_REWRITE) {
                    return p;
                }
            }
        }
        return null;
    }

    private static Phase phaseOf(Directive d) {
        return phaseOfName(d.name());
    }

    private String[] parseListen(Directive d) throws ConfigException {
        String a = arg(d, 0);
        if (a.startsWith("unix:")) {
            throw error(d, "unix socket listen is not supported");
        }
        int colon = a.lastIndexOf(':');
        if (colon > 0 && !a.endsWith("]")) {
            return new String[] {a.substring(0, colon).replace("[", "").replace("]", ""), a.substring(colon + 1)};
        }
        if (a.matches("\\d+")) {
            return new String[] {"0.0.0.0", a};
        }
        return new String[] {a, "80"};
    }

    /** nginx's prefix: the directory above {@code conf/} when the config lives there (as with {@code nginx -p}), else the config's directory. */
    private Path prefix() {
        Path name = baseDir.getFileName();
        return name != null && name.toString().equals("conf") && baseDir.getParent() != null ? baseDir.getParent() : baseDir;
    }

    /** {@code worker_processes N|auto}; nginx's default is 1, and so is a config's without the directive. */
    private void workers(Directive d) throws ConfigException {
        String v = arg(d, 0);
        if (v.equals("auto")) {
            builder.workers(Runtime.getRuntime().availableProcessors());
            return;
        }
        try {
            builder.workers(Integer.parseInt(v));
        } catch (NumberFormatException e) {
            throw error(d, "invalid value \"" + v + "\" in \"worker_processes\" directive");
        }
    }

    /**
     * {@code error_log DESTINATION [LEVEL]}: a file (relative to the prefix, opened now as nginx does, so a
     * directory that does not exist fails the load), {@code stderr} or {@code /dev/null}.
     */
    /**
     * A main or http level {@code error_log}: its level is also the instance's threshold. A server or
     * location level one only sets where that block's lines go, never what other locations log.
     */
    private ErrorLog.Target mainErrorLog(Directive d) throws ConfigException {
        ErrorLog.Target t = errorLogTarget(d);
        builder.logLevel(t.level());
        return t;
    }

    private ErrorLog.Target errorLogTarget(Directive d) throws ConfigException {
        String dest = arg(d, 0);
        LogLevel level = LogLevel.ERR;
        if (d.argCount() > 1) {
            level = LogLevel.ofLabel(d.arg(1));
            if (level == null) {
                throw error(d, "invalid log level \"" + d.arg(1) + "\"");
            }
        }
        if (dest.startsWith("syslog:") || dest.startsWith("memory:")) {
            throw error(d, "error_log \"" + dest + "\" is not supported by resty4j (use a file, stderr or /dev/null)");
        }
        if (!dest.equals("stderr") && !dest.equals("/dev/null")) {
            dest = prefix().resolve(dest).toString();
            String failure = ErrorLog.checkWritable(dest);
            if (failure != null) {
                throw error(d, failure);
            }
        }
        return new ErrorLog.Target(dest, level);
    }

    private long size(Directive d) throws ConfigException {
        try {
            String s = arg(d, 0);
            return "0".equals(s) ? 0 : Sizes.parseSize(s);
        } catch (IllegalArgumentException e) {
            throw error(d, e.getMessage());
        }
    }

    private boolean onOff(Directive d) throws ConfigException {
        String v = arg(d, 0);
        if (v.equals("on")) {
            return true;
        }
        if (v.equals("off")) {
            return false;
        }
        throw error(d, "invalid value \"" + v + "\" in \"" + d.name() + "\" directive, it must be \"on\" or \"off\"");
    }

    /** nginx's {@code env NAME;} (pass the variable through) and {@code env NAME=VALUE;} (set it). */
    private void env(String v) {
        int eq = v.indexOf('=');
        if (eq >= 0) {
            builder.env(v.substring(0, eq), v.substring(eq + 1));
        } else {
            builder.env(v);
        }
    }

    private String arg(Directive d, int i) throws ConfigException {
        if (i >= d.argCount()) {
            throw error(d, "invalid number of arguments in \"" + d.name() + "\" directive");
        }
        return d.arg(i);
    }

    private static ConfigException error(Directive d, String message) {
        return new ConfigException(message, d.file(), d.line());
    }
}
