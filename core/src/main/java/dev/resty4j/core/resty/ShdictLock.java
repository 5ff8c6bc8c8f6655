package dev.resty4j.core.resty;

import dev.resty4j.SharedDict;
import java.lang.ref.Cleaner;
import java.util.function.DoubleConsumer;

/**
 * lua-resty-lock: a non-blocking lock on a key of a shared dict, for one holder object. {@code lock} adds the
 * key (value {@code true}, expiring after {@code exptime}); while another holder has it, it sleeps with
 * {@code ngx.sleep} semantics (the worker serves other requests meanwhile), starting at {@code step} seconds and
 * multiplying by {@code ratio} up to {@code max_step}, until {@code timeout} seconds have been slept.
 *
 * <p>As in the original, a holder that is garbage-collected while locked releases its key (lua-resty-lock
 * does that from its cdata's {@code __gc}); here a {@link Cleaner} does it.
 */
public final class ShdictLock {

    private static final Cleaner CLEANER = Cleaner.create(Thread.ofVirtual().factory());

    /** {@code ok_or_elapsed, err}: {@code value} null means failure with {@code err}. */
    public record Result(Object value, String err) {
        static Result ok(Object v) {
            return new Result(v, null);
        }

        static Result error(String err) {
            return new Result(null, err);
        }
    }

    /** Lock options after lua-resty-lock's defaults and clamping. */
    public record Options(double exptime, double timeout, double step, double ratio, double maxStep) {

        /**
         * From the {@code opts} table's fields (null when absent): exptime 30, timeout 5 (at most exptime),
         * step 0.001 (at most timeout when timeout is given), ratio 2, max_step 0.5.
         */
        public static Options of(Double exptime, Double timeout, Double step, Double ratio, Double maxStep) {
            double exp = exptime == null ? 30 : exptime;
            Double t = timeout;
            Double st = step;
            if (t != null) {
                t = Math.min(t, exp);
                if (st != null) {
                    st = Math.min(st, t);
                }
            }
            return new Options(exp, t == null ? 5 : t, st == null ? 0.001 : st, ratio == null ? 2 : ratio,
                    maxStep == null ? 0.5 : maxStep);
        }
    }

    /** The held key, shared with the cleaner so it never references the holder. */
    private static final class Held implements Runnable {
        final SharedDict dict;
        volatile String key;

        Held(SharedDict dict) {
            this.dict = dict;
        }

        @Override
        public void run() {
            String k = key;
            if (k != null) {
                key = null;
                dict.delete(k);
            }
        }
    }

    private final Options options;
    private final Held held;

    public ShdictLock(SharedDict dict, Options options) {
        this.options = options;
        this.held = new Held(dict);
        CLEANER.register(this, held);
    }

    /**
     * {@code lock(key)}: the seconds slept (0 when free at once), or err {@code "nil key"}, {@code "locked"}
     * (this holder already holds a key), {@code "timeout"}, or the dict's error.
     *
     * @param sleep {@code ngx.sleep} for the current context (suspends the fiber, or raises where sleeping
     *        is not allowed)
     */
    public Result lock(String key, DoubleConsumer sleep) {
        if (key == null) {
            return Result.error("nil key");
        }
        if (held.key != null) {
            return Result.error("locked");
        }
        String err = tryAdd(key);
        if (err == null) {
            return Result.ok(0.0);
        }
        if (!err.equals("exists")) {
            return Result.error(err);
        }
        double step = options.step();
        double timeout = options.timeout();
        double elapsed = 0;
        while (timeout > 0) {
            sleep.accept(step);
            elapsed += step;
            timeout -= step;
            err = tryAdd(key);
            if (err == null) {
                return Result.ok(elapsed);
            }
            if (!err.equals("exists")) {
                return Result.error(err);
            }
            if (timeout <= 0) {
                break;
            }
            step = Math.min(Math.min(Math.max(0.001, step * options.ratio()), timeout), options.maxStep());
        }
        return Result.error("timeout");
    }

    private String tryAdd(String key) {
        SharedDict.StoreResult r = held.dict.add(key, Boolean.TRUE, options.exptime(), 0);
        if (r.ok()) {
            held.key = key;
            return null;
        }
        return r.err();
    }

    /** {@code unlock()}: 1, or err {@code "unlocked"} when nothing is held. */
    public Result unlock() {
        String k = held.key;
        if (k == null) {
            return Result.error("unlocked");
        }
        SharedDict.StoreResult r = held.dict.delete(k);
        if (!r.ok()) {
            return Result.error(r.err());
        }
        held.key = null;
        return Result.ok(1.0);
    }

    /** {@code expire(timeout)}: renews the held key's expiry (null: the exptime option); true, or err. */
    public Result expire(Double seconds) {
        String k = held.key;
        if (k == null) {
            return Result.error("unlocked");
        }
        SharedDict.StoreResult r = held.dict.replace(k, Boolean.TRUE, seconds == null ? options.exptime() : seconds, 0);
        return r.ok() ? Result.ok(Boolean.TRUE) : Result.error(r.err());
    }
}
