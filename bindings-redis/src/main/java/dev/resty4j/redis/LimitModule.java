package dev.resty4j.redis;

import dev.resty4j.SharedDict;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.spi.NativeCall;
import dev.resty4j.spi.NativeFunction;
import dev.resty4j.spi.NativeHandle;
import dev.resty4j.spi.NativeModule;
import dev.resty4j.spi.NativeNull;
import dev.resty4j.spi.NativeResult;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code resty4j.native.limit}: lua-resty-limit-traffic's limiters ({@code resty.limit.req},
 * {@code resty.limit.count}, {@code resty.limit.conn}) with the original's API and semantics, over the
 * shared dict named at {@code new()}. The dict's declaration picks the backend, not the script: an
 * in-memory {@code lua_shared_dict NAME SIZE} limits per instance, a Redis-backed one
 * ({@code lua_shared_dict NAME SIZE redis=HOST:PORT}) limits across every instance sharing that Redis.
 *
 * <p>Over Redis, {@code limit.req}'s read-compute-write runs as one Lua script in Redis (EVALSHA, with
 * EVAL when Redis lost it), so it is atomic cluster-wide; {@code limit.count} and {@code limit.conn} are
 * made of single atomic dict operations ({@code incr} with {@code init} and {@code init_ttl}), as in the
 * original. Over an in-memory dict each limiter does what the original does with {@code ngx.shared}.
 */
public final class LimitModule implements NativeModule {

    @Override
    public String name() {
        return "limit";
    }

    @Override
    public Map<String, NativeFunction> functions() {
        Map<String, NativeFunction> f = new HashMap<>();
        f.put("req_new", (call, a) -> {
            SharedDict d = dict(call, a);
            if (d == null) {
                return NativeResult.error("shared dict not found");
            }
            double rate = num(a, 1);
            double burst = num(a, 2);
            check(rate > 0 && burst >= 0);
            return new Req(d, rate * 1000, burst * 1000);
        });
        f.put("req_incoming", (call, a) -> handle(a, Req.class).incoming(call, key(a), truthy(a, 2)));
        f.put("req_uncommit", (call, a) -> handle(a, Req.class).uncommit(key(a)));
        f.put("req_set_rate", (call, a) -> {
            handle(a, Req.class).rate = num(a, 1) * 1000;
            return null;
        });
        f.put("req_set_burst", (call, a) -> {
            handle(a, Req.class).burst = num(a, 1) * 1000;
            return null;
        });
        f.put("count_new", (call, a) -> {
            SharedDict d = dict(call, a);
            if (d == null) {
                return NativeResult.error("shared dict not found");
            }
            double limit = num(a, 1);
            double window = num(a, 2);
            check(limit > 0 && window > 0);
            return new Count(d, limit, window);
        });
        f.put("count_incoming", (call, a) -> handle(a, Count.class).incoming(key(a), truthy(a, 2)));
        f.put("count_uncommit", (call, a) -> handle(a, Count.class).uncommit(key(a)));
        f.put("conn_new", (call, a) -> {
            SharedDict d = dict(call, a);
            if (d == null) {
                return NativeResult.error("shared dict not found");
            }
            double max = num(a, 1);
            double burst = num(a, 2);
            double delay = num(a, 3);
            check(max > 0 && burst >= 0 && delay > 0);
            return new Conn(d, max, burst, delay);
        });
        f.put("conn_incoming", (call, a) -> handle(a, Conn.class).incoming(key(a), truthy(a, 2)));
        f.put("conn_is_committed", (call, a) -> handle(a, Conn.class).committed);
        f.put("conn_leaving", (call, a) -> handle(a, Conn.class).leaving(key(a), a.length > 2 && a[2] instanceof Number n ? n.doubleValue() : null));
        f.put("conn_uncommit", (call, a) -> handle(a, Conn.class).uncommit(key(a)));
        f.put("conn_set_conn", (call, a) -> {
            handle(a, Conn.class).max = num(a, 1);
            return null;
        });
        f.put("conn_set_burst", (call, a) -> {
            handle(a, Conn.class).burst = num(a, 1);
            return null;
        });
        return f;
    }

    // ------------------------------------------------------------------------------------------ limit.req

    /** {@code resty.limit.req}: leaky bucket as ngx_limit_req; rate and burst in thousandths of requests. */
    static final class Req implements NativeHandle {
        final SharedDict dict;
        double rate;
        double burst;

        Req(SharedDict dict, double rate, double burst) {
            this.dict = dict;
            this.rate = rate;
            this.burst = burst;
        }

