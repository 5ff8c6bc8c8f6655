package dev.resty4j.http.client;

import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.http.HttpRuntime;
import dev.resty4j.spi.NativeCall;
import dev.resty4j.spi.NativeFunction;
import dev.resty4j.spi.NativeModule;
import dev.resty4j.spi.NativeResult;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code resty4j.native.http}: {@link HttpClientApi} for script engines. The Lua glue
 * ({@code resty4j/lua/resty/http.lua}) builds lua-resty-http's API on it.
 */
public final class HttpModule implements NativeModule {

    @Override
    public String name() {
        return "http";
    }

    @Override
    public Map<String, Object> constants() {
        return Map.of("VERSION", HttpClientApi.VERSION, "USER_AGENT", HttpClientApi.USER_AGENT);
    }

    /** Counts the operation for the metrics, then gives the API (so each entry stays one expression). */
    private static HttpClientApi counted(NativeCall call, String operation) {
        call.resty().cosocketMetrics().operation("http", operation);
        return api(call);
    }

    @Override
    public Map<String, NativeFunction> functions() {
        Map<String, NativeFunction> f = new HashMap<>();
        f.put("new", (call, a) -> {
            RequestContext req = call.request();
            return api(call).newSession(HttpRuntime.of(call.resty()).socketSettings(call.resty(),
                    req == null ? null : req.location()));
        });
        f.put("set_timeout", (call, a) -> {
            api(call).setTimeout(session(a), millis(a, 1));
            return null;
        });
        f.put("set_timeouts", (call, a) -> {
            api(call).setTimeouts(session(a), optMillis(a, 1), optMillis(a, 2), optMillis(a, 3));
            return null;
        });
        f.put("connect", (call, a) -> counted(call, "connect").connect(call.worker().id(), owner(call), session(a), map(a, 1)));
        f.put("connect_legacy", (call, a) -> counted(call, "connect").connectLegacy(call.worker().id(), owner(call), session(a), str(a, 1),
                arg(a, 2), arg(a, 3) instanceof Map<?, ?> ? map(a, 3) : null));
        f.put("send_request", (call, a) -> counted(call, "request").sendRequest(session(a), map(a, 1), Boolean.TRUE.equals(arg(a, 2))));
        f.put("read_response", (call, a) -> api(call).readResponse(session(a), exchange(a, 1)));
        f.put("request", (call, a) -> counted(call, "request").request(session(a), map(a, 1)));
        f.put("read", (call, a) -> api(call).read(session(a), exchange(a, 1), arg(a, 2) instanceof Number n ? n.intValue() : null));
        f.put("read_all", (call, a) -> api(call).readAll(session(a), exchange(a, 1)));
        f.put("trailers", (call, a) -> api(call).trailers(exchange(a, 1)));
        f.put("write_body", (call, a) -> api(call).writeBody(session(a), exchange(a, 1), bytes(a, 2)));
        f.put("end_body", (call, a) -> api(call).endBody(session(a), exchange(a, 1)));
        f.put("set_keepalive", (call, a) -> counted(call, "set_keepalive").setKeepalive(session(a), optMillis(a, 1), optMillis(a, 2)));
        f.put("close", (call, a) -> counted(call, "close").close(session(a)));
        f.put("get_reused_times", (call, a) -> api(call).reusedTimes(session(a)));
        f.put("request_uri", (call, a) -> {
            RequestContext req = call.request();
            return counted(call, "request_uri").requestUri(call.worker().id(), owner(call), session(a), str(a, 1), map(a, 2),
                    req == null ? null : req.scheme(),
                    err -> call.resty().logger().log(LogLevel.ERR, req, err));
        });
        f.put("proxy_uri", (call, a) -> HttpClientApi.proxyUri(arg(a, 0), str(a, 1), str(a, 2)));
        f.put("parse_uri", (call, a) -> {
            RequestContext req = call.request();
            return HttpClientApi.parseUri(str(a, 0), !Boolean.FALSE.equals(arg(a, 1)), req == null ? null : req.scheme());
        });
        return Map.copyOf(f);
    }

    /**
     * The request or timer whose end closes connections a script leaves open: the worker's current
     * context, which timers have too (where {@link NativeCall#request()} is null).
     */
    private static RequestContext owner(NativeCall call) {
        return call.worker().current();
    }

    private static HttpClientApi api(NativeCall call) {
        return HttpRuntime.of(call.resty()).client();
    }

    private static Object arg(Object[] a, int i) {
        return i < a.length ? a[i] : null;
    }

    private static HttpSession session(Object[] a) {
        if (arg(a, 0) instanceof HttpSession s) {
            return s;
        }
        throw new NgxApiException("not initialized");
    }

    private static Exchange exchange(Object[] a, int i) {
        if (arg(a, i) instanceof Exchange e) {
            return e;
        }
        throw new NgxApiException("bad argument #" + (i + 1) + " (response expected)");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object[] a, int i) {
        Object v = arg(a, i);
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        return Map.of(); // nil or an empty table
    }

    private static String str(Object[] a, int i) {
        Object v = arg(a, i);
        if (v == null) {
            throw new NgxApiException("bad argument #" + (i + 1) + " (string expected, got nil)");
        }
        return HttpClientApi.scalar(v);
    }

    private static byte[] bytes(Object[] a, int i) {
        Object v = arg(a, i);
        return v instanceof byte[] b ? b : str(a, i).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static long millis(Object[] a, int i) {
        Long v = optMillis(a, i);
        if (v == null) {
            throw new NgxApiException("bad argument #" + (i + 1) + " (number expected, got nil)");
        }
        return v;
    }

    private static Long optMillis(Object[] a, int i) {
        return arg(a, i) instanceof Number n ? n.longValue() : null;
    }
}
