package dev.resty4j.mysql;

import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.socket.SocketSettings;
import dev.resty4j.spi.NativeCall;
import dev.resty4j.spi.NativeFunction;
import dev.resty4j.spi.NativeModule;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code resty4j.native.mysql}: {@link MysqlSession} for every script engine. Each function takes the
 * session handle first; {@code resty/mysql.lua} gives it lua-resty-mysql's method syntax.
 */
public final class MysqlModule implements NativeModule {

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public Map<String, NativeFunction> functions() {
        return Map.ofEntries(
                Map.entry("new", (call, a) -> new MysqlSession(call.resty().vertx(), SocketSettings.of(call.resty(),
                        call.request() != null ? call.request().location() : null))),
                Map.entry("set_timeout", (call, a) -> {
                    session(call, a).setTimeout(arg(a, 1));
                    return null;
                }),
                Map.entry("set_compact_arrays", (call, a) -> {
                    session(call, a).setCompactArrays(arg(a, 1));
                    return null;
                }),
                Map.entry("connect", (call, a) -> {
                    if (!(arg(a, 1) instanceof Map<?, ?> opts)) {
                        throw new NgxApiException("bad argument #1 to 'connect' (table expected)");
                    }
                    return session(call, a).connect(call.worker(), call.request(), opts);
                }),
                Map.entry("set_keepalive", (call, a) -> session(call, a).setKeepalive(arg(a, 1), arg(a, 2))),
                Map.entry("get_reused_times", (call, a) -> session(call, a).reusedTimes()),
                Map.entry("close", (call, a) -> session(call, a).close()),
                Map.entry("server_ver", (call, a) -> session(call, a).serverVersion()),
                Map.entry("send_query", (call, a) -> session(call, a).sendQuery(sql(call, a))),
                Map.entry("read_result", (call, a) -> session(call, a).readResult()),
                Map.entry("query", (call, a) -> session(call, a).query(sql(call, a))),
                Map.entry("prepare", (call, a) -> session(call, a).prepare(sql(call, a))),
                Map.entry("execute", (call, a) -> session(call, a).execute(arg(a, 1), params(a))));
    }

    /** The functions that talk to the server or its pool: counted per name for the metrics. */
    private static final java.util.Set<String> OPERATIONS =
            java.util.Set.of("connect", "set_keepalive", "close", "send_query", "query", "prepare", "execute");

    private static MysqlSession session(NativeCall call, Object[] a) {
        if (OPERATIONS.contains(call.functionName())) {
            call.resty().cosocketMetrics().operation("mysql", call.functionName());
        }
        if (a.length > 0 && a[0] instanceof MysqlSession s) {
            return s;
        }
        throw new NgxApiException("bad argument #1 to '" + call.functionName() + "' (resty.mysql object expected)");
    }

    private static Object arg(Object[] a, int i) {
        return i < a.length ? a[i] : null;
    }

    /** The query text: a string, or a number as Lua would concatenate it. */
    private static String sql(NativeCall call, Object[] a) {
        Object q = arg(a, 1);
        if (q instanceof String s) {
            return s;
        }
        if (q instanceof Double d) {
            return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString(d.longValue()) : d.toString();
        }
        throw new NgxApiException("bad argument #1 to '" + call.functionName() + "' (string expected, got "
                + (q == null ? "nil" : q.getClass().getSimpleName()) + ")");
    }

    /** execute's parameters: everything after the statement id, nils included. */
    private static List<Object> params(Object[] a) {
        return a.length <= 2 ? List.of() : Arrays.asList(Arrays.copyOfRange(a, 2, a.length));
    }
}
