package dev.resty4j.redis;

import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.spi.NativeCall;
import dev.resty4j.spi.NativeFunction;
import dev.resty4j.spi.NativeHandle;
import dev.resty4j.spi.NativeModule;
import dev.resty4j.spi.NativeNull;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code resty4j.native.redis}: the functions behind {@code resty.redis}, over {@link RedisSession}. Each
 * takes the session handle first; the Lua glue ({@code resty4j/lua/resty/redis.lua}) gives them the
 * method syntax of lua-resty-redis.
 */
public final class RedisModule implements NativeModule {

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public Map<String, NativeFunction> functions() {
        Map<String, NativeFunction> f = new HashMap<>();
        f.put("new", (call, a) -> new RedisSession(RedisBinding.of(call.resty()), call.worker()));
        f.put("set_timeout", (call, a) -> {
            session(a).setTimeout(millis(a, 1, "set_timeout"));
            return null;
        });
        f.put("set_timeouts", (call, a) -> {
            session(a).setTimeouts(millis(a, 1, "set_timeouts"), millis(a, 2, "set_timeouts"), millis(a, 3, "set_timeouts"));
            return null;
        });
        f.put("connect", RedisModule::connect);
        f.put("command", (call, a) -> {
            if (a.length < 2 || !(a[1] instanceof String name)) {
                throw new NgxApiException("bad command name");
            }
            return session(a).command(name, Arrays.copyOfRange(a, 2, a.length));
        });
        f.put("init_pipeline", (call, a) -> {
            session(a).initPipeline();
            return null;
        });
        f.put("cancel_pipeline", (call, a) -> {
            session(a).cancelPipeline();
            return null;
        });
        f.put("commit_pipeline", (call, a) -> session(a).commitPipeline());
        f.put("read_reply", (call, a) -> session(a).readReply());
        f.put("set_keepalive", (call, a) -> session(a).setKeepalive(
                arg(a, 1) == null ? null : (long) number(a, 1, "set_keepalive"),
                arg(a, 2) == null ? null : (int) number(a, 2, "set_keepalive")));
        f.put("get_reused_times", (call, a) -> session(a).getReusedTimes());
        f.put("close", (call, a) -> session(a).close());
        return f;
    }

    private static Object connect(NativeCall call, Object[] a) {
        RedisSession s = session(a);
        Object host = arg(a, 1);
        if (!(host instanceof String h)) {
            throw new NgxApiException("bad argument #1 host: string expected, got " + luaType(host));
        }
        Object second = arg(a, 2);
        Object opts;
        int port = 0;
        if (h.startsWith("unix:")) {
            if (second != null && !isTable(second)) {
                throw new NgxApiException("bad argument #2 opts: nil or table expected, got " + luaType(second));
            }
            opts = second;
        } else {
            port = port(second);
            opts = arg(a, 3);
            if (opts != null && !isTable(opts)) {
                throw new NgxApiException("bad argument #3 opts: nil or table expected, got " + luaType(opts));
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> table = opts instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        return s.connect(h, port, RedisSession.ConnectOptions.from(table));
    }

    private static int port(Object v) {
        if (v instanceof Number n) {
            return n.intValue();
        }
        if (v instanceof String str) {
            try {
                return (int) Double.parseDouble(str.trim());
            } catch (NumberFormatException e) {
                // falls through to the error
            }
        }
        throw new NgxApiException("bad argument #2 port: number expected, got " + luaType(v));
    }

    private static RedisSession session(Object[] a) {
        if (a.length > 0 && a[0] instanceof RedisSession s) {
            return s;
        }
        throw new NgxApiException("not initialized");
    }

    private static Object arg(Object[] a, int i) {
        return i < a.length ? a[i] : null;
    }

    private static double number(Object[] a, int i, String fn) {
        Object v = arg(a, i);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                // falls through
            }
        }
        throw new NgxApiException("bad argument #" + i + " to '" + fn + "' (number expected, got " + luaType(v) + ")");
    }

    private static long millis(Object[] a, int i, String fn) {
        return arg(a, i) == null ? 0 : (long) number(a, i, fn);
    }

    private static boolean isTable(Object v) {
        return v instanceof Map<?, ?> || v instanceof List<?>;
    }

    static String luaType(Object v) {
        if (v == null) {
            return "nil";
        }
        if (v instanceof Number) {
            return "number";
        }
        if (v instanceof String || v instanceof byte[]) {
            return "string";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        if (isTable(v)) {
            return "table";
        }
        if (v == NativeNull.NULL || v instanceof NativeHandle) {
            return "userdata";
        }
        return v.getClass().getSimpleName();
    }
}
