package dev.resty4j.core.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.core.log.LogRecord;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link RequestFactory}'s client_max_body_size rules (here because locations need a script engine). */
class RequestFactoryBodyLimitTest {

    @Test
    void bodyLimitIsTheLocationsElseTheHttpLevelOne() throws Exception {
        List<LogRecord> logs = new CopyOnWriteArrayList<>();
        try (Resty resty = Resty.builder().workers(1).clientMaxBodySize(100).logSink(logs::add)
                .location("/big", l -> l.clientMaxBodySize(1000).contentByLua("ngx.say(1)"))
                .location("/any", l -> l.clientMaxBodySize(0).contentByLua("ngx.say(1)"))
                .location("/", l -> l.contentByLua("ngx.say(1)"))
                .build()) {
            RequestFactory f = new RequestFactory(resty, resty.servers().get(0));
            RequestContext root = f.create("POST", "/x", "1.1", new Headers(), false);
            RequestContext big = f.create("POST", "/big/upload", "1.1", new Headers(), false);
            RequestContext any = f.create("POST", "/any", "1.1", new Headers(), false);

            assertThat(f.maxBodySize(root)).isEqualTo(100);
            assertThat(f.maxBodySize(big)).isEqualTo(1000);
            assertThat(f.maxBodySize(any)).isZero();

            assertThat(f.bodyTooLarge(root, 100, false)).isFalse();
            assertThat(logs).isEmpty();
            assertThat(f.bodyTooLarge(root, 101, false)).isTrue();
            assertThat(f.bodyTooLarge(big, 1001, true)).isTrue();
            assertThat(f.bodyTooLarge(big, 500, false)).isFalse();
            assertThat(f.bodyTooLarge(any, Long.MAX_VALUE, false)).isFalse();
            assertThat(logs).extracting(LogRecord::message).containsExactly(
                    "client intended to send too large body: 101 bytes",
                    "client intended to send too large chunked body: 1001+ bytes");
            assertThat(logs).extracting(LogRecord::requestId).containsExactly(root.id(), big.id());
        }
    }
}
