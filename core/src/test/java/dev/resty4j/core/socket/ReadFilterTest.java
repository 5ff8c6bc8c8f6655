package dev.resty4j.core.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The read filters on their own: what each receive form returns when data arrives in arbitrary pieces. */
class ReadFilterTest {

    @Test
    void lineDropsEveryCarriageReturnAndStopsAtLineFeed() {
        InputBuffer in = buffer("a\rb\r\nnext");
        ReadFilter f = ReadFilter.line();
        assertThat(f.consume(in, false)).isEqualTo(ReadFilter.Status.DONE);
        assertThat(text(f)).isEqualTo("ab");
        assertThat(in.size()).isEqualTo(4);
    }

    @Test
    void lineAtEndOfStreamIsClosedWithWhatWasRead() {
        InputBuffer in = buffer("partial");
        ReadFilter f = ReadFilter.line();
        assertThat(f.consume(in, false)).isEqualTo(ReadFilter.Status.AGAIN);
        assertThat(f.consume(in, true)).isEqualTo(ReadFilter.Status.CLOSED);
        assertThat(text(f)).isEqualTo("partial");
    }

    @Test
    void bytesAndAnyTakeOnlyWhatTheyMay() {
        InputBuffer in = buffer("0123456789");
        ReadFilter four = ReadFilter.bytes(4);
        assertThat(four.consume(in, false)).isEqualTo(ReadFilter.Status.DONE);
        assertThat(text(four)).isEqualTo("0123");
        ReadFilter any = ReadFilter.any(100);
        assertThat(any.consume(in, false)).isEqualTo(ReadFilter.Status.DONE);
        assertThat(text(any)).isEqualTo("456789");
        assertThat(ReadFilter.any(1).consume(in, true)).isEqualTo(ReadFilter.Status.CLOSED);
        assertThat(ReadFilter.all().consume(in, true)).isEqualTo(ReadFilter.Status.DONE);
    }

    @Test
    void receiveUntilSplitsLikeAPlainSplitWhateverThePieces() {
        // Small alphabets make near misses (pattern prefixes that fail later) frequent.
        Random rnd = new Random(42);
        for (String pattern : List.of("ab", "aab", "abab", "aaa", "abcab", "--abc", "x")) {
            for (int round = 0; round < 200; round++) {
                StringBuilder sb = new StringBuilder();
                int len = rnd.nextInt(60);
                for (int i = 0; i < len; i++) {
                    sb.append("abcx-".charAt(rnd.nextInt(pattern.contains("-") ? 5 : 3)));
                }
                String stream = sb.toString();
                assertThat(untilAll(stream, pattern, rnd)).as("%s in %s", pattern, stream).isEqualTo(split(stream, pattern));
            }
        }
    }

    @Test
    void receiveUntilWithSizeReturnsPiecesThenTheEndMarker() {
        ReceiveUntil until = new ReceiveUntil(null, bytes("--abc"), false);
        InputBuffer in = buffer("abcdefg--abcrest");
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ReadFilter f = until.filter(3);
            assertThat(f.consume(in, false)).isEqualTo(ReadFilter.Status.DONE);
            got.add(text(f));
        }
        assertThat(got).containsExactly("abc", "def", "g");
        assertThat(until.takeEnded()).isTrue();
        assertThat(until.takeEnded()).isFalse();
    }

    @Test
    void receiveUntilInclusiveKeepsThePattern() {
        ReceiveUntil until = new ReceiveUntil(null, bytes("\r\n"), true);
        InputBuffer in = buffer("one\r\r\ntwo");
        ReadFilter f = until.filter(0);
        assertThat(f.consume(in, false)).isEqualTo(ReadFilter.Status.DONE);
        assertThat(text(f)).isEqualTo("one\r\r\n");
    }

    /** Feeds {@code stream} in random pieces and collects every piece the iterator returns. */
    private static List<String> untilAll(String stream, String pattern, Random rnd) {
        ReceiveUntil until = new ReceiveUntil(null, bytes(pattern), false);
        InputBuffer in = new InputBuffer();
        List<String> out = new ArrayList<>();
        int fed = 0;
        ReadFilter f = until.filter(0);
        while (true) {
            ReadFilter.Status st = f.consume(in, fed == stream.length());
            if (st == ReadFilter.Status.DONE) {
                out.add(text(f));
                f = until.filter(0);
                continue;
            }
            if (st == ReadFilter.Status.CLOSED) {
                out.add(text(f));
                return out;
            }
            int n = Math.min(stream.length() - fed, 1 + rnd.nextInt(5));
            in.append(Buffer.buffer(stream.substring(fed, fed + n)));
            fed += n;
        }
    }

    /** What the iterator must return: the pieces between occurrences, then the tail (returned with "closed"). */
    private static List<String> split(String stream, String pattern) {
        List<String> out = new ArrayList<>();
        int from = 0;
        int at;
        while ((at = stream.indexOf(pattern, from)) >= 0) {
            out.add(stream.substring(from, at));
            from = at + pattern.length();
        }
        String tail = stream.substring(from);
        // A tail that is a proper prefix of the pattern is held back as a possible match, and lost at EOF.
        for (int k = Math.min(tail.length(), pattern.length() - 1); k > 0; k--) {
            if (tail.endsWith(pattern.substring(0, k))) {
                tail = tail.substring(0, tail.length() - k);
                break;
            }
        }
        out.add(tail);
        return out;
    }

    private static InputBuffer buffer(String s) {
        InputBuffer in = new InputBuffer();
        in.append(Buffer.buffer(s));
        return in;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(ReadFilter f) {
        return f.out.toString(StandardCharsets.ISO_8859_1);
    }
}
