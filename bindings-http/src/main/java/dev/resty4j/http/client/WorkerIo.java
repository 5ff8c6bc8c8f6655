package dev.resty4j.http.client;

import dev.resty4j.core.socket.Deadlines;
import io.vertx.core.internal.ContextInternal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One worker's HTTP machinery, as an nginx worker has its own: its connection pools, the event loop all
 * its connections live on (the worker's own, where its fibers run), and the worker's timer tree of
 * timeouts ({@link Deadlines}: one Vert.x timer for all of them, so most reads cost no timer at all).
 */
final class WorkerIo {

    final ContextInternal loop;
    final Deadlines deadlines;
    final Map<String, ConnectionPool> pools = new ConcurrentHashMap<>();

    WorkerIo(dev.resty4j.core.worker.Worker worker) {
        this.loop = worker.loop();
        this.deadlines = worker.deadlines();
    }
}
