package dev.resty4j.core.phase;

import dev.resty4j.Phase;
import dev.resty4j.Script;
import dev.resty4j.core.engine.CompiledScript;
import dev.resty4j.core.engine.ScriptError;
import dev.resty4j.core.engine.ScriptException;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.worker.Fiber;

/**
 * Runs one script in one phase for one request and says how it ended. The single place where script
 * errors become error-log lines, so every phase reports them the same way nginx does
 * ({@code lua entry thread aborted: runtime error: content_by_lua(nginx.conf:12):3: …}).
 */
public final class PhaseRunner {

    /** How a phase script ended. */
    public enum Outcome {
        /** Returned normally: go on with the next phase. */
        DONE,
        /** Called {@code ngx.exit}: {@link RequestContext#exitStatus()} says with what. */
        EXIT,
        /** Called {@code ngx.exec}: {@link RequestContext#execUri()} says where. */
        EXEC,
        /** Raised an error (already logged). */
        ERROR
    }

    private PhaseRunner() {
    }

    public static Outcome run(RequestContext req, Phase phase, Script script, Object[] args) {
        long start = System.nanoTime();
        Outcome outcome = runScript(req, phase, script, args);
        req.resty().metrics().phaseRun(req, phase, outcome, System.nanoTime() - start);
        return outcome;
    }

    private static Outcome runScript(RequestContext req, Phase phase, Script script, Object[] args) {
        Phase saved = req.phase();
        req.phase(phase);
        req.worker().current(req);
        try {
            CompiledScript compiled = req.resty().compiled(script);
            return runEntry(req, script.language(),
                    () -> req.phaseResult(req.worker().vm(script.language()).run(compiled, req, args)));
        } catch (ScriptException e) {
            req.resty().logger().log(LogLevel.ERR, req, "failed to load " + script.chunkName() + ": " + e.getMessage());
            return Outcome.ERROR;
        } finally {
            req.phase(saved);
        }
    }

    /**
     * Runs engine code as the entry thread of a handler (a phase script, a timer callback) and ends the
     * handler as lua-nginx-module does: a script error is logged; then the light threads it spawned are
     * waited for, or killed when the entry failed or the request is exiting ({@link Fiber.Group#end}).
     *
     * @param body runs the script; throws {@link ScriptError} for a script error
     */
    public static Outcome runEntry(RequestContext req, String language, Runnable body) {
        Fiber fiber = req.worker().fiber();
        Fiber.Group threads = fiber == null ? null : fiber.openGroup();
        Outcome failed = null;
        boolean returned = false;
        try {
            body.run();
            returned = true;
        } catch (Fiber.Killed e) {
            returned = true; // killed by ngx.exit in one of its light threads: the request records the exit
        } catch (ScriptError e) {
            logError(req, language, e);
            failed = Outcome.ERROR;
            returned = true;
        } finally {
            if (threads != null) {
                threads.end(!returned || failed != null || Fiber.exitRequested(req));
            }
        }
        if (failed != null) {
            return failed;
        }
        if (req.execUri() != null) {
            return Outcome.EXEC;
        }
        return req.exitStatus() != RequestContext.NO_EXIT ? Outcome.EXIT : Outcome.DONE;
    }

    static void logError(RequestContext req, String language, ScriptError e) {
        String tb = e.traceback();
        req.resty().logger().log(LogLevel.ERR, req, language + " entry thread aborted: runtime error: "
                + e.getMessage() + (tb.isEmpty() ? "" : "\n" + tb));
    }
}
