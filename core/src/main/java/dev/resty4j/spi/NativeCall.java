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

    /**
     * The call context an engine passes: {@code current} gives the request the worker's VM is serving when
     * asked (it may be asked after a suspension); a detached context (init, init_worker, timers: no request
     * line) counts as no request.
     */
    static NativeCall of(Worker worker, java.util.function.Supplier<RequestContext> current, String functionName) {
        return new NativeCall() {
            @Override
            public Resty resty() {
                return worker.resty();
            }

            @Override
            public Worker worker() {
                return worker;
            }

            @Override
            public RequestContext request() {
                RequestContext r = current.get();
                return r != null && r.method() != null ? r : null;
            }

            @Override
            public String functionName() {
                return functionName;
            }
        };
    }
}
