package dev.resty4j.lua.lib;

import dev.resty4j.Phase;
import dev.resty4j.core.api.Contexts;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.api.Variables;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.lua.LuaValues;
import dev.resty4j.lua.LuaWorkerVm;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/** {@code ngx.var.NAME} (nginx variables) and {@code ngx.arg[i]} (set_by_lua arguments, body_filter chunk/eof). */
public final class NgxVarLib {

    private NgxVarLib() {
    }

    public static void install(LuaWorkerVm vm, LuaTable ngx) {
        LuaTable var = new LuaTable();
        LuaTable varMt = new LuaTable();
        varMt.set("__index", new NgxFunction("var.__index", a -> {
            RequestContext req = vm.request();
            Contexts.requireRequest(req);
            LuaValue k = a.arg(2);
            if (k.isnumber()) {
                String c = Variables.capture(req, k.toint());
                return c == null ? LuaValue.NIL : LuaValues.lstr(c);
            }
            if (!k.isstring()) {
                throw new NgxApiException("bad variable name");
            }
            String v = Variables.get(req, LuaValues.str(k));
            return v == null ? LuaValue.NIL : LuaValues.lstr(v);
        }));
        varMt.set("__newindex", new NgxFunction("var.__newindex", a -> {
            RequestContext req = vm.request();
            Contexts.requireRequest(req);
            LuaValue v = a.arg(3);
            if (a.arg(2).type() != LuaValue.TSTRING) {
                throw new NgxApiException("bad variable name");
            }
            Variables.set(req, LuaValues.str(a.arg(2)), v.isnil() ? null : LuaValues.scalar(v));
            return LuaValue.NONE;
        }));
        var.setmetatable(varMt);
        ngx.set("var", var);

        LuaTable arg = new LuaTable();
        LuaTable argMt = new LuaTable();
        argMt.set("__index", new NgxFunction("arg.__index", a -> {
            Object[] args = vm.phaseArgs();
            int i = a.arg(2).optint(0);
            if (args == null || i < 1 || i > args.length) {
                return LuaValue.NIL;
            }
            return toLua(args[i - 1]);
        }));
        argMt.set("__newindex", new NgxFunction("arg.__newindex", a -> {
            RequestContext req = vm.request();
            Object[] args = vm.phaseArgs();
            if (req == null || req.phase() != Phase.BODY_FILTER || args == null) {
                throw new NgxApiException("attempt to write to ngx.arg outside body_filter_by_lua*");
            }
            int i = a.arg(2).checkint();
            LuaValue v = a.arg(3);
            if (i == 1) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                if (!v.isnil()) {
                    LuaValues.flatten(v, out, "ngx.arg", 1, NgxBaseLib.NULL);
                }
                args[0] = out.toByteArray();
            } else if (i == 2) {
                args[1] = v.toboolean();
            }
            return LuaValue.NONE;
        }));
        argMt.set("__len", new NgxFunction("arg.__len", a -> LuaValue.valueOf(vm.phaseArgs() == null ? 0 : vm.phaseArgs().length)));
        arg.setmetatable(argMt);
        ngx.set("arg", arg);
    }

    static LuaValue toLua(Object o) {
        if (o == null) {
            return LuaValue.NIL;
        }
        if (o instanceof byte[] b) {
            return LuaValues.lbytes(b);
        }
        if (o instanceof Boolean b) {
            return LuaValue.valueOf(b);
        }
        if (o instanceof Number n) {
            return LuaValue.valueOf(n.doubleValue());
        }
        return LuaValues.lstr(o.toString());
    }
}
