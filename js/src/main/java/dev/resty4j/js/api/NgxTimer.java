package dev.resty4j.js.api;

import dev.resty4j.Phase;
import dev.resty4j.core.api.Contexts;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.timer.Timers;
import dev.resty4j.js.JsWorkerVm;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

/**
 * {@code ngx.timer.at/every/running_count/pending_count} over the core's {@link Timers}: the callback runs
 * on its own fiber of this worker with {@code premature} first, and may be an async function.
 */
public final class NgxTimer {

    private final JsWorkerVm vm;

    NgxTimer(JsWorkerVm vm) {
        this.vm = vm;
    }

    @HostAccess.Export
    public boolean at(double delay, Value callback, Value... args) {
        return create(delay, callback, args, false);
    }

    @HostAccess.Export
    public boolean every(double delay, Value callback, Value... args) {
        return create(delay, callback, args, true);
    }

    @HostAccess.Export
    public int running_count() {
        requireRequest();
        return vm.worker().timers().runningCount();
    }

    @HostAccess.Export
    public int pending_count() {
        requireRequest();
        return vm.worker().timers().pendingCount();
    }

    private boolean create(double delay, Value callback, Value[] args, boolean every) {
        if (callback == null || !callback.canExecute()) {
            throw new NgxApiException("bad argument #2 to '" + (every ? "every" : "at") + "' (function expected)");
        }
        RequestContext req = requireRequest();
        if (req.phase() == Phase.EXIT_WORKER) {
            throw Contexts.disabled(req.phase());
        }
        Timers timers = vm.worker().timers();
        SourceSection at = callback.getSourceLocation();
        JsTimer t = new JsTimer(vm, callback, args == null ? new Value[0] : args.clone(),
                at == null ? "js" : at.getSource().getName() + ":" + at.getStartLine());
        String err = every ? timers.every(delay, t) : timers.at(delay, t);
        if (err != null) {
            throw new NgxApiException(err);
        }
        return true;
    }

    private RequestContext requireRequest() {
        RequestContext req = vm.request();
        if (req == null || req.phase() == null || req.phase() == Phase.INIT) {
            throw new NgxApiException("no request");
        }
        return req;
    }

    /** A timer's function, its arguments, and where it is defined (read here: only the JS thread enters the context). */
    private record JsTimer(JsWorkerVm vm, Value callback, Value[] args, String definedAt) implements Timers.Callback {

        @Override
        public void run(RequestContext ctx, boolean premature) {
            Object[] all = new Object[args.length + 1];
            all[0] = premature;
            System.arraycopy(args, 0, all, 1, args.length);
            vm.callback(callback, all);
        }

        @Override
        public String language() {
            return "js";
        }
    }
}