        /** Returns {@code delay, excess}, or {@code nil, "rejected"}, or {@code nil, err}. */
        Object incoming(NativeCall call, String key, boolean commit) {
            double now = call.resty().currentTimeMillis();
            if (dict instanceof RedisSharedDict r) {
                Future<Object> f = r.eval(REQ_SCRIPT, List.of(r.redisKey(key)),
                        List.of(RedisSharedDict.number(rate), RedisSharedDict.number(burst),
                                RedisSharedDict.number(now), commit ? "1" : "0"))
                        .map(resp -> "rejected".equals(resp.toString())
                                ? (Object) NativeResult.error("rejected")
                                : accepted(Double.parseDouble(resp.toString())));
                return f.recover(t -> Future.succeededFuture(NativeResult.error(errorOf(t))));
            }
            double excess = 0;
            SharedDict.Entry e = dict.get(key);
            if (e != null) {
                double[] rec = record(e.value());
                if (rec == null) {
                    return NativeResult.error("shdict abused by other users");
                }
                // a changed rate needs no special case: the formula adapts the excess quickly anyway
                excess = Math.max(rec[0] - rate * Math.abs(now - rec[1]) / 1000 + 1000, 0);
                if (excess > burst) {
                    return NativeResult.error("rejected");
                }
            }
            if (commit) {
                dict.set(key, excess + " " + now, 0, 0);
            }
            return accepted(excess);
        }

        private NativeResult accepted(double excess) {
            return NativeResult.of(excess / rate, excess / 1000);
        }

        Object uncommit(String key) {
            if (dict instanceof RedisSharedDict r) {
                return r.eval(REQ_UNCOMMIT_SCRIPT, List.of(r.redisKey(key)), List.of())
                        .map(resp -> "not found".equals(resp.toString()) ? (Object) NativeResult.error("not found") : (Object) true)
                        .recover(t -> Future.succeededFuture(NativeResult.error(errorOf(t))));
            }
            SharedDict.Entry e = dict.get(key);
            if (e == null) {
                return NativeResult.error("not found");
            }
            double[] rec = record(e.value());
            if (rec == null) {
                return NativeResult.error("shdict abused by other users");
            }
            dict.set(key, Math.max(rec[0] - 1000, 0) + " " + rec[1], 0, 0);
            return true;
        }

