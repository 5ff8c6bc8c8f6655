package dev.resty4j.core.api;

import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.worker.Worker;

/** {@code ngx.sleep(seconds)}: suspends the script on a Vert.x timer; the worker serves others meanwhile. */
public final class Sleep {

    private Sleep() {
    }

    public static void sleep(Worker worker, RequestContext req, double seconds) {
        if (req != null && req.phase() != null && !Contexts.YIELDABLE.contains(req.phase())) {
            throw Contexts.disabled(req.phase());
        }
        if (seconds < 0) {
            throw new NgxApiException("invalid sleep duration \"" + seconds + "\"");
        }
        long ms = Math.round(seconds * 1000);
        if (ms <= 0) {
            worker.yieldWorker();
            return;
        }
        worker.await(worker.resty().vertx().timer(ms));
    }
}
