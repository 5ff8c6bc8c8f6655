package dev.resty4j.core.worker;

import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Virtual threads that run on one event loop, as an nginx worker runs its Lua on its one thread: a fiber is
 * mounted on the worker's event-loop thread, and when it waits for I/O it unmounts and the loop goes on with
 * its sockets. Handing a request from the loop to its fiber and the response back, and resuming a fiber when
 * the I/O it waits for completes on that loop, are then queue operations on one thread: no thread wakes up
 * another. With the JDK's default scheduler each of those crossed to a ForkJoinPool carrier and back (about
 * 20 % of a hello request's CPU, bench/NOTES.md).
 *
 * <p>The JDK has no public API for a virtual thread's scheduler yet; the constructor the JDK's own tests use
 * ({@code ThreadBuilders.VirtualThreadBuilder(Executor)}) is reached by reflection, which needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED}. Without it (or with {@code -Dresty4j.fibers=default})
 * fibers use the default scheduler: same behaviour, one more thread hop per hand-off; one line is logged.
 */
final class EventLoopFibers {

    /** {@code -Dresty4j.fibers=default} keeps the JDK's scheduler even where the event loop could be used. */
    static final boolean DISABLED = "default".equals(System.getProperty("resty4j.fibers"));

    private static final Constructor<?> BUILDER = findBuilder();
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private EventLoopFibers() {
    }

    private static Constructor<?> findBuilder() {
        if (DISABLED) {
            return null;
        }
        try {
            Constructor<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder")
                    .getDeclaredConstructor(Executor.class);
            c.setAccessible(true);
            return c;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // InaccessibleObjectException without the --add-opens
        }
    }

    /**
     * A factory of virtual threads named {@code prefix + n} scheduled by {@code scheduler}, or null (and
     * {@code warn} told once per JVM) when this JVM does not allow it.
     */
    static ThreadFactory factory(String prefix, Executor scheduler, Consumer<String> warn) {
        if (BUILDER == null) {
            if (!DISABLED && WARNED.compareAndSet(false, true)) {
                warn.accept("fibers run on the JDK's default virtual-thread scheduler, one thread hop per hand-off: "
                        + "add --add-opens java.base/java.lang=ALL-UNNAMED to the JVM options to run them on their "
                        + "workers' event loops");
            }
            return null;
        }
        try {
            Thread.Builder.OfVirtual b = (Thread.Builder.OfVirtual) BUILDER.newInstance(scheduler);
            return b.name(prefix, 0).factory();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create event-loop fibers", e);
        }
    }
}
