package dev.resty4j.redis;

import dev.resty4j.SharedDict;
import dev.resty4j.core.api.Contexts;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.worker.Worker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A {@code lua_shared_dict} kept in Redis ({@code lua_shared_dict NAME SIZE redis=HOST:PORT}), so that
 * several resty4j instances share it: the same {@code ngx.shared.NAME} methods and return values as the
 * in-memory dict, over the network.
 *
 * <h2>Storage</h2>
 * Entry {@code KEY} is the Redis key {@code resty4j:dict:NAME:KEY}: a hash {@code v} (value bytes),
 * {@code t} (type: {@code s} string, {@code n} number, {@code b} boolean), {@code f} (user flags) with a
 * Redis expiry for {@code exptime}; a list entry is a Redis list whose elements carry the type as their
 * first byte.
 *
 * <h2>Atomicity</h2>
 * Every single operation is atomic across all instances sharing the Redis (each is one command or one Lua
 * script run by EVALSHA, falling back to EVAL once when Redis lost the script): set/add/replace/delete,
 * incr (with init and init_ttl), expire, ttl, the list operations. Sequences of operations are not,
 * exactly as get-then-set on the in-memory dict is not atomic across workers. {@code flush_all} and
 * {@code get_keys} scan the key space, so they are not atomic.
 *
 * <h2>Differences</h2>
 * The SIZE is not enforced (Redis's own {@code maxmemory} policy governs memory; nothing is reported
 * {@code forcible}); {@code capacity()} returns it and {@code free_space()} returns it too. Redis removes
 * expired entries itself, so {@code get_stale} never returns stale values and {@code flush_expired}
 * returns 0.
 *
 * <h2>When Redis is unreachable or slow</h2>
 * Each operation waits at most the timeout ({@code redis_timeout=MS}, default 1000) and then fails: store
 * operations return {@code false} and the error ({@code "timeout"}, {@code "connection refused"}, …),
 * incr and the list operations {@code nil} and the error; {@code get} (whose signature carries no error)
 * returns nil as for a missing key. The worker is never hung: in phases that can yield, the waiting
 * request is suspended and the worker serves others; elsewhere (init, header/body filters, log) the
 * worker waits, bounded by the timeout.
 */
final class RedisSharedDict implements SharedDict, AutoCloseable {

    static final long DEFAULT_TIMEOUT_MS = 1000;

    private final String name;
    private final long capacity;
    private final String prefix;
    private final long timeoutMs;
    private final Vertx vertx;
    private final dev.resty4j.core.socket.Deadlines deadlines;
    private final Redis client;
    private final Map<String, String> shas = new ConcurrentHashMap<>();

