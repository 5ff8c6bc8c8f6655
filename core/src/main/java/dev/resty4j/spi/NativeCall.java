package dev.resty4j.spi;

import dev.resty4j.Resty;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.worker.Worker;

/** Where a native function is called from. */
public interface NativeCall {

    Resty resty();

    /** The worker running the script (per-worker state such as connection pools hangs off it). */
    Worker worker();

    /** The current request, or null in init, init_worker and timer contexts. */
    RequestContext request();

    /** The engine's name for the function, for error messages ({@code "connect"}). */
    String functionName();
}
