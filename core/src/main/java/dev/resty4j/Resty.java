package dev.resty4j;

import dev.resty4j.core.ServerConfig;
import dev.resty4j.core.engine.CompiledScript;
import dev.resty4j.core.engine.ScriptException;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.log.LogRecord;
import dev.resty4j.core.log.RestyLogger;
import dev.resty4j.core.phase.InitPhase;
import dev.resty4j.core.phase.RequestPipeline;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.shdict.MemorySharedDict;
import dev.resty4j.core.shdict.Sizes;
import dev.resty4j.core.worker.Worker;
import dev.resty4j.host.vertx.VertxHost;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A resty4j instance: the equivalent of one nginx {@code http} block with its workers. Build it from Java
 * ({@link #builder()}) or from an nginx-style config ({@code dev.resty4j.config.ConfigLoader}), then mount
 * {@link #handler()} on a Vert.x {@code HttpServer} (or a Router, or the Netty host).
 *
 * <pre>{@code
 * Resty resty = Resty.builder()
 *     .sharedDict("limits", "1m")
 *     .location("/hello", l -> l.contentByLua("ngx.say('hello')"))
 *     .build();
 * vertx.createHttpServer().requestHandler(resty.handler()).listen(8080);
 * }</pre>
 *
 * <p>Building compiles every script (a syntax error fails the build, naming chunk and line), creates the
 * workers and their VMs, runs {@code init_by_lua} and then {@code init_worker_by_lua} in every worker.
 * {@code init_by_lua} runs once per worker VM, before that worker's {@code init_worker_by_lua}: nginx forks
 * each worker from a master that ran it, so each worker starts with its own copy of the globals it
 * defined; resty4j gets the same result by running it in each VM. Shared-dict writes made there are
 * therefore repeated per worker: keep them idempotent (as {@code set}, or {@code add} ignoring "exists").
 */
public final class Resty implements AutoCloseable {

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final Map<String, SharedDict> sharedDicts;
    private final List<ServerConfig> servers;
    private final Map<String, ScriptEngine> engines;
    private final Map<Script, CompiledScript> compiled = new IdentityHashMap<>();
    private final Set<String> declaredVariables = new java.util.HashSet<>();
    private final Worker[] workers;
    private final RestyLogger logger;
    private final LongSupplier clock;
    private final Settings settings;
    private final RequestPipeline pipeline;
    private final AtomicInteger nextWorker = new AtomicInteger();
    private final AtomicLong requestIds = new AtomicLong();
    /** One script per language each (an init_by_lua and an init_by_js may both be declared), in declaration order. */
    private final List<Script> init;
    private final List<Script> initWorker;
    private final List<Script> exitWorker;
    private final dev.resty4j.core.metrics.RestyMetrics metrics;
    private final dev.resty4j.core.metrics.CosocketMetrics cosocketMetrics;
    private volatile boolean closed;

    private Resty(Builder b) throws ScriptException {
        this.ownsVertx = b.vertx == null;
        this.vertx = b.vertx != null ? b.vertx : Vertx.vertx();
        this.logger = new RestyLogger(b.logLevel, List.copyOf(b.errorLogs));
        for (Consumer<LogRecord> s : b.logSinks) {
            logger.addSink(s);
        }
        this.clock = b.clock;
        this.settings = new Settings(b.defaultType, b.clientMaxBodySize, b.codeCache, List.copyOf(b.packagePath),
                Map.copyOf(b.env), Map.copyOf(b.httpDirectives), b.maxScriptMillis);
        Map<String, SharedDict> dicts = new LinkedHashMap<>();
        b.sharedDicts.forEach((name, size) -> {
            // A reload keeps a dict declared again with the same size, contents and all, as nginx's HUP keeps the zone.
            SharedDict kept = b.inheritDictsFrom == null ? null : b.inheritDictsFrom.sharedDict(name);
            dicts.put(name, kept != null && kept.capacity() == size ? kept
                    : newSharedDict(name, size, b.sharedDictOptions.getOrDefault(name, List.of())));
        });
        dicts.putAll(b.customDicts);
        this.sharedDicts = Map.copyOf(dicts);
        List<ServerConfig> srv = new ArrayList<>();
        for (ServerConfig.Builder sb : b.servers) {
            srv.add(sb.build());
        }
        this.servers = List.copyOf(srv);
        logger.configure(servers); // location-level error_log destinations
        Map<String, ScriptEngine> eng = new LinkedHashMap<>();
        for (ScriptEngine e : ServiceLoader.load(ScriptEngine.class)) {
            eng.putIfAbsent(e.language(), e);
        }
        b.engines.forEach(e -> eng.put(e.language(), e));
        this.engines = Map.copyOf(eng);
        this.init = List.copyOf(b.init.values());
        this.initWorker = List.copyOf(b.initWorker.values());
        this.exitWorker = List.copyOf(b.exitWorker.values());
        this.metrics = b.metrics;
        this.cosocketMetrics = new dev.resty4j.core.metrics.CosocketMetrics(metrics);
        compileAll();
        this.pipeline = new RequestPipeline(this);
        int n = b.workers > 0 ? b.workers : Runtime.getRuntime().availableProcessors();
        this.workers = new Worker[n];
        for (int i = 0; i < n; i++) {
            workers[i] = new Worker(this, i);
            workers[i].createVms(engines.values());
        }
        for (dev.resty4j.spi.RestyExtension ext : dev.resty4j.spi.Extensions.all()) {
            List<dev.resty4j.config.Directive> claimed = new ArrayList<>();
            for (dev.resty4j.config.Directive d : b.extensionDirectives) {
                if (ext.directives().contains(d.name())) {
                    claimed.add(d);
                }
            }
            ext.configure(this, claimed);
        }
        InitPhase.run(this);
        for (Worker w : workers) {
            w.runFibersOnLoop(true); // not before: init is waited for, possibly on one of the workers' loops
        }
        metrics.bind(this); // after init: an instance whose init failed is never reported on
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ public API

    /** A Vert.x request handler serving the first server block. */
    public Handler<HttpServerRequest> handler() {
        return handler(0);
    }

    /** A Vert.x request handler serving the given server block (config order). */
    public Handler<HttpServerRequest> handler(int serverIndex) {
        return new VertxHost(this, servers.get(serverIndex));
    }

    /**
     * A Vert.x Web route handler for the first server block: resty4j locations answer what they produce;
     * everything else (locations with only rewrite/access scripts, or no matching location) continues to
     * the router's next handler after the scripts let it through. Needs vertx-web on the class path.
     */
    public io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> routeHandler() {
        return new dev.resty4j.host.vertx.RestyRouteHandler(this, servers.get(0));
    }

    /** The shared dict declared under that name, or null. */
    public SharedDict sharedDict(String name) {
        return sharedDicts.get(name);
    }

    public Map<String, SharedDict> sharedDicts() {
        return sharedDicts;
    }

    public List<ServerConfig> servers() {
        return servers;
    }

    public Vertx vertx() {
        return vertx;
    }

    public int workerCount() {
        return workers.length;
    }

    public Worker worker(int i) {
        return workers[i];
    }

    public RestyLogger logger() {
        return logger;
    }

    /** Where phase runs and finished requests are reported ({@link Builder#metrics}). */
    public dev.resty4j.core.metrics.RestyMetrics metrics() {
        return metrics;
    }

    /** Where bindings report cosocket operations and pooled connections (to {@link #metrics()}). */
    public dev.resty4j.core.metrics.CosocketMetrics cosocketMetrics() {
        return cosocketMetrics;
    }

    /** Wall-clock milliseconds (replaceable for tests: {@link Builder#clock}). */
    public long currentTimeMillis() {
        return clock.getAsLong();
    }

    public Settings settings() {
        return settings;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Stops the workers (running {@code exit_worker_by_lua}) and, if it created it, Vert.x. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Worker w : workers) {
            w.runFibersOnLoop(false); // exit_worker is waited for, possibly on one of the workers' loops
        }
        InitPhase.exit(this);
        for (int i = 0; i < workerCount(); i++) {
            worker(i).close();
        }
        for (dev.resty4j.spi.RestyExtension ext : dev.resty4j.spi.Extensions.all()) {
            try {
                ext.close(this);
            } catch (RuntimeException e) {
                logger.internalError("closing " + ext.getClass().getName() + " failed", e);
            }
        }
        if (ownsVertx) {
            vertx.close().await();
        }
        logger.close();
    }

    // ------------------------------------------------------------------ internal, used by hosts and engines

    /** The engine for a language; throws when none is on the class path. */
    public ScriptEngine engine(String language) {
        ScriptEngine e = engines.get(language);
        if (e == null) {
            throw new IllegalStateException("no script engine for language '" + language
                    + "': add resty4j-" + language + " to the class path");
        }
        return e;
    }

    /** The compiled form of a script of this instance (recompiled per use with {@code lua_code_cache off}). */
    public CompiledScript compiled(Script script) throws ScriptException {
        if (!settings.codeCache()) {
            return engine(script.language()).compile(reread(script));
        }
        CompiledScript c = compiled.get(script);
        if (c == null) {
            throw new IllegalStateException("script not part of this instance: " + script.chunkName());
        }
        return c;
    }

    /** True for variables some {@code set} directive declares (nginx variables are global to the config). */
    public boolean isDeclaredVariable(String lowerCaseName) {
        return declaredVariables.contains(lowerCaseName);
    }

    /** {@code init_by_*}: at most one script per language, in declaration order. */
    public List<Script> initScripts() { return init; }
    public List<Script> initWorkerScripts() { return initWorker; }
    public List<Script> exitWorkerScripts() { return exitWorker; }

    public RequestPipeline pipeline() {
        return pipeline;
    }

    /**
     * Picks the worker for a new request: the worker whose event loop received it (a listener per worker, as
     * nginx's workers each accept their own connections), so the request never leaves that thread; otherwise
     * round robin.
     */
    public Worker nextWorker() {
        for (Worker w : workers) {
            if (w.isLoopThread()) {
                return w;
            }
        }
        return workers[Math.floorMod(nextWorker.getAndIncrement(), workers.length)];
    }

    public long nextRequestId() {
        return requestIds.incrementAndGet();
    }

    /** Creates a request context bound to this instance. */
    public RequestContext newRequest(dev.resty4j.core.request.Headers headers) {
        long nowMs = clock.getAsLong();
        return new RequestContext(this, nextRequestId(), headers, nowMs / 1000.0, System.nanoTime());
    }

    /** A declared dict: in memory, or the implementation an extension provides for its options. */
    private SharedDict newSharedDict(String name, long size, List<String> options) {
        if (options.isEmpty()) {
            return new MemorySharedDict(name, size, clock);
        }
        for (dev.resty4j.spi.RestyExtension ext : dev.resty4j.spi.Extensions.all()) {
            SharedDict d = ext.sharedDict(name, size, options, vertx);
            if (d != null) {
                return d;
            }
        }
        throw new IllegalArgumentException("lua_shared_dict \"" + name + "\": no module on the class path understands "
                + String.join(" ", options) + " (redis=HOST:PORT needs resty4j-bindings-redis)");
    }

    private void compileAll() throws ScriptException {
        List<Script> all = new ArrayList<>();
        all.addAll(init);
        all.addAll(initWorker);
        all.addAll(exitWorker);
        for (ServerConfig s : servers) {
            if (s.serverRewrite() != null) {
                all.add(s.serverRewrite());
            }
            for (Location l : s.locations()) {
                all.addAll(l.scripts().values());
                for (Location.SetStep st : l.setSteps()) {
                    declaredVariables.add(st.variable().toLowerCase(java.util.Locale.ROOT));
                    if (st.script() != null) {
                        all.add(st.script());
                    }
                }
            }
        }
        for (Script s : all) {
            compiled.put(s, engine(s.language()).compile(s));
        }
    }

    private static Script reread(Script s) throws ScriptException {
        if (s.file() == null) {
            return s;
        }
        try {
            return new Script(s.language(), java.nio.file.Files.readString(s.file()), s.chunkName(), 1, s.file());
        } catch (java.io.IOException e) {
            throw new ScriptException("failed to load script file " + s.file() + ": " + e.getMessage(), e);
        }
    }

    /** http-level settings scripts and hosts consult. */
    public record Settings(String defaultType, long clientMaxBodySize, boolean codeCache, List<String> packagePath,
                           Map<String, java.util.Optional<String>> env, Map<String, List<String>> directives,
                           long maxScriptMillis) {

        /**
         * {@code os.getenv(name)}: the value given with {@code env NAME=VALUE}, else the process environment's
         * for a declared {@code env NAME}, else null (undeclared variables are invisible to scripts).
         */
        public String getenv(String name) {
            java.util.Optional<String> declared = env.get(name);
            if (declared == null) {
                return null;
            }
            return declared.orElseGet(() -> System.getenv(name));
        }

        /**
         * {@code lua_strict_headers on}: invalid header names/values and statuses set by scripts are errors
         * instead of being escaped as OpenResty does (see {@code HeaderValidation}).
         */
        public boolean strictHeaders() {
            List<String> v = directives.get("lua_strict_headers");
            return v != null && !v.isEmpty() && v.get(0).equals("on");
        }

        /** {@code lua_sandbox}: on unless turned off explicitly ({@link Builder#sandbox}). */
        public boolean sandbox() {
            List<String> v = directives.get("lua_sandbox");
            return v == null || v.isEmpty() || !v.get(0).equals("off");
        }

        /** The arguments of an http-level directive kept for engines/bindings, or null. */
        public List<String> directive(String name) {
            return directives.get(name);
        }
    }

    /** Builds a {@link Resty}. */
    public static final class Builder {
        private Vertx vertx;
        private int workers;
        private final Map<String, Long> sharedDicts = new LinkedHashMap<>();
        private final Map<String, SharedDict> customDicts = new LinkedHashMap<>();
        private final Map<String, List<String>> sharedDictOptions = new LinkedHashMap<>();
        private final List<ServerConfig.Builder> servers = new ArrayList<>();
        private final List<ScriptEngine> engines = new ArrayList<>();
        private final List<Consumer<LogRecord>> logSinks = new ArrayList<>();
        private final Map<String, Script> init = new LinkedHashMap<>();
        private final Map<String, Script> initWorker = new LinkedHashMap<>();
        private final Map<String, Script> exitWorker = new LinkedHashMap<>();
        private LogLevel logLevel = LogLevel.ERR;
        private final List<dev.resty4j.core.log.ErrorLog.Target> errorLogs = new ArrayList<>();
        private LongSupplier clock = System::currentTimeMillis;
        private String defaultType = "text/plain";
        private long clientMaxBodySize = 1024 * 1024;
        private boolean codeCache = true;
        private final List<String> packagePath = new ArrayList<>();
        private final Map<String, java.util.Optional<String>> env = new LinkedHashMap<>();
        private final Map<String, List<String>> httpDirectives = new LinkedHashMap<>();
        private long maxScriptMillis = 0;
        private final List<dev.resty4j.config.Directive> extensionDirectives = new ArrayList<>();
        private dev.resty4j.core.metrics.RestyMetrics metrics = dev.resty4j.core.metrics.RestyMetrics.NONE;
        private Resty inheritDictsFrom;

        private Builder() {
        }

        /** The Vert.x instance to use (timers, clients). Without one, the instance creates and owns its own. */
        public Builder vertx(Vertx vertx) { this.vertx = vertx; return this; }

        /** Number of workers (script VMs); default: available processors. */
        public Builder workers(int n) { this.workers = n; return this; }

        /** {@code lua_shared_dict NAME SIZE} (size in nginx syntax: {@code 10m}, {@code 512k}). */
        public Builder sharedDict(String name, String size) {
            sharedDicts.put(name, Sizes.parseSize(size));
            return this;
        }

        /**
         * {@code lua_shared_dict NAME SIZE OPTION...}: the options choose an implementation a
         * {@link dev.resty4j.spi.RestyExtension} provides, e.g. {@code redis=127.0.0.1:6379}.
         */
        public Builder sharedDict(String name, String size, List<String> options) {
            sharedDict(name, size);
            sharedDictOptions.put(name, List.copyOf(options));
            return this;
        }

        /** A shared dict implementation of your own (e.g. Redis-backed) under a name. */
        public Builder sharedDict(SharedDict dict) {
            customDicts.put(dict.name(), dict);
            return this;
        }

        /**
         * {@code init_by_lua} / {@code init_by_js}: runs in each worker VM before it serves (see the class
         * comment). One per language: a second script of the same language replaces the first.
         */
        public Builder init(Script s) { this.init.put(s.language(), s); return this; }
        public Builder initByLua(String code) { return init(Script.lua(code, "init_by_lua")); }
        /** {@code init_worker_by_lua}: runs once in every worker. */
        public Builder initWorker(Script s) { this.initWorker.put(s.language(), s); return this; }
        public Builder initWorkerByLua(String code) { return initWorker(Script.lua(code, "init_worker_by_lua")); }
        /** {@code exit_worker_by_lua}: runs in every worker on {@link Resty#close()}. */
        public Builder exitWorker(Script s) { this.exitWorker.put(s.language(), s); return this; }

        /** Adds a location to the current (last) server block, creating a default one if needed. */
        public Builder location(String spec, Consumer<Location.Builder> config) {
            Location.Builder lb = Location.builder(spec);
            config.accept(lb);
            currentServer().location(lb.build());
            return this;
        }

        public Builder location(Location location) {
            currentServer().location(location);
            return this;
        }

        /** Starts a new server block. */
        public Builder server(Consumer<ServerConfig.Builder> config) {
            ServerConfig.Builder sb = new ServerConfig.Builder();
            config.accept(sb);
            servers.add(sb);
            return this;
        }

        public Builder engine(ScriptEngine engine) { engines.add(engine); return this; }
        /** The {@code error_log} level (default {@code error}, as nginx). */
        public Builder logLevel(LogLevel level) { this.logLevel = level; return this; }
        /**
         * Adds a main/http-level {@code error_log DESTINATION LEVEL}: a file path (appended to), {@code stderr}
         * or {@code /dev/null}. With none, lines go to SLF4J at {@link #logLevel}.
         */
        public Builder errorLog(String destination, LogLevel level) {
            errorLogs.add(new dev.resty4j.core.log.ErrorLog.Target(destination, level));
            return this;
        }
        /** Receives every error-log line at or above the level (tests, the mock context, the admin page). */
        public Builder logSink(Consumer<LogRecord> sink) { logSinks.add(sink); return this; }
        /** The wall clock in milliseconds ({@code ngx.now}, shared-dict expiry); replace it to fake time in tests. */
        public Builder clock(LongSupplier millis) { this.clock = millis; return this; }
        public Builder defaultType(String type) { this.defaultType = type; return this; }
        /** {@code client_max_body_size} in bytes (0 = unlimited; nginx's default is 1m). */
        public Builder clientMaxBodySize(long bytes) { this.clientMaxBodySize = bytes; return this; }
        /** {@code lua_code_cache}: off recompiles (and re-reads files) for every request, for development. */
        public Builder codeCache(boolean on) { this.codeCache = on; return this; }
        /**
         * {@code lua_package_path} entries ({@code /path/?.lua}); {@code ;;} means the defaults, kept in the
         * list as a {@code ";;"} entry so the engine puts its default path there (as LuaJIT does).
         */
        public Builder packagePath(String templates) {
            String[] parts = templates.split(";;", -1);
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    packagePath.add(";;");
                }
                for (String t : parts[i].split(";")) {
                    if (!t.isEmpty()) {
                        packagePath.add(t);
                    }
                }
            }
            return this;
        }
        public Builder packagePath(Path dir) { return packagePath(dir.resolve("?.lua").toString()); }
        /** {@code env NAME}: makes an environment variable readable by {@code os.getenv}. */
        public Builder env(String name) {
            env.putIfAbsent(name, java.util.Optional.empty());
            return this;
        }

        /** {@code env NAME=VALUE}: what {@code os.getenv(NAME)} returns, whatever the process environment says. */
        public Builder env(String name, String value) {
            env.put(name, java.util.Optional.of(value));
            return this;
        }
        /**
         * {@code lua_sandbox off}: gives scripts the engine's full standard library (files, processes, Java
         * interop, bytecode, debug). On by default: turn it off only for scripts you fully trust.
         */
        public Builder sandbox(boolean on) { return httpDirective("lua_sandbox", List.of(on ? "on" : "off")); }
        /** {@code lua_strict_headers on}: see {@link Settings#strictHeaders()}. */
        public Builder strictHeaders(boolean on) { return httpDirective("lua_strict_headers", List.of(on ? "on" : "off")); }
        /** An http-level directive kept for engines and bindings (e.g. {@code lua_regex_match_limit}). */
        public Builder httpDirective(String name, List<String> args) { httpDirectives.put(name, List.copyOf(args)); return this; }
        /** An http-level directive claimed by a {@link dev.resty4j.spi.RestyExtension} (e.g. an {@code upstream} block). */
        public Builder extensionDirective(dev.resty4j.config.Directive d) { extensionDirectives.add(d); return this; }
        /** Reports phase runs and requests, e.g. {@code new MicrometerMetrics(registry)} (default: none). */
        public Builder metrics(dev.resty4j.core.metrics.RestyMetrics m) { this.metrics = m; return this; }
        /**
         * For a reload ({@link ReloadableResty}): the shared dicts of {@code previous} that this config declares
         * again with the same size are reused, contents included; the others start empty.
         */
        public Builder inheritSharedDicts(Resty previous) { this.inheritDictsFrom = previous; return this; }
        /** Per-phase script time budget in ms (0 = the engine's default). */
        public Builder maxScriptMillis(long ms) { this.maxScriptMillis = ms; return this; }

        private ServerConfig.Builder currentServer() {
            if (servers.isEmpty()) {
                servers.add(new ServerConfig.Builder());
            }
            return servers.get(servers.size() - 1);
        }

        /** Compiles the scripts, creates the workers and runs init and init_worker. */
        public Resty build() throws ScriptException {
            if (servers.isEmpty()) {
                servers.add(new ServerConfig.Builder());
            }
            return new Resty(this);
        }
    }
}
