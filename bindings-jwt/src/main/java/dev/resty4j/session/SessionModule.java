package dev.resty4j.session;

import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.spi.NativeCall;
import dev.resty4j.spi.NativeFunction;
import dev.resty4j.spi.NativeModule;
import dev.resty4j.spi.NativeResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code resty4j.native.session}: the functions behind {@code resty.session} (glue:
 * {@code resty4j/lua/resty/session.lua}). Sessions are handles; data crosses as neutral tables.
 *
 * <pre>
 * new(config)           -> session
 * open(s)               -> data | nil, err
 * save(s, data)         -> true | nil, err
 * touch(s)              -> true | nil, err
 * refresh(s, data)      -> refreshed | nil, err
 * logout(s) / destroy(s)-> true | nil, err
 * set(s, field, value) / get(s, field)   (field: audience | subject | remember | exists)
 * property(s, name)     -> id | audience | subject | timeout | idling-timeout | ...
 * </pre>
 */
public final class SessionModule implements NativeModule {

    @Override
    public String name() {
        return "session";
    }

    @Override
    public Map<String, NativeFunction> functions() {
        Map<String, NativeFunction> f = new LinkedHashMap<>();
        f.put("new", (call, a) -> new Session(call.resty(), SessionConfig.of(a.length > 0 && a[0] instanceof Map<?, ?> m ? m : Map.of())));
        f.put("open", (call, a) -> {
            Object[] r = session(a).open(request(call));
            return NativeResult.of(r[0], r[1]);
        });
        f.put("save", (call, a) -> result(session(a).save(request(call), a.length > 1 ? a[1] : null)));
        f.put("touch", (call, a) -> result(session(a).touch(request(call))));
        f.put("refresh", (call, a) -> {
            Object[] r = session(a).refresh(request(call), a.length > 1 ? a[1] : null);
            return NativeResult.of(r[0], r[1]);
        });
        f.put("logout", (call, a) -> result(session(a).logout(request(call))));
        f.put("destroy", (call, a) -> result(session(a).destroy(request(call))));
        f.put("set", (call, a) -> {
            Session s = session(a);
            Object v = a.length > 2 ? a[2] : null;
            switch (String.valueOf(a.length > 1 ? a[1] : null)) {
                case "audience" -> {
                    if (!(v instanceof String str)) {
                        throw new NgxApiException("audience must be a string");
                    }
                    s.audience(str);
                }
                case "subject" -> s.subject(v instanceof String str ? str : null);
                case "remember" -> s.remember(Boolean.TRUE.equals(v));
                default -> throw new NgxApiException("unknown session field");
            }
            return null;
        });
        f.put("get", (call, a) -> {
            Session s = session(a);
            return switch (String.valueOf(a.length > 1 ? a[1] : null)) {
                case "audience" -> s.audience();
                case "subject" -> s.subject();
                case "remember" -> s.remember();
                case "exists" -> s.exists();
                default -> throw new NgxApiException("unknown session field");
            };
        });
        f.put("property", (call, a) -> session(a).property(String.valueOf(a.length > 1 ? a[1] : null)));
        return f;
    }

    private static Session session(Object[] a) {
        if (a.length > 0 && a[0] instanceof Session s) {
            return s;
        }
        throw new NgxApiException("bad argument #1 (session expected)");
    }

    private static RequestContext request(NativeCall call) {
        RequestContext r = call.request();
        if (r == null) {
            throw new NgxApiException("resty.session needs a request (not available in this context)");
        }
        return r;
    }

    private static Object result(String err) {
        return err == null ? Boolean.TRUE : NativeResult.error(err);
    }
}
