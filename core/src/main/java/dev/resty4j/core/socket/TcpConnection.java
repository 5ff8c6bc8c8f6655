package dev.resty4j.core.socket;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetSocket;

/**
 * One TCP connection under a cosocket (or idle in a {@link ConnectionPool}). Vert.x pushes received data
 * into an input buffer here; reads take from the buffer and, when it cannot satisfy them, leave a pending
 * read that the data handler completes, so the script's fiber waits on a future
 * ({@code Worker.await}) and never blocks a thread.
 *
 * <p>When nobody reads and more than {@link #HIGH_WATER} bytes wait in the buffer, the socket is paused
 * (TCP flow control then slows the peer); a read that needs more data resumes it.
 *
 * <p>Vert.x callbacks run on the worker's event loop, reads are started from the script's fiber: the
 * buffer and the read state are guarded by this object's monitor, and futures are completed outside it.
 */
final class TcpConnection {

    static final int HIGH_WATER = 256 * 1024;

    /** Where an idle connection goes when it dies or times out. */
    interface IdleOwner {
        void idleConnectionClosed(TcpConnection c);
    }

    final NetSocket socket;
    final ContextInternal loop;
    private final Deadlines deadlines;

    private final InputBuffer in = new InputBuffer();
    private boolean eof;
    private Throwable readError;
    private boolean transportClosed;
    private boolean paused;
    private Pending pending;
    /** A queued write that failed after send() returned; reported by the next send. */
    private volatile Throwable writeFailure;

    // ---- state OpenResty keeps per connection (guarded by the cosocket's single user or the pool lock)
    /** {@code getreusedtimes()}: how many times this connection came out of a pool. */
    volatile int reused;
    /** Reading side shut (after EOF was reported, or a read error): reads say "closed". */
    volatile boolean readClosed;
    /** Writing side shut (after a send error or timeout): sends say "closed". */
    volatile boolean writeClosed;
    /** The pool whose connection count includes this connection, or null. */
    volatile ConnectionPool pool;

    // ---- while idle in a pool
    private IdleOwner idleOwner;
    private Deadlines.Entry idleTimer;

    private TcpConnection(NetSocket socket, ContextInternal loop, Deadlines deadlines) {
        this.socket = socket;
        this.loop = loop;
        this.deadlines = deadlines;
    }

    /** Wraps a socket just connected; must run on the socket's event loop, before it delivers data. */
    static TcpConnection attach(NetSocket socket, ContextInternal loop, Deadlines deadlines) {
        TcpConnection c = new TcpConnection(socket, loop, deadlines);
        socket.handler(c::onData);
        socket.endHandler(v -> c.onEnd(null));
        socket.exceptionHandler(t -> c.onEnd(t));
        socket.closeHandler(v -> c.onClosed());
        return c;
    }

    /** Unread bytes in the buffer. */
    synchronized int buffered() {
        return in.size();
    }

    /** True once the peer closed, an error occurred or the socket was closed. */
    synchronized boolean dead() {
        return eof || readError != null || transportClosed;
    }

    /**
     * Runs a read: completes at once when buffered data suffices, else when enough arrives, the peer
     * closes, or {@code timeoutMs} pass without any data. Fails with {@link CosocketError} ("timeout",
     * "closed", …) carrying the bytes consumed so far.
     */
    Future<byte[]> read(ReadFilter filter, long timeoutMs, Runnable onTimeout) {
        Promise<byte[]> promise = Promise.promise();
        boolean resume;
        synchronized (this) {
            Runnable done = step(filter, promise);
            if (done != null) {
                done.run();
                return promise.future();
            }
            pending = new Pending(filter, promise, timeoutMs, onTimeout);
            armTimer(pending);
            resume = paused;
        }
        if (resume) {
            loop.runOnContext(v -> resumeIfWanted());
        }
        return promise.future();
    }

    /** Applies the filter to the buffer; returns how to complete the read, or null to wait for more. */
    private Runnable step(ReadFilter filter, Promise<byte[]> promise) {
        ReadFilter.Status st = filter.consume(in, eof || transportClosed);
        switch (st) {
            case DONE:
                byte[] data = filter.out.toByteArray();
                return () -> promise.complete(data);
            case CLOSED:
                readClosed = true;
                byte[] partial = filter.out.toByteArray();
                return () -> promise.fail(new CosocketError("closed", partial));
            default:
                if (readError != null) {
                    readClosed = true;
                    CosocketError err = new CosocketError(SocketErrors.luaText(readError), filter.out.toByteArray());
                    return () -> promise.fail(err);
                }
                return null;
        }
    }

    private void onData(Buffer b) {
        Runnable done = null;
        synchronized (this) {
            in.append(b);
            if (idleOwner != null) {
                // Data on an idle connection: the protocol state is unknown, nginx closes it too.
                done = this::closeIdle;
            } else if (pending != null) {
                Pending p = pending;
                done = step(p.filter, p.promise);
                cancelTimer(p);
                if (done != null) {
                    pending = null;
                } else {
                    armTimer(p); // the read timeout counts from the last data received, as in nginx
                }
            }
            if (pending == null && !paused && in.size() > HIGH_WATER) {
                paused = true;
                socket.pause();
            }
        }
        if (done != null) {
            done.run();
        }
    }

