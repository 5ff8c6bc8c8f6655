package dev.resty4j.lua.lib;

import dev.resty4j.core.api.ArgsCodec;
import dev.resty4j.core.api.Contexts;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.api.RequestBody;
import dev.resty4j.core.api.RequestHeaders;
import dev.resty4j.core.api.RequestLine;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.lua.LuaValues;
import dev.resty4j.lua.LuaWorkerVm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** {@code ngx.req.*}: request line, headers, URI and POST args, body. */
public final class NgxReqLib {

    private NgxReqLib() {
    }

    public static void install(LuaWorkerVm vm, LuaTable ngx) {
        LuaTable req = new LuaTable();
        req.set("get_headers", new NgxFunction("get_headers", a -> {
            int max = a.isnil(1) ? RequestHeaders.DEFAULT_MAX : a.checkint(1);
            boolean raw = a.optboolean(2, false);
            return NgxHeaderLib.headerTable(RequestHeaders.get(vm.request(), max, raw), raw);
        }));
        req.set("set_header", new NgxFunction("set_header", a -> {
            LuaValue v = a.arg(2);
            List<String> values = v.isnil() ? List.of() : LuaValues.stringList(v);
            RequestHeaders.set(vm.request(), LuaValues.str(a.arg1()), values);
            return LuaValue.NONE;
        }));
        req.set("clear_header", new NgxFunction("clear_header", a -> {
            RequestHeaders.clear(vm.request(), LuaValues.str(a.arg1()));
            return LuaValue.NONE;
        }));
        req.set("raw_header", new NgxFunction("raw_header", a ->
                LuaValues.lstr(RequestHeaders.raw(vm.request(), a.optboolean(1, false)))));
        req.set("get_method", new NgxFunction("get_method", a -> LuaValues.lstr(RequestLine.method(vm.request()))));
        req.set("set_method", new NgxFunction("set_method", a -> {
            LuaValue m = a.arg1();
            RequestLine.method(vm.request(), m.isnumber() ? dev.resty4j.core.api.HttpMethods.name(m.toint()) : LuaValues.str(m));
            return LuaValue.NONE;
        }));
        req.set("http_version", new NgxFunction("http_version", a -> LuaValue.valueOf(RequestLine.httpVersion(vm.request()))));
        req.set("start_time", new NgxFunction("start_time", a -> LuaValue.valueOf(RequestLine.startTime(vm.request()))));
        req.set("is_internal", new NgxFunction("is_internal", a -> LuaValue.valueOf(RequestLine.isInternal(vm.request()))));
        req.set("set_uri", new NgxFunction("set_uri", a -> {
            RequestLine.setUri(vm.request(), LuaValues.str(a.arg1()), a.optboolean(2, false));
            if (a.optboolean(2, false)) {
                throw LuaWorkerVm.exit();
            }
            return LuaValue.NONE;
        }));
        req.set("get_uri_args", new NgxFunction("get_uri_args", a -> {
            RequestContext r = vm.request();
            Contexts.requireRequest(r);
            int max = a.isnil(1) ? 100 : a.checkint(1);
            ArgsCodec.DecodedArgs d = ArgsCodec.decodeUriArgs(r.args() == null ? "" : r.args(), max);
            LuaTable t = toLuaTable(d.args());
            return d.truncated() ? LuaValue.varargsOf(t, LuaValue.valueOf("truncated")) : t;
        }));
        req.set("set_uri_args", new NgxFunction("set_uri_args", a -> {
            RequestContext r = vm.request();
            Contexts.requireRequest(r);
            LuaValue v = a.arg1();
            String args;
            try {
                args = v.istable() ? ArgsCodec.encodeArgs(toJavaMap(v.checktable())) : LuaValues.scalar(v);
            } catch (IllegalArgumentException e) {
                throw new NgxApiException(e.getMessage());
            }
            r.args(args.isEmpty() ? null : args);
            return LuaValue.NONE;
        }));
        req.set("get_post_args", new NgxFunction("get_post_args", a -> {
            RequestContext r = vm.request();
            Contexts.requireRequest(r);
            if (!r.bodyRead()) {
                throw new NgxApiException("request body not read yet; maybe you should call ngx.req.read_body() first");
            }
            if (r.bodyFile() != null) {
                return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("request body in temp file not supported"));
            }
            byte[] body = RequestBody.data(r);
            int max = a.isnil(1) ? 100 : a.checkint(1);
            ArgsCodec.DecodedArgs d = ArgsCodec.decodeArgs(body == null ? new byte[0] : body, max);
            LuaTable t = toLuaTable(d.args());
            return d.truncated() ? LuaValue.varargsOf(t, LuaValue.valueOf("truncated")) : t;
        }));
        req.set("read_body", new NgxFunction("read_body", a -> {
            RequestBody.read(vm.request());
            return LuaValue.NONE;
        }));
        req.set("discard_body", new NgxFunction("discard_body", a -> {
            RequestBody.discard(vm.request());
            return LuaValue.NONE;
        }));
        req.set("get_body_data", new NgxFunction("get_body_data", a -> {
            byte[] b = RequestBody.data(vm.request(), a.optint(1, 0));
            return b == null ? LuaValue.NIL : LuaValues.lbytes(b);
        }));
        req.set("get_body_file", new NgxFunction("get_body_file", a -> {
            String f = RequestBody.file(vm.request());
            return f == null ? LuaValue.NIL : LuaValue.valueOf(f);
        }));
        req.set("set_body_file", new NgxFunction("set_body_file", a -> {
            RequestBody.setFile(vm.request(), a.checkjstring(1), a.optboolean(2, false));
            return LuaValue.NONE;
        }));
        req.set("set_body_data", new NgxFunction("set_body_data", a -> {
            RequestBody.set(vm.request(), LuaValues.bytes(a.arg1()));
            return LuaValue.NONE;
        }));
        req.set("init_body", new NgxFunction("init_body", a -> {
            RequestBody.init(vm.request(), a.isnil(1) ? -1 : (long) a.checkdouble(1));
            return LuaValue.NONE;
        }));
        req.set("append_body", new NgxFunction("append_body", a -> {
            RequestBody.append(vm.request(), LuaValues.bytes(a.arg1()));
            return LuaValue.NONE;
        }));
        req.set("finish_body", new NgxFunction("finish_body", a -> {
            RequestBody.finish(vm.request());
            return LuaValue.NONE;
        }));
        ngx.set("req", req);
    }


    /** Decoded args (String / TRUE / List) as the Lua table OpenResty returns. */
    static LuaTable toLuaTable(Map<String, Object> args) {
        LuaTable t = new LuaTable();
        for (Map.Entry<String, Object> e : args.entrySet()) {
            t.set(LuaValues.lstr(e.getKey()), scalarToLua(e.getValue()));
        }
        return t;
    }

    private static LuaValue scalarToLua(Object v) {
        if (v instanceof Boolean b) {
            return LuaValue.valueOf(b);
        }
        if (v instanceof List<?> l) {
            LuaTable arr = new LuaTable();
            for (int i = 0; i < l.size(); i++) {
                arr.set(i + 1, scalarToLua(l.get(i)));
            }
            return arr;
        }
        return LuaValues.lstr(v.toString());
    }

    /** A Lua args table as the ordered Java map {@code ArgsCodec.encodeArgs} takes. */
    static Map<Object, Object> toJavaMap(LuaTable t) {
        Map<Object, Object> m = new LinkedHashMap<>();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            k = n.arg1();
            if (k.isnil()) {
                break;
            }
            // by type, not isstring()/isnumber(): LuaJ calls the string "1" a number, and decoded args have such keys
            Object key = k.type() == LuaValue.TSTRING ? LuaValues.str(k) : k.type() == LuaValue.TNUMBER ? (Object) k.todouble() : k.typename();
            m.put(key, toJava(n.arg(2)));
        }
        return m;
    }

    private static Object toJava(LuaValue v) {
        return switch (v.type()) {
            case LuaValue.TBOOLEAN -> v.toboolean();
            case LuaValue.TNUMBER -> v.todouble();
            case LuaValue.TSTRING -> LuaValues.str(v);
            case LuaValue.TTABLE -> {
                LuaTable t = v.checktable();
                java.util.ArrayList<Object> l = new java.util.ArrayList<>();
                for (int i = 1, n = t.length(); i <= n; i++) {
                    l.add(toJava(t.get(i)));
                }
                yield l;
            }
            default -> v.typename();
        };
    }
}
