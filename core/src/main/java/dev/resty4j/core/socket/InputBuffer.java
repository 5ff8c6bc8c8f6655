package dev.resty4j.core.socket;

import io.vertx.core.buffer.Buffer;

/**
 * Bytes received on a connection and not yet consumed by a read: a growable array with a read and a
 * write position. Not thread-safe; the owning {@link TcpConnection} guards it.
 */
final class InputBuffer {

    byte[] data = new byte[4096];
    /** First unread byte. */
    int start;
    /** One past the last received byte. */
    int end;

    int size() {
        return end - start;
    }

    void append(Buffer b) {
        int n = b.length();
        ensureRoom(n);
        b.getBytes(0, n, data, end);
        end += n;
    }

    void skip(int n) {
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
        }
    }

    private void ensureRoom(int n) {
        if (data.length - end >= n) {
            return;
        }
        int live = end - start;
        if (live + n <= data.length && start > 0) {
            System.arraycopy(data, start, data, 0, live);
        } else {
            byte[] bigger = new byte[Math.max(data.length * 2, live + n)];
            System.arraycopy(data, start, bigger, 0, live);
            data = bigger;
        }
        start = 0;
        end = live;
    }
}
