package dev.resty4j.core.socket;

import dev.resty4j.core.request.RequestContext;
import io.vertx.core.Future;

/**
 * The iterator {@code tcpsock:receiveuntil(pattern, {inclusive = ...})} returns. Each call reads up to the
 * next occurrence of the pattern; with a size argument it returns at most that many bytes per call and,
 * once the pattern is reached, one more call yields {@code nil, nil, nil} (a null result) to mark the end.
 *
 * <p>Matching runs incrementally over the stream with the pattern's failure function (Knuth-Morris-Pratt):
 * bytes that may start the pattern are held back until they either complete it or turn out to be data,
 * so a pattern split across packets is found and a near miss is returned intact. The held bytes survive a
 * read timeout, as in OpenResty.
 */
public final class ReceiveUntil {

    private final TcpCosocket socket;
    private final byte[] pattern;
    private final int[] border;
    private final boolean inclusive;
    /** Pattern bytes matched so far and not yet returned. */
    private int state;
    /** Set after a match in size mode: the next call returns nil, nil, nil. */
    private boolean ended;

    ReceiveUntil(TcpCosocket socket, byte[] pattern, boolean inclusive) {
        this.socket = socket;
        this.pattern = pattern;
        this.inclusive = inclusive;
        this.border = borders(pattern);
    }

    /**
     * Reads the next piece: the data before the pattern (plus the pattern when inclusive), or at most
     * {@code size} bytes of it when {@code size > 0}. The future yields null for the end marker.
     */
    public Future<byte[]> next(RequestContext req, long size) {
        return socket.untilRead(req, this, size);
    }

    /** True (and resets) when the previous call completed a match in size mode. */
    boolean takeEnded() {
        boolean e = ended;
        ended = false;
        return e;
    }

    ReadFilter filter(long size) {
        return new ReadFilter() {
            private long emitted;

            @Override
            Status consume(InputBuffer in, boolean eof) {
                if (in.size() == 0) {
                    return eof ? Status.CLOSED : Status.AGAIN;
                }
                byte[] d = in.data;
                int i = in.start;
                int plain = i; // start of a run of bytes that are plain data
                while (i < in.end) {
                    byte c = d[i];
                    if (c == pattern[state]) {
                        if (state == 0) {
                            out.write(d, plain, i - plain);
                        }
                        state++;
                        i++;
                        plain = i;
                        if (state == pattern.length) {
                            state = 0;
                            if (inclusive) {
                                out.write(pattern, 0, pattern.length);
                            }
                            ended = size > 0;
                            in.skip(i - in.start);
                            return Status.DONE;
                        }
                        continue;
                    }
                    if (state == 0) {
                        i++;
                        emitted++;
                        if (size > 0 && emitted >= size) {
                            out.write(d, plain, i - plain);
                            in.skip(i - in.start);
                            return Status.DONE;
                        }
                        continue;
                    }
                    // A near miss: the held bytes that can no longer start the pattern are data.
                    int fallback = border[state - 1];
                    out.write(pattern, 0, state - fallback);
                    emitted += state - fallback;
                    state = fallback;
                    plain = i;
                    if (size > 0 && emitted >= size) {
                        in.skip(i - in.start);
                        return Status.DONE;
                    }
                }
                if (state == 0) {
                    out.write(d, plain, i - plain);
                }
                in.skip(i - in.start);
                return eof ? Status.CLOSED : Status.AGAIN;
            }
        };
    }

    /** border[k] = length of the longest proper prefix of pattern[0..k] that is also its suffix. */
    private static int[] borders(byte[] p) {
        int[] b = new int[p.length];
        int k = 0;
        for (int i = 1; i < p.length; i++) {
            while (k > 0 && p[i] != p[k]) {
                k = b[k - 1];
            }
            if (p[i] == p[k]) {
                k++;
            }
            b[i] = k;
        }
        return b;
    }
}
