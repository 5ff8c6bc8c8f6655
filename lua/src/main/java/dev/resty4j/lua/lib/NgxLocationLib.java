package dev.resty4j.lua.lib;

import dev.resty4j.core.api.ArgsCodec;
import dev.resty4j.core.api.HttpMethods;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.api.Subrequests;
import dev.resty4j.core.request.Headers;
import dev.resty4j.lua.LuaValues;
import dev.resty4j.lua.LuaWorkerVm;
import java.util.LinkedHashMap;
import java.util.Map;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** {@code ngx.location.capture} and {@code ngx.location.capture_multi}. */
public final class NgxLocationLib {

    private NgxLocationLib() {
    }

    public static void install(LuaWorkerVm vm, LuaTable ngx) {
        LuaTable location = new LuaTable();
        location.set("capture", new NgxFunction("capture", a -> capture(vm, a.arg1(), a.arg(2))));
        location.set("capture_multi", new NgxFunction("capture_multi", a -> {
            LuaTable reqs = a.checktable(1);
            int n = reqs.length();
            if (n == 0) {
                throw new NgxApiException("at least one subrequest should be specified");
            }
            LuaValue[] out = new LuaValue[n];
            for (int i = 1; i <= n; i++) {
                LuaTable spec = reqs.get(i).checktable();
                out[i - 1] = capture(vm, spec.get(1), spec.get(2));
            }
            return LuaValue.varargsOf(out);
        }));
        ngx.set("location", location);
    }

    private static LuaTable capture(LuaWorkerVm vm, LuaValue uri, LuaValue options) {
        String method = null;
        String args = null;
        byte[] body = null;
        Map<String, String> vars = null;
        boolean copy = false;
        boolean share = false;
        LuaTable ctx = null;
        Map<String, String> headers = null;
        if (options.istable()) {
            LuaTable o = options.checktable();
            LuaValue m = o.get("method");
            if (!m.isnil()) {
                method = HttpMethods.name(m.checkint());
            }
            LuaValue la = o.get("args");
            if (la.istable()) {
                args = ArgsCodec.encodeArgs(NgxReqLib.toJavaMap(la.checktable()));
            } else if (!la.isnil()) {
                args = LuaValues.scalar(la);
            }
            LuaValue b = o.get("body");
            if (!b.isnil()) {
                body = LuaValues.bytes(b);
            }
            LuaValue v = o.get("vars");
            if (v.istable()) {
                vars = new LinkedHashMap<>();
                LuaValue k = LuaValue.NIL;
                while (true) {
                    Varargs next = v.checktable().next(k);
                    k = next.arg1();
                    if (k.isnil()) {
                        break;
                    }
                    vars.put(LuaValues.scalar(k), LuaValues.scalar(next.arg(2)));
                }
            }
            LuaValue hs = o.get("headers");
            if (hs.istable()) {
                headers = new LinkedHashMap<>();
                LuaValue k = LuaValue.NIL;
                while (true) {
                    Varargs next = hs.checktable().next(k);
                    k = next.arg1();
                    if (k.isnil()) {
                        break;
                    }
                    headers.put(LuaValues.scalar(k), LuaValues.scalar(next.arg(2)));
                }
            } else if (!hs.isnil()) {
                throw new NgxApiException("Bad headers option value type " + hs.typename() + ", expected a Lua table");
            }
            copy = o.get("copy_all_vars").toboolean();
            share = o.get("share_all_vars").toboolean();
            LuaValue c = o.get("ctx");
            if (c.istable()) {
                ctx = c.checktable();
            }
        } else if (!options.isnil()) {
            throw new NgxApiException("Bad options argument");
        }
        Subrequests.Result r = Subrequests.capture(vm.request(), LuaValues.str(uri),
                new Subrequests.Options(method, args, body, vars, copy, share, ctx, LuaWorkerVm.CTX_SLOT, headers));
        LuaTable res = new LuaTable();
        res.set("status", r.status());
        res.set("body", LuaValues.lbytes(r.body()));
        res.set("truncated", LuaValue.valueOf(r.truncated()));
        LuaTable header = new LuaTable();
        Headers h = r.headers();
        for (int i = 0; i < h.size(); i++) {
            LuaValue k = LuaValues.lstr(h.name(i));
            LuaValue val = LuaValues.lstr(h.value(i));
            LuaValue old = header.get(k);
            if (old.isnil()) {
                header.set(k, val);
            } else if (old.istable()) {
                old.checktable().insert(0, val);
            } else {
                LuaTable arr = new LuaTable();
                arr.insert(0, old);
                arr.insert(0, val);
                header.set(k, arr);
            }
        }
        res.set("header", header);
        return res;
    }
}
