package dev.resty4j.core.api;

import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.timer.Timers;
import dev.resty4j.core.worker.Fiber;
import dev.resty4j.core.worker.Worker;

/** {@code ngx.sleep(seconds)}: suspends the script on a Vert.x timer; the worker serves others meanwhile. */
public final class Sleep {

    private Sleep() {
    }

    public static void sleep(Worker worker, RequestContext req, double seconds) {
        long ms = checkedMillis(req, seconds);
        if (ms <= 0) {
            worker.yieldWorker();
            return;
        }
        // on the worker's timer context: the sleeps of one worker end in deadline order, as in nginx
        Timers.Delay delay = worker.timers().delay(ms);
        try {
            worker.await(delay.future());
        } catch (Fiber.Killed k) {
            delay.cancel(); // the thread was killed (ngx.thread.kill, ngx.exit elsewhere): drop its timer
            throw k;
        }
    }

    /**
     * {@code ngx.sleep} for engines whose scripts cannot block their thread (JavaScript): the same checks,
     * then a Future completed after the delay (at least one timer tick, so {@code sleep(0)} lets others run).
     */
    public static io.vertx.core.Future<Void> delay(Worker worker, RequestContext req, double seconds) {
        long ms = checkedMillis(req, seconds);
        return worker.timers().delay(Math.max(1, ms)).future();
    }

    private static long checkedMillis(RequestContext req, double seconds) {
        if (req != null && req.phase() != null && !Contexts.YIELDABLE.contains(req.phase())) {
            throw Contexts.disabled(req.phase());
        }
        if (seconds < 0) {
            throw new NgxApiException("invalid sleep duration \"" + seconds + "\"");
        }
        return Math.round(seconds * 1000);
    }
}
