package dev.resty4j.lua;

import dev.resty4j.core.engine.ScriptLimits;

/**
 * What one handler run (a phase script, a timer callback, a light thread) has used of its
 * {@link ScriptLimits}: running time (the clock stops while the fiber is suspended in I/O or
 * {@code ngx.sleep}), VM instructions, and bytes allocated at the checked calls. Once exceeded it stays
 * exceeded, so a script that swallows the error somewhere is stopped again at its next check.
 */
public final class ScriptBudget {

    private ScriptLimits limits;
    /** Where the run is, for the error message only (built when needed: this runs for every phase). */
    private dev.resty4j.core.request.RequestContext req;
    private String what;
    private long usedNanos;
    private long runningSince;
    private boolean running;
    private long instructions;
    private long memory;
    private String exceeded;

    /*
     * The clock of a running stretch starts at its first check, not when the run starts or resumes: a short
     * script then never reads the clock, and what goes uncounted (under CHECK_INTERVAL instructions per
     * stretch) is far below any budget.
     */
    ScriptBudget() {
    }

    /** Starts a handler run (the object is reused: see {@link LuaHooks#enter}). */
    void start(ScriptLimits limits, dev.resty4j.core.request.RequestContext req, String what) {
        this.limits = limits;
        this.req = req;
        this.what = what;
        usedNanos = 0;
        running = false;
        instructions = 0;
        memory = 0;
        exceeded = null;
    }

    /** The run is over: nothing of the request is kept. */
    void end() {
        req = null;
    }

    /** The fiber stops running (suspended): its clock stops. */
    void pause() {
        if (running) {
            usedNanos += System.nanoTime() - runningSince;
            running = false;
        }
    }

    /** The fiber runs again: nothing to do, the clock starts again at the next check. */
    void resume() {
    }

    /** Called every {@code n} VM instructions; throws once the time or instruction budget is spent. */
    void tick(int n) {
        if (exceeded != null) {
            throw new LuaLimitError(exceeded);
        }
        instructions += n;
        long budget = limits.instructionBudget();
        if (budget > 0 && instructions > budget) {
            fail("lua script exceeded its budget: more than " + budget + " VM instructions (lua_script_instructions)");
        }
        long time = limits.timeBudgetNanos();
        if (time > 0) {
            long now = System.nanoTime();
            if (!running) {
                runningSince = now;
                running = true;
            }
            if (usedNanos + now - runningSince > time) {
                fail("lua script exceeded its budget: " + ScriptLimits.millis(time)
                        + " of running time (lua_script_budget)");
            }
        }
    }

    /** Accounts for {@code bytes} about to be allocated; throws when the memory budget would be passed. */
    public void charge(long bytes) {
        if (exceeded != null) {
            throw new LuaLimitError(exceeded);
        }
        memory = bytes > Long.MAX_VALUE - memory ? Long.MAX_VALUE : memory + bytes;
        long budget = limits.memoryBudget();
        if (budget > 0 && memory > budget) {
            fail("lua script exceeded its memory budget: " + memory + " bytes requested, the budget is "
                    + budget + " (lua_memory_budget)");
        }
    }

    /** Marks the budget spent (e.g. by the output limit, which the core checks) and throws. */
    void fail(String message) {
        exceeded = message + " in " + LuaWorkerVm.where(req, what);
        throw new LuaLimitError(exceeded);
    }

    boolean isExceeded() {
        return exceeded != null;
    }

    ScriptLimits limits() {
        return limits;
    }
}