    private RedisSharedDict(String name, long capacity, String endpoint, long timeoutMs, int poolSize, Vertx vertx) {
        this.name = name;
        this.capacity = capacity;
        this.prefix = "resty4j:dict:" + name + ":";
        this.timeoutMs = timeoutMs;
        this.vertx = vertx;
        // the dict serves every worker: its own timer tree, on an event loop of its own
        this.deadlines = new dev.resty4j.core.socket.Deadlines(((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext());
        this.client = Redis.createClient(vertx, new RedisOptions()
                .setConnectionString("redis://" + endpoint)
                .setProtocolNegotiation(false)
                .setNetClientOptions(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout((int) Math.max(1, timeoutMs)))
                .setMaxPoolSize(poolSize)
                .setMaxPoolWaiting(-1));
    }

    /**
     * The dict for {@code lua_shared_dict NAME SIZE redis=HOST:PORT [redis_timeout=MS] [redis_pool=N]}, or
     * null when the options do not name a Redis.
     */
    static SharedDict fromOptions(String name, long size, List<String> options, Vertx vertx) {
        String endpoint = null;
        long timeout = DEFAULT_TIMEOUT_MS;
        int pool = 16;
        for (String o : options) {
            int eq = o.indexOf('=');
            String k = eq < 0 ? o : o.substring(0, eq);
            String v = eq < 0 ? "" : o.substring(eq + 1);
            switch (k) {
                case "redis" -> endpoint = v;
                case "redis_timeout" -> timeout = Long.parseLong(v);
                case "redis_pool" -> pool = Integer.parseInt(v);
                default -> {
                    return null;
                }
            }
        }
        if (endpoint == null || endpoint.isEmpty()) {
            return null;
        }
        Warmup.once(vertx);
        return new RedisSharedDict(name, size, endpoint, timeout, pool, vertx);
    }

    @Override
    public void close() {
        client.close();
    }

    String redisKey(String key) {
        return prefix + key;
    }

    // ------------------------------------------------------------------------------------------ scripts

    /** Stores value {@code ARGV[1]} of type {@code ARGV[2]} with flags {@code ARGV[3]}, expiry ms {@code ARGV[4]}. */
    private static final String STORE_BODY = """
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], 'v', ARGV[1], 't', ARGV[2], 'f', ARGV[3])
            if tonumber(ARGV[4]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
            return 'OK'
            """;
    private static final String SET = STORE_BODY;
    private static final String ADD = "if redis.call('EXISTS', KEYS[1]) == 1 then return 'exists' end\n" + STORE_BODY;
    private static final String REPLACE = "if redis.call('EXISTS', KEYS[1]) == 0 then return 'not found' end\n" + STORE_BODY;
    /** incr: ARGV delta, init ('' = none), init_ttl ms. Returns the new value as text, or an error word. */
    private static final String INCR = """
            if redis.call('EXISTS', KEYS[1]) == 1 then
              if redis.call('TYPE', KEYS[1]).ok ~= 'hash' or redis.call('HGET', KEYS[1], 't') ~= 'n' then
                return {err = 'not a number'}
              end
              return redis.call('HINCRBYFLOAT', KEYS[1], 'v', ARGV[1])
            end
            if ARGV[2] == '' then return {err = 'not found'} end
            local v = tonumber(ARGV[2]) + tonumber(ARGV[1])
            redis.call('HSET', KEYS[1], 'v', string.format('%.17g', v), 't', 'n', 'f', 0)
            if tonumber(ARGV[3]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
            return string.format('%.17g', v)
            """;
    private static final String EXPIRE = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 'not found' end
            if tonumber(ARGV[1]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) else redis.call('PERSIST', KEYS[1]) end
            return 'OK'
            """;
    /** push: ARGV[1] 'L' or 'R', ARGV[2] element. */
    private static final String PUSH = """
            if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('TYPE', KEYS[1]).ok ~= 'list' then
              return {err = 'value not a list'}
            end
            if ARGV[1] == 'L' then return redis.call('LPUSH', KEYS[1], ARGV[2]) end
            return redis.call('RPUSH', KEYS[1], ARGV[2])
            """;
    private static final String POP = """
            if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('TYPE', KEYS[1]).ok ~= 'list' then
              return {err = 'value not a list'}
            end
            if ARGV[1] == 'L' then return redis.call('LPOP', KEYS[1]) end
            return redis.call('RPOP', KEYS[1])
            """;
    private static final String LLEN = """
            if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('TYPE', KEYS[1]).ok ~= 'list' then
              return {err = 'value not a list'}
            end
            return redis.call('LLEN', KEYS[1])
            """;

    /** Runs a script by EVALSHA, sending its text (EVAL) when Redis does not know it (first use, restart). */
    Future<Response> eval(String script, List<String> keys, List<String> args) {
        String sha = shas.computeIfAbsent(script, RedisSharedDict::sha1);
        Future<Response> f = send(scriptRequest(Command.EVALSHA, sha, keys, args)).recover(t -> {
            if (t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT")) {
                return send(scriptRequest(Command.EVAL, script, keys, args));
            }
            return Future.failedFuture(t);
        });
        return CosocketErrors.within(deadlines, f, timeoutMs, null);
    }

    private static Request scriptRequest(Command cmd, String scriptOrSha, List<String> keys, List<String> args) {
        Request r = Request.cmd(cmd).arg(scriptOrSha).arg(keys.size());
        keys.forEach(k -> r.arg(k.getBytes(StandardCharsets.ISO_8859_1)));
        args.forEach(a -> r.arg(a.getBytes(StandardCharsets.ISO_8859_1)));
        return r;
    }

    private Future<Response> send(Request r) {
        return client.send(r);
    }

    private Future<Response> command(Request r) {
        return CosocketErrors.within(deadlines, send(r), timeoutMs, null);
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits for a Redis reply from synchronous dict code: suspends the calling fiber where scripts may yield
     * (other requests run meanwhile), else blocks the worker, in both cases at most the timeout (the future
     * carries it).
     */
    static <T> T await(Future<T> f, long timeoutMs) {
        Worker w = Worker.ofCurrentThread();
        if (w != null) {
            RequestContext r = w.current();
            if (r == null || r.phase() == null || Contexts.YIELDABLE.contains(r.phase())) {
                return w.await(f);
            }
        }
        try {
            return f.toCompletionStage().toCompletableFuture().get(timeoutMs + 1000, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new Worker.AwaitException(e.getCause());
        } catch (Exception e) {
            throw new Worker.AwaitException(e);
        }
    }

    /** The reply, or the error text of the failure (cosocket-style for connection problems). */
    private Object result(Future<Response> f) {
        try {
            Response r = await(f, timeoutMs);
            return r == null ? Null.NULL : r;
        } catch (Worker.AwaitException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            return new Failure(Replies.isRedisError(c) ? c.getMessage() : CosocketErrors.message(c, "redis"));
        }
    }

    private enum Null { NULL }

    private record Failure(String err) {}

    // ------------------------------------------------------------------------------------------ SharedDict

    @Override
    public String name() {
        return name;
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public long freeSpace() {
        return capacity;
    }

    @Override
    public Entry get(String key) {
        if (badKey(key) != null) {
            return null;
        }
        Object r = result(command(Request.cmd(Command.HMGET).arg(bytes(redisKey(key))).arg("v").arg("t").arg("f")));
        if (!(r instanceof Response resp) || resp.size() < 3 || resp.get(0) == null || resp.get(1) == null) {
            return null; // absent, a list, or Redis unreachable
        }
        Object value = decode(resp.get(1).toString(), resp.get(0).toBytes());
        int flags = resp.get(2) == null ? 0 : resp.get(2).toInteger();
        return new Entry(value, flags, false);
    }

    @Override
    public Entry getStale(String key) {
        return get(key);
    }

    @Override
    public StoreResult set(String key, Object value, double exptime, int flags) {
        return store(SET, key, value, exptime, flags);
    }

    @Override
    public StoreResult safeSet(String key, Object value, double exptime, int flags) {
        return store(SET, key, value, exptime, flags);
    }

    @Override
    public StoreResult add(String key, Object value, double exptime, int flags) {
        return store(ADD, key, value, exptime, flags);
    }

    @Override
    public StoreResult safeAdd(String key, Object value, double exptime, int flags) {
        return store(ADD, key, value, exptime, flags);
    }

    @Override
    public StoreResult replace(String key, Object value, double exptime, int flags) {
        return store(REPLACE, key, value, exptime, flags);
    }

    @Override
    public StoreResult delete(String key) {
        return store(SET, key, null, 0, 0);
    }

    private StoreResult store(String script, String key, Object value, double exptime, int flags) {
        String err = badKey(key);
        if (err != null) {
            return StoreResult.error(err);
        }
        long ttl = ttlMillis(exptime);
        if (ttl < 0) {
            return StoreResult.error("bad exptime");
        }
        Object r;
        if (value == null) {
            // a nil value deletes, under the operation's own condition (add on a live key still says "exists")
            String cond = script == ADD ? "if redis.call('EXISTS', KEYS[1]) == 1 then return 'exists' end\n"
                    : script == REPLACE ? "if redis.call('EXISTS', KEYS[1]) == 0 then return 'not found' end\n" : "";
            r = result(eval(cond + "redis.call('DEL', KEYS[1]) return 'OK'", List.of(redisKey(key)), List.of()));
        } else {
            String[] enc = encode(value);
            if (enc == null) {
                return StoreResult.error("bad value type");
            }
            r = result(eval(script, List.of(redisKey(key)), List.of(enc[1], enc[0], Integer.toString(flags), Long.toString(ttl))));
        }
        if (r instanceof Failure f) {
            return StoreResult.error(f.err());
        }
        String word = r.toString();
        return "OK".equals(word) ? StoreResult.OK : StoreResult.error(word);
    }

    @Override
    public IncrResult incr(String key, double delta, Double init, double initTtl) {
        String err = badKey(key);
        if (err != null) {
            return new IncrResult(null, err, false);
        }
        long ttl = ttlMillis(initTtl);
        if (ttl < 0) {
            return new IncrResult(null, "bad init_ttl", false);
        }
        Object r = result(eval(INCR, List.of(redisKey(key)),
                List.of(number(delta), init == null ? "" : number(init), Long.toString(ttl))));
        if (r instanceof Failure f) {
            return new IncrResult(null, f.err(), false);
        }
        return new IncrResult(Double.parseDouble(r.toString()), null, false);
    }

    @Override
    public ListResult lpush(String key, Object value) {
        return push(key, value, "L");
    }

    @Override
    public ListResult rpush(String key, Object value) {
        return push(key, value, "R");
    }

    private ListResult push(String key, Object value, String side) {
        String err = badKey(key);
        if (err != null) {
            return new ListResult(null, err);
        }
        String[] enc = value instanceof Boolean ? null : encode(value);
        if (enc == null) {
            return new ListResult(null, "bad value type");
        }
        Object r = result(eval(PUSH, List.of(redisKey(key)), List.of(side, enc[0] + enc[1])));
        if (r instanceof Failure f) {
            return new ListResult(null, f.err());
        }
        return new ListResult(((Response) r).toLong(), null);
    }

    @Override
    public PopResult lpop(String key) {
        return pop(key, "L");
    }

    @Override
    public PopResult rpop(String key) {
        return pop(key, "R");
    }

    private PopResult pop(String key, String side) {
        String err = badKey(key);
        if (err != null) {
            return new PopResult(null, err);
        }
        Object r = result(eval(POP, List.of(redisKey(key)), List.of(side)));
        if (r instanceof Failure f) {
            return new PopResult(null, f.err());
        }
        if (r == Null.NULL) {
            return new PopResult(null, null);
        }
        String s = new String(((Response) r).toBytes(), StandardCharsets.ISO_8859_1);
        return new PopResult(decode(s.substring(0, 1), s.substring(1).getBytes(StandardCharsets.ISO_8859_1)), null);
    }

    @Override
    public ListResult llen(String key) {
        String err = badKey(key);
        if (err != null) {
            return new ListResult(null, err);
        }
        Object r = result(eval(LLEN, List.of(redisKey(key)), List.of()));
        if (r instanceof Failure f) {
            return new ListResult(null, f.err());
        }
        return new ListResult(((Response) r).toLong(), null);
    }

    @Override
    public TtlResult ttl(String key) {
        String err = badKey(key);
        if (err != null) {
            return new TtlResult(null, err);
        }
        Object r = result(command(Request.cmd(Command.PTTL).arg(bytes(redisKey(key)))));
        if (r instanceof Failure f) {
            return new TtlResult(null, f.err());
        }
        long ms = ((Response) r).toLong();
        if (ms == -2) {
            return new TtlResult(null, "not found");
        }
        return new TtlResult(ms < 0 ? 0.0 : ms / 1000.0, null);
    }

    @Override
    public StoreResult expire(String key, double exptime) {
        String err = badKey(key);
        if (err != null) {
            return StoreResult.error(err);
        }
        long ttl = ttlMillis(exptime);
        if (ttl < 0) {
            return StoreResult.error("bad exptime");
        }
        Object r = result(eval(EXPIRE, List.of(redisKey(key)), List.of(Long.toString(ttl))));
        if (r instanceof Failure f) {
            return StoreResult.error(f.err());
        }
        return "OK".equals(r.toString()) ? StoreResult.OK : StoreResult.error(r.toString());
    }

    @Override
    public void flushAll() {
        List<String> keys = scan(0);
        for (int i = 0; i < keys.size(); i += 500) {
            Request del = Request.cmd(Command.UNLINK);
            keys.subList(i, Math.min(keys.size(), i + 500)).forEach(k -> del.arg(bytes(redisKey(k))));
            result(command(del));
        }
    }

    @Override
    public int flushExpired(int maxCount) {
        return 0; // Redis removes expired keys itself
    }

    @Override
    public List<String> getKeys(int maxCount) {
        return scan(maxCount);
    }

    private List<String> scan(int max) {
        List<String> keys = new ArrayList<>();
        String cursor = "0";
        do {
            Object r = result(command(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(bytes(globEscape(prefix) + "*"))
                    .arg("COUNT").arg(1000)));
            if (!(r instanceof Response resp)) {
                return keys;
            }
            cursor = resp.get(0).toString();
            for (Response k : resp.get(1)) {
                keys.add(new String(k.toBytes(), StandardCharsets.ISO_8859_1).substring(prefix.length()));
                if (max > 0 && keys.size() >= max) {
                    return keys;
                }
            }
        } while (!"0".equals(cursor));
        return keys;
    }

    @Override
    public long evictions() {
        return 0;
    }

    // ------------------------------------------------------------------------------------------ encoding

    /** {type, value text} of a storable value, or null. */
    private static String[] encode(Object value) {
        return switch (value) {
            case String s -> new String[] {"s", s};
            case byte[] b -> new String[] {"s", new String(b, StandardCharsets.ISO_8859_1)};
            case Boolean b -> new String[] {"b", b ? "1" : "0"};
            case Number n -> new String[] {"n", number(n.doubleValue())};
            case null, default -> null;
        };
    }

    private static Object decode(String type, byte[] v) {
        String s = new String(v, StandardCharsets.ISO_8859_1);
        return switch (type) {
            case "n" -> Double.parseDouble(s);
            case "b" -> "1".equals(s);
            default -> s;
        };
    }

    /** A double as Redis (and Lua's tonumber) reads it back exactly. */
    static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String badKey(String key) {
        if (key == null) {
            return "nil key";
        }
        if (key.isEmpty()) {
            return "empty key";
        }
        if (key.length() > 65535) {
            return "key too long";
        }
        return null;
    }

    private static long ttlMillis(double seconds) {
        if (!(seconds >= 0)) {
            return -1;
        }
        if (seconds == 0) {
            return 0;
        }
        return Math.max(1, (long) Math.min(seconds * 1000.0, 1e15));
    }

    private static String globEscape(String s) {
        return s.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    @Override
    public String toString() {
        return "RedisSharedDict[" + name + "]";
    }
}
