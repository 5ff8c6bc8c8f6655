package dev.resty4j.core.engine;

import dev.resty4j.core.request.RequestContext;

/**
 * One worker's script VM. The core only ever enters it from one thread at a time (the worker's current
 * fiber), and saves/restores the current request around every suspension.
 */
public interface WorkerVm extends AutoCloseable {

    /**
     * Runs a compiled script in the request's current phase ({@link RequestContext#phase()}).
     * Returns normally when the script returns or calls {@code ngx.exit} (the core reads the outcome from
     * the request); throws {@link ScriptError} for a runtime error. May suspend on I/O when the phase
     * allows it.
     *
     * @param args values for {@code ngx.arg} (set_by_lua arguments, body_filter chunk/eof), or null
     * @return the script's first return value converted to a Java string (used by set_by_lua), or null
     */
    String run(CompiledScript script, RequestContext req, Object[] args);

    /**
     * Called when the current fiber suspends (waits for I/O): returns the VM state that belongs to that
     * fiber (e.g. the running coroutine) so {@link #resumeFiber} can put it back when the fiber resumes,
     * after other fibers used the VM meanwhile.
     */
    default Object suspendFiber() {
        return null;
    }

    /** Restores what {@link #suspendFiber} returned. */
    default void resumeFiber(Object state) {
    }

    /** Releases the VM. */
    @Override
    void close();
}
