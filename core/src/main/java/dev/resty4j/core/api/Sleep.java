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
        io.vertx.core.Timer timer = worker.resty().vertx().timer(ms);
        try {
            worker.await(timer);
        } catch (dev.resty4j.core.worker.Fiber.Killed k) {
            timer.cancel(); // the thread was killed (ngx.thread.kill, ngx.exit elsewhere): drop its timer
            throw k;
        }
    }
}
