package dev.resty4j.core.socket;

import java.io.ByteArrayOutputStream;

/**
 * One read in progress ({@code receive("*l")}, {@code receive(n)}, …): takes what it needs from the
 * connection's input buffer into its output as data arrives, and says when it is done. Bytes a filter has
 * taken are consumed even if the read then fails: they are the {@code partial} value OpenResty returns
 * with the error.
 */
abstract class ReadFilter {

    enum Status {
        /** The read is complete: its output is the result. */
        DONE,
        /** More data is needed. */
        AGAIN,
        /** The peer closed the connection before the read completed ("closed"). */
        CLOSED
    }

    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Takes bytes from {@code in}; {@code eof} is true once the peer closed its side. */
    abstract Status consume(InputBuffer in, boolean eof);

    /** {@code receive("*l")}: a line ending in LF; every CR is dropped, as OpenResty does. */
    static ReadFilter line() {
        return new ReadFilter() {
            @Override
            Status consume(InputBuffer in, boolean eof) {
                byte[] d = in.data;
                int i = in.start;
                int segment = i;
                while (i < in.end) {
                    byte b = d[i];
                    if (b == '\n' || b == '\r') {
                        out.write(d, segment, i - segment);
                        segment = i + 1;
                        if (b == '\n') {
                            in.skip(i + 1 - in.start);
                            return Status.DONE;
                        }
                    }
                    i++;
                }
                out.write(d, segment, i - segment);
                in.skip(in.size());
                return eof ? Status.CLOSED : Status.AGAIN;
            }
        };
    }

    /** {@code receive("*a")}: everything until the peer closes. */
    static ReadFilter all() {
        return new ReadFilter() {
            @Override
            Status consume(InputBuffer in, boolean eof) {
                out.write(in.data, in.start, in.size());
                in.skip(in.size());
                return eof ? Status.DONE : Status.AGAIN;
            }
        };
    }

    /** {@code receive(n)}: exactly n bytes. */
    static ReadFilter bytes(long n) {
        return new ReadFilter() {
            private long rest = n;

            @Override
            Status consume(InputBuffer in, boolean eof) {
                int take = (int) Math.min(rest, in.size());
                out.write(in.data, in.start, take);
                in.skip(take);
                rest -= take;
                if (rest == 0) {
                    return Status.DONE;
                }
                return eof ? Status.CLOSED : Status.AGAIN;
            }
        };
    }

    /** {@code receiveany(max)}: whatever has arrived, at most max bytes, waiting only when nothing has. */
    static ReadFilter any(long max) {
        return new ReadFilter() {
            @Override
            Status consume(InputBuffer in, boolean eof) {
                if (in.size() > 0) {
                    int take = (int) Math.min(max, in.size());
                    out.write(in.data, in.start, take);
                    in.skip(take);
                    return Status.DONE;
                }
                return eof ? Status.CLOSED : Status.AGAIN;
            }
        };
    }
}
