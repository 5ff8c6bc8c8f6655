package dev.resty4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.RestyTester;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * resty.limit.* with lua-resty-limit-traffic's semantics, over an in-memory dict and over a Redis-backed
 * one: the same scripts, the backend chosen by the dict's declaration.
 */
class LimitTest {

    private RealRedis redis;

    @BeforeEach
    void setUp() {
        redis = RealRedis.require();
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private RestyTester tester(boolean onRedis, String lua) throws Exception {
        Resty.Builder b = Resty.builder().workers(2);
        if (onRedis) {
            // a dict name unique to the test, so that its Redis keys never meet another run's
            b.sharedDict("limits", "1m", List.of("redis=" + RealRedis.HOST + ":" + RealRedis.PORT));
        } else {
            b.sharedDict("limits", "1m");
        }
        String code = "local DICT = 'limits'\nlocal P = '" + redis.prefix + "'\n" + lua;
        return RestyTester.builder(b.location("/t", l -> l.contentByLua(code))).withFakeClock().build();
    }

    @ParameterizedTest(name = "redis={0}")
    @ValueSource(booleans = {false, true})
    void limitReqDelaysThenRejects(boolean onRedis) throws Exception {
        try (RestyTester t = tester(onRedis, """
                local lim = require("resty.limit.req").new(DICT, 2, 1) -- 2 r/s, burst 1
                local delay, excess = lim:incoming(P .. "k", true)
                if not delay then ngx.say(excess) return end
                ngx.say(delay, " ", excess)
                """)) {
            assertThat(t.get("/t").run().body()).isEqualTo("0 0\n");
            assertThat(t.get("/t").run().body()).isEqualTo("0.5 1\n");
            assertThat(t.get("/t").run().body()).isEqualTo("rejected\n");
            t.clock().advance(Duration.ofMillis(1000)); // 2 requests leaked away
            assertThat(t.get("/t").run().body()).isEqualTo("0 0\n");
        } finally {
            redis.send("del", "resty4j:dict:limits:" + redis.prefix + "k");
        }
    }

    @ParameterizedTest(name = "redis={0}")
    @ValueSource(booleans = {false, true})
    void limitCountCountsAWindow(boolean onRedis) throws Exception {
        try (RestyTester t = tester(onRedis, """
                local lim = require("resty.limit.count").new(DICT, 2, 60)
                if ngx.var.arg_uncommit then ngx.say(lim:uncommit(P .. "c")) return end
                local delay, remaining = lim:incoming(P .. "c", ngx.var.arg_dry == nil)
                ngx.say(delay, " ", remaining)
                """)) {
            assertThat(t.get("/t?dry=1").run().body()).isEqualTo("0 1\n");
            assertThat(t.get("/t").run().body()).isEqualTo("0 1\n");
            assertThat(t.get("/t").run().body()).isEqualTo("0 0\n");
            assertThat(t.get("/t").run().body()).isEqualTo("nil rejected\n");
            assertThat(t.get("/t?uncommit=1").run().body()).isEqualTo("0\n");
        } finally {
            redis.send("del", "resty4j:dict:limits:" + redis.prefix + "c");
        }
    }

    @ParameterizedTest(name = "redis={0}")
    @ValueSource(booleans = {false, true})
    void limitConnAndTrafficCombine(boolean onRedis) throws Exception {
        try (RestyTester t = tester(onRedis, """
                local conn = require("resty.limit.conn").new(DICT, 1, 1, 0.5)
                local count = require("resty.limit.count").new(DICT, 10, 60)
                local traffic = require "resty.limit.traffic"
                local states = {}
                local delay, err = traffic.combine({count, conn}, {P .. "tc", P .. "tn"}, states)
                ngx.say(delay, " ", err, " ", states[1], " ", states[2], " ", conn:is_committed())
                delay, err = traffic.combine({count, conn}, {P .. "tc", P .. "tn"}, states)
                ngx.say(delay, " ", err, " ", states[1], " ", states[2])
                delay, err = traffic.combine({count, conn}, {P .. "tc", P .. "tn"}, states)
                ngx.say(delay, " ", err)
                ngx.say(conn:leaving(P .. "tn", 0.1), " ", conn:leaving(P .. "tn"))
                """)) {
            assertThat(t.get("/t").run().body()).isEqualTo("""
                    0 nil 9 1 true
                    0.5 nil 8 2
                    nil rejected
                    1 0
                    """);
        } finally {
            redis.send("del", "resty4j:dict:limits:" + redis.prefix + "tc", "resty4j:dict:limits:" + redis.prefix + "tn");
        }
    }
}
