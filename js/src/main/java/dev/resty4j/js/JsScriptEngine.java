package dev.resty4j.js;

import dev.resty4j.Script;
import dev.resty4j.ScriptEngine;
import dev.resty4j.core.engine.CompiledScript;
import dev.resty4j.core.engine.ScriptException;
import dev.resty4j.core.engine.WorkerVm;
import dev.resty4j.core.worker.Worker;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JavaScript on GraalJS. One polyglot {@link Engine} per instance (found with {@link java.util.ServiceLoader}
 * once per {@code Resty}), shared by the workers' contexts so parsed code is cached once; each worker gets
 * its own {@link Context} ({@link JsWorkerVm}). Scripts are parsed here at load time, so a syntax error
 * refuses the config with file:line.
 *
 * <p>Contexts run under {@link SandboxPolicy#CONSTRAINED}: no host class lookup, no file or socket I/O, no
 * threads or processes; scripts reach Java only through the {@code @HostAccess.Export}ed ngx API.
 */
public final class JsScriptEngine implements ScriptEngine {

    private static final Logger LOG = LoggerFactory.getLogger(JsScriptEngine.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private Engine engine;
    private Context parser;
    private int openVms;

    @Override
    public String language() {
        return "js";
    }

    /** The shared engine, created on first use (an instance without JS scripts never starts GraalJS). */
    synchronized Engine engine() {
        if (engine == null) {
            engine = Engine.newBuilder("js")
                    .sandbox(SandboxPolicy.CONSTRAINED)
                    .out(OutputStream.nullOutputStream())
                    .err(OutputStream.nullOutputStream())
                    // Truffle warns once per engine on stderr; we log one explanation per process instead
                    .option("engine.WarnInterpreterOnly", "false")
                    .build();
            warnIfInterpreted(engine);
        }
        return engine;
    }

    private static void warnIfInterpreted(Engine engine) {
        if ("Interpreted".equals(engine.getImplementationName()) && WARNED.compareAndSet(false, true)) {
            LOG.warn("GraalJS runs interpreted (several times slower): the Graal compiler is not enabled. Run the JVM"
                    + " with -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI and the jars of"
                    + " org.graalvm.compiler:compiler on --upgrade-module-path (see README, JavaScript).");
        }
    }

    /** Builds a worker context on the shared engine. */
    Context newContext(OutputStream console) {
        return Context.newBuilder("js")
                .engine(engine())
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(console)
                .err(console)
                // evaluating a js_import module returns its exports
                .option("js.esm-eval-returns-exports", "true")
                .build();
    }

    @Override
    public CompiledScript compile(Script script) throws ScriptException {
        JsSources.Kind kind = JsSources.kind(script);
        Source source = JsSources.source(script, kind);
        synchronized (this) {
            if (parser == null) {
                parser = newContext(OutputStream.nullOutputStream());
            }
            try {
                if (kind == JsSources.Kind.NJS) {
                    // parse the imported module (a syntax error names the module file)
                    parser.parse(JsSources.moduleSource(script));
                } else {
                    parser.parse(source);
                }
            } catch (PolyglotException e) {
                throw new ScriptException("failed to compile " + JsSources.displayName(script) + ": "
                        + JsErrors.syntaxMessage(e), e);
            }
        }
        return new CompiledJs(script, kind, source);
    }

    @Override
    public WorkerVm newVm(Worker worker) {
        synchronized (this) {
            openVms++;
        }
        return new JsWorkerVm(this, worker);
    }

    /** Called when a worker VM closes: the last one closes the engine. */
    synchronized void vmClosed() {
        if (--openVms == 0) {
            if (parser != null) {
                parser.close();
                parser = null;
            }
            if (engine != null) {
                engine.close();
                engine = null;
            }
        }
    }

    /** A parsed script: its kind (phase block, file, njs handler) and the source each worker evaluates once. */
    record CompiledJs(Script script, JsSources.Kind kind, Source source) implements CompiledScript {}
}
