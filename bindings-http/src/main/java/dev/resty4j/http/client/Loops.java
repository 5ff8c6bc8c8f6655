package dev.resty4j.http.client;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

/** Where the calling code runs, for work that must happen on a connection's event loop. */
final class Loops {

    private Loops() {
    }

    /**
     * True when the caller runs as {@code context} on its event-loop thread, so the work can be done at once.
     * A fiber (a virtual thread scheduled on that loop) also sees {@code context} as Vert.x's current one, but
     * runs outside the loop's own thread: its work is handed to the loop, as from any other thread.
     */
    static boolean runningOn(Context context) {
        return Vertx.currentContext() == context && ((ContextInternal) context).inThread();
    }
}