    private void onEnd(Throwable error) {
        Runnable done = null;
        synchronized (this) {
            if (error != null && readError == null && !eof) {
                readError = error;
            }
            eof = true;
            if (idleOwner != null) {
                done = this::closeIdle;
            } else if (pending != null) {
                Pending p = pending;
                pending = null;
                cancelTimer(p);
                done = step(p.filter, p.promise);
            }
        }
        if (done != null) {
            done.run();
        }
    }

    private void onClosed() {
        Runnable done = null;
        synchronized (this) {
            transportClosed = true;
            if (idleOwner != null) {
                IdleOwner owner = idleOwner;
                idleOwner = null;
                cancelIdleTimer();
                done = () -> owner.idleConnectionClosed(this);
            } else if (pending != null) {
                Pending p = pending;
                pending = null;
                cancelTimer(p);
                done = step(p.filter, p.promise);
            }
        }
        if (done != null) {
            done.run();
        }
    }

    private void resumeIfWanted() {
        synchronized (this) {
            if (paused && (pending != null || in.size() <= HIGH_WATER)) {
                paused = false;
                socket.resume();
            }
        }
    }

    private void armTimer(Pending p) {
        if (p.timeoutMs > 0) {
            p.deadline = deadlines.schedule(p.timeoutMs, () -> onReadTimeout(p));
        }
    }

    private void cancelTimer(Pending p) {
        deadlines.cancel(p.deadline);
        p.deadline = null;
    }

    private void onReadTimeout(Pending p) {
        byte[] partial;
        synchronized (this) {
            if (pending != p) {
                return;
            }
            pending = null;
            partial = p.filter.out.toByteArray();
        }
        p.onTimeout.run();
        // The connection stays usable after a read timeout, as in OpenResty.
        p.promise.fail(new CosocketError("timeout", partial));
    }

    /**
     * Queues {@code data} for writing. Like a non-blocking {@code send()} that the kernel accepts, this
     * returns at once while the socket's write queue has room; when the peer does not keep up and the queue
     * is full, it waits until the queue drains, failing with "timeout" after {@code timeoutMs}. A write that
     * fails later (connection reset) fails the next one.
     */
    Future<Void> write(byte[] data, long timeoutMs) {
        Throwable failed = writeFailure;
        if (failed != null) {
            return Future.failedFuture(failed);
        }
        socket.write(Buffer.buffer(data)).onFailure(t -> writeFailure = t);
        if (!socket.writeQueueFull()) {
            return Future.succeededFuture();
        }
        Promise<Void> drained = Promise.promise();
        long timer = timeoutMs > 0
                ? loop.setTimer(timeoutMs, id -> drained.tryFail(new CosocketError("timeout"))) : -1;
        loop.runOnContext(v -> {
            if (!socket.writeQueueFull()) {
                drained.tryComplete();
            } else {
                socket.drainHandler(d -> {
                    socket.drainHandler(null);
                    drained.tryComplete();
                });
            }
        });
        return drained.future().andThen(ar -> {
            if (timer >= 0) {
                loop.owner().cancelTimer(timer);
            }
        });
    }

    /** Closes the connection and fails a read still waiting on it. */
    void close() {
        Pending p;
        synchronized (this) {
            p = pending;
            pending = null;
            idleOwner = null;
            cancelIdleTimer();
            transportClosed = true;
            readClosed = true;
            writeClosed = true;
            if (p != null) {
                cancelTimer(p);
            }
        }
        if (p != null) {
            p.promise.tryFail(new CosocketError("closed", p.filter.out.toByteArray()));
        }
        socket.close();
    }

    // ------------------------------------------------------------------ idle in a pool

    /** Parks the connection in a pool: it is closed when the peer sends or closes, or after {@code timeoutMs} (0 = never). */
    void idle(IdleOwner owner, long timeoutMs) {
        boolean dubious;
        synchronized (this) {
            idleOwner = owner;
            dubious = eof || transportClosed || in.size() > 0;
            if (!dubious && timeoutMs > 0) {
                idleTimer = deadlines.schedule(timeoutMs, this::closeIdle);
            }
        }
        if (dubious) {
            closeIdle();
        }
    }

    /** Takes the connection out of its pool for a new user. */
    synchronized void checkout() {
        idleOwner = null;
        cancelIdleTimer();
        readClosed = false;
        writeClosed = false;
    }

    private void closeIdle() {
        IdleOwner owner;
        synchronized (this) {
            owner = idleOwner;
            idleOwner = null;
            cancelIdleTimer();
        }
        if (owner != null) {
            socket.close();
            owner.idleConnectionClosed(this);
        }
    }

    private void cancelIdleTimer() {
        deadlines.cancel(idleTimer);
        idleTimer = null;
    }

    /** A read waiting for data. */
    private static final class Pending {
        final ReadFilter filter;
        final Promise<byte[]> promise;
        final long timeoutMs;
        final Runnable onTimeout;
        Deadlines.Entry deadline;

        Pending(ReadFilter filter, Promise<byte[]> promise, long timeoutMs, Runnable onTimeout) {
            this.filter = filter;
            this.promise = promise;
            this.timeoutMs = timeoutMs;
            this.onTimeout = onTimeout;
        }
    }
}
