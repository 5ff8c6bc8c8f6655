package dev.resty4j.http.client;

import dev.resty4j.core.socket.Deadlines;
import io.vertx.core.internal.ContextInternal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One worker's HTTP machinery, as an nginx worker has its own: its connection pools, the event loop all
 * its connections live on (one worker, one event loop, as for cosockets), and the timer tree of its
 * timeouts ({@link Deadlines}: one Vert.x timer for all of them, so most reads cost no timer at all).
 */
final class WorkerIo {

    final ContextInternal loop;
    final Deadlines deadlines;
    final Map<String, ConnectionPool> pools = new ConcurrentHashMap<>();

    /** {@code loop}: the worker's own event loop, where its fibers run: completions need no thread hop. */
    WorkerIo(ContextInternal loop) {
        this.loop = loop;
        this.deadlines = new Deadlines(loop);
    }
}