        /** The stored record {@code "EXCESS LAST_MS"}, or null when the value is not one of ours. */
        private static double[] record(Object v) {
            if (!(v instanceof String s)) {
                return null;
            }
            int sp = s.indexOf(' ');
            if (sp < 0) {
                return null;
            }
            try {
                return new double[] {Double.parseDouble(s.substring(0, sp)), Double.parseDouble(s.substring(sp + 1))};
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /**
     * limit.req in Redis, atomically: ARGV rate, burst (thousandths), now (ms), commit. The record lives as
     * long as it still matters: once its excess has leaked away it equals no record, so it expires then.
     */
    static final String REQ_SCRIPT = """
            local rate, burst, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
            local excess = 0
            local rec = redis.call('HGET', KEYS[1], 'v')
            if rec then
              local e, last = string.match(rec, '^(%S+) (%S+)$')
              if not e then return {err = 'shdict abused by other users'} end
              excess = math.max(tonumber(e) - rate * math.abs(now - tonumber(last)) / 1000 + 1000, 0)
              if excess > burst then return 'rejected' end
            end
            if ARGV[4] == '1' then
              redis.call('HSET', KEYS[1], 'v', string.format('%.17g %.17g', excess, now), 't', 's', 'f', 0)
              redis.call('PEXPIRE', KEYS[1], math.ceil((excess + 1000) * 1000 / rate) + 1)
            end
            return string.format('%.17g', excess)
            """;

    static final String REQ_UNCOMMIT_SCRIPT = """
            local rec = redis.call('HGET', KEYS[1], 'v')
            if not rec then return 'not found' end
            local e, last = string.match(rec, '^(%S+) (%S+)$')
            if not e then return {err = 'shdict abused by other users'} end
            redis.call('HSET', KEYS[1], 'v', string.format('%.17g %s', math.max(tonumber(e) - 1000, 0), last))
            return 'OK'
            """;

    // ------------------------------------------------------------------------------------------ limit.count

    /** {@code resty.limit.count}: a fixed window of {@code limit} requests per {@code window} seconds. */
    static final class Count implements NativeHandle {
        final SharedDict dict;
        final double limit;
        final double window;

        Count(SharedDict dict, double limit, double window) {
            this.dict = dict;
            this.limit = limit;
            this.window = window;
        }

        /** Returns {@code 0, remaining}, or {@code nil, "rejected"}, or {@code nil, err}. */
        Object incoming(String key, boolean commit) {
            double remaining;
            if (commit) {
                // the window starts with the first request: init and its ttl apply only on creation, atomically
                SharedDict.IncrResult r = dict.incr(key, -1, limit, window);
                if (r.value() == null) {
                    return NativeResult.error(r.err());
                }
                remaining = r.value();
            } else {
                SharedDict.Entry e = dict.get(key);
                remaining = (e != null && e.value() instanceof Double d ? d : limit) - 1;
            }
            if (remaining < 0) {
                return NativeResult.error("rejected");
            }
            return NativeResult.of(0L, remaining);
        }

        Object uncommit(String key) {
            SharedDict.IncrResult r = dict.incr(key, 1, null, 0);
            return r.value() == null ? NativeResult.error(r.err()) : r.value();
        }
    }

    // ------------------------------------------------------------------------------------------ limit.conn

    /** {@code resty.limit.conn}: concurrency level per key, with a burst that is delayed rather than refused. */
    static final class Conn implements NativeHandle {
        final SharedDict dict;
        double max;
        double burst;
        double unitDelay;
        boolean committed;

        Conn(SharedDict dict, double max, double burst, double unitDelay) {
            this.dict = dict;
            this.max = max;
            this.burst = burst;
            this.unitDelay = unitDelay;
        }

        /** Returns {@code delay, conn}, or {@code nil, "rejected"}, or {@code nil, err}. */
        Object incoming(String key, boolean commit) {
            committed = false;
            double conn;
            if (commit) {
                SharedDict.IncrResult r = dict.incr(key, 1, 0.0, 0);
                if (r.value() == null) {
                    return NativeResult.error(r.err());
                }
                conn = r.value();
                if (conn > max + burst) {
                    SharedDict.IncrResult back = dict.incr(key, -1, conn, 0);
                    if (back.value() == null) {
                        return NativeResult.error(back.err());
                    }
                    return NativeResult.error("rejected");
                }
                committed = true;
            } else {
                SharedDict.Entry e = dict.get(key);
                conn = (e != null && e.value() instanceof Double d ? d : 0) + 1;
                if (conn > max + burst) {
                    return NativeResult.error("rejected");
                }
            }
            if (conn > max) {
                // the excessive connections wait, one unit per full multiple of max ahead of them
                return NativeResult.of(unitDelay * Math.floor((conn - 1) / max), conn);
            }
            return NativeResult.of(0L, conn);
        }

        Object leaving(String key, Double latency) {
            SharedDict.IncrResult r = dict.incr(key, -1, null, 0);
            if (r.value() == null) {
                return NativeResult.error(r.err());
            }
            if (latency != null) {
                unitDelay = (latency + unitDelay) / 2;
            }
            return r.value();
        }

        Object uncommit(String key) {
            SharedDict.IncrResult r = dict.incr(key, -1, null, 0);
            return r.value() == null ? NativeResult.of(null, r.err(), r.forcible()) : NativeResult.of(r.value(), null, r.forcible());
        }
    }

    // ------------------------------------------------------------------------------------------ arguments

    private static String errorOf(Throwable t) {
        return Replies.isRedisError(t) ? t.getMessage() : CosocketErrors.message(t, "redis");
    }

    private static SharedDict dict(NativeCall call, Object[] a) {
        Object n = a.length > 0 ? a[0] : null;
        return n instanceof String s ? call.resty().sharedDict(s) : null;
    }

    private static <T> T handle(Object[] a, Class<T> type) {
        if (a.length > 0 && type.isInstance(a[0])) {
            return type.cast(a[0]);
        }
        throw new NgxApiException("bad self: limiter object expected");
    }

    private static String key(Object[] a) {
        Object k = a.length > 1 ? a[1] : null;
        if (k == null) {
            throw new NgxApiException("assertion failed!");
        }
        return RedisSession.Args.text(k);
    }

    private static boolean truthy(Object[] a, int i) {
        Object v = i < a.length ? a[i] : null;
        return v != null && !Boolean.FALSE.equals(v); // Lua truthiness: ngx.null is true
    }

    private static double num(Object[] a, int i) {
        Object v = i < a.length ? a[i] : null;
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new NgxApiException("attempt to compare number with " + RedisModule.luaType(v));
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new NgxApiException("assertion failed!");
        }
    }
}
