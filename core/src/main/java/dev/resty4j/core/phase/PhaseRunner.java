package dev.resty4j.core.phase;

import dev.resty4j.Phase;
import dev.resty4j.Script;
import dev.resty4j.core.engine.CompiledScript;
import dev.resty4j.core.engine.ScriptError;
import dev.resty4j.core.engine.ScriptException;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.request.RequestContext;

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
            String result = req.worker().vm(script.language()).run(compiled, req, args);
            req.phaseResult(result);
            if (req.execUri() != null) {
                return Outcome.EXEC;
            }
            return req.exitStatus() != RequestContext.NO_EXIT ? Outcome.EXIT : Outcome.DONE;
        } catch (ScriptError e) {
            logError(req, script, e);
            return Outcome.ERROR;
        } catch (ScriptException e) {
            req.resty().logger().log(LogLevel.ERR, req, "failed to load " + script.chunkName() + ": " + e.getMessage());
            return Outcome.ERROR;
        } finally {
            req.phase(saved);
        }
    }

    static void logError(RequestContext req, Script script, ScriptError e) {
        String tb = e.traceback();
        req.resty().logger().log(LogLevel.ERR, req, script.language() + " entry thread aborted: runtime error: "
                + e.getMessage() + (tb.isEmpty() ? "" : "\n" + tb));
    }
}
