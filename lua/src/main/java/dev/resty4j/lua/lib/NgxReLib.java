package dev.resty4j.lua.lib;

import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.regex.Captures;
import dev.resty4j.core.regex.NgxRegex;
import dev.resty4j.core.regex.RegexCompileException;
import dev.resty4j.lua.LuaValues;
import dev.resty4j.lua.LuaWorkerVm;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code ngx.re} ({@code match}, {@code find}, {@code gmatch}, {@code sub}, {@code gsub}) and
 * lua-resty-core's {@code require "ngx.re"} module ({@code split}, {@code opt}). The semantics are
 * {@link NgxRegex}'s; this class converts arguments the way lua-resty-core does (the subject goes
 * through {@code tostring}, {@code ctx.pos} is read and updated) and builds the result tables,
 * slicing captures out of the subject's own bytes.
 */
public final class NgxReLib {

    private final NgxRegex core;
    /** Lua's {@code tostring} as installed (honours {@code __tostring}), kept as lua-resty-core keeps it. */
    private final LuaValue tostring;

    private NgxReLib(NgxRegex core, LuaValue tostring) {
        this.core = core;
        this.tostring = tostring;
    }

    public static void install(LuaWorkerVm vm, LuaTable ngx) {
        NgxReLib lib = new NgxReLib(NgxRegex.forWorker(vm.worker()), vm.globals().get("tostring"));
        LuaTable re = new LuaTable();
        re.set("match", new NgxFunction("match", lib::match));
        re.set("find", new NgxFunction("find", lib::find));
        re.set("gmatch", new NgxFunction("gmatch", lib::gmatch));
        re.set("sub", new NgxFunction("sub", a -> lib.sub(a, false, "sub")));
        re.set("gsub", new NgxFunction("gsub", a -> lib.sub(a, true, "gsub")));
        ngx.set("re", re);

        LuaTable module = new LuaTable();
        module.set("split", new NgxFunction("split", lib::split));
        module.set("opt", new NgxFunction("opt", a -> {
            lib.core.opt(LuaValues.str(a.arg1()));
            return LuaValue.NONE;
        }));
        LuaValue preload = vm.globals().get("package").get("preload");
        preload.set("ngx.re", new NgxFunction("ngx.re", a -> module));
    }

    private Varargs match(Varargs a) {
        LuaString subject = subject(a.arg(1));
        LuaTable ctx = ctx(a.arg(4), "match");
        LuaValue res = a.arg(5);
        if (!res.isnil() && !res.istable()) {
            throw new NgxApiException("bad argument #5 to 'match' (table expected, got " + res.typename() + ")");
        }
        NgxRegex.MatchResult r = core.match(LuaValues.str(subject), pattern(a.arg(2), "match"), opts(a.arg(3), 3, "match"),
                start(ctx, "match"));
        if (r.error() != null) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValues.lstr(r.error()));
        }
        if (r.captures() == null) {
            return LuaValue.NIL;
        }
        if (ctx != null) {
            ctx.set("pos", r.nextCtxPos());
        }
        return captures(r.captures(), subject, res.istable() ? (LuaTable) res : null);
    }

    private Varargs find(Varargs a) {
        LuaString subject = subject(a.arg(1));
        LuaTable ctx = ctx(a.arg(4), "find");
        int nth = a.arg(5).isnil() ? 0 : a.checkint(5);
        NgxRegex.FindResult r = core.find(LuaValues.str(subject), pattern(a.arg(2), "find"), opts(a.arg(3), 3, "find"),
                start(ctx, "find"), nth);
        if (ctx != null && r.ctxPos() > 0) {
            ctx.set("pos", r.ctxPos());
        }
        if (r.error() != null) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.NIL, LuaValues.lstr(r.error()));
        }
        if (r.from() == 0) {
            return r.ctxPos() > 0 ? LuaValue.varargsOf(LuaValue.NIL, LuaValue.NIL) : LuaValue.NIL;
        }
        return LuaValue.varargsOf(LuaValue.valueOf(r.from()), LuaValue.valueOf(r.to()));
    }

    private Varargs gmatch(Varargs a) {
        LuaString subject = subject(a.arg(1));
        NgxRegex.Gmatch it;
        try {
            it = core.gmatch(LuaValues.str(subject), pattern(a.arg(2), "gmatch"), opts(a.arg(3), 3, "gmatch"));
        } catch (RegexCompileException e) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValues.lstr(e.getMessage()));
        }
        return new NgxFunction("gmatch_iterator", x -> {
            NgxRegex.MatchResult r = it.next();
            if (r.error() != null) {
                return LuaValue.varargsOf(LuaValue.NIL, LuaValues.lstr(r.error()));
            }
            return r.captures() == null ? LuaValue.NIL : captures(r.captures(), subject, null);
        });
    }

    private Varargs sub(Varargs a, boolean global, String fn) {
        LuaString subject = subject(a.arg(1));
        String regex = pattern(a.arg(2), fn);
        LuaValue replace = a.arg(3);
        String opts = opts(a.arg(4), 4, fn);
        NgxRegex.SubResult r;
        if (replace.isfunction()) {
            r = core.sub(LuaValues.str(subject), regex,
                    c -> LuaValues.str(luaString(replace.call(captures(c, subject, null)))), opts, global);
        } else {
            r = core.sub(LuaValues.str(subject), regex, LuaValues.str(luaString(replace)), opts, global);
        }
        if (r.error() != null) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.NIL, LuaValues.lstr(r.error()));
        }
        // an unchanged subject is returned as the very same string
        LuaValue result = r.count() == 0 ? subject : LuaValues.lstr(r.result());
        return LuaValue.varargsOf(result, LuaValue.valueOf(r.count()));
    }

    private Varargs split(Varargs a) {
        LuaString subject = subject(a.arg(1));
        LuaTable ctx = a.arg(4).isnil() ? null : a.checktable(4);
        int max = a.arg(5).isnil() ? 0 : a.checkint(5);
        LuaValue res = a.arg(6);
        if (!res.isnil() && !res.istable()) {
            throw new NgxApiException("res is not a table");
        }
        int pos = 1;
        if (ctx != null && !ctx.get("pos").isnil()) {
            pos = ctx.get("pos").checkint();
        }
        NgxRegex.SplitResult r = core.split(LuaValues.str(subject), pattern(a.arg(2), "split"), opts(a.arg(3), 3, "split"),
                pos, max);
        if (ctx != null) {
            ctx.set("pos", r.ctxPos());
        }
        if (r.error() != null) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValues.lstr(r.error()));
        }
        LuaTable t = res.istable() ? (LuaTable) res : new LuaTable(r.parts().size(), 0);
        List<String> parts = r.parts();
        for (int k = 0; k < parts.size(); k++) {
            t.set(k + 1, LuaValues.lstr(parts.get(k)));
        }
        // a reused table: clear the slots this call wrote before dropping trailing empty pieces, and one more
        for (int k = parts.size() + 1; k <= Math.max(r.slots(), parts.size()) + 1; k++) {
            t.set(k, LuaValue.NIL);
        }
        return t;
    }

    // ---------------------------------------------------------------------------------------------

    /** The capture table: {@code [0..n]} as strings or {@code false}, plus the named captures. */
    private static LuaTable captures(Captures c, LuaString subject, LuaTable reuse) {
        int n = c.groupCount();
        Map<String, Object> named = c.named();
        LuaTable t = reuse != null ? reuse : new LuaTable(n, named.size() + 1);
        for (int g = 0; g <= n; g++) {
            int s = c.start(g);
            t.set(g, s < 0 ? LuaValue.FALSE : subject.substring(s, c.end(g)));
        }
        named.forEach((name, v) -> t.set(name, toLua(v)));
        return t;
    }

    private static LuaValue toLua(Object v) {
        if (v instanceof String s) {
            return LuaValues.lstr(s);
        }
        if (v instanceof List<?> list) {
            LuaTable arr = new LuaTable(list.size(), 0);
            for (int k = 0; k < list.size(); k++) {
                arr.set(k + 1, LuaValues.lstr((String) list.get(k)));
            }
            return arr;
        }
        return LuaValue.FALSE;
    }

    /** lua-resty-core passes the subject (and a replacement that is not a function) through {@code tostring}. */
    private LuaString subject(LuaValue v) {
        return luaString(v);
    }

    private LuaString luaString(LuaValue v) {
        return v.type() == LuaValue.TSTRING ? (LuaString) v : tostring.call(v).checkstring();
    }

    private static String pattern(LuaValue v, String fn) {
        if (!v.isstring()) {
            throw new NgxApiException("bad argument #2 to '" + fn + "' (string expected, got " + v.typename() + ")");
        }
        return LuaValues.str(v);
    }

    private static String opts(LuaValue v, int arg, String fn) {
        if (v.isnil()) {
            return null;
        }
        if (!v.isstring()) {
            throw new NgxApiException("bad argument #" + arg + " to '" + fn + "' (string expected, got " + v.typename() + ")");
        }
        return LuaValues.str(v);
    }

    private static LuaTable ctx(LuaValue v, String fn) {
        if (v.isnil()) {
            return null;
        }
        if (!v.istable()) {
            throw new NgxApiException("bad argument #4 to '" + fn + "' (table expected, got " + v.typename() + ")");
        }
        return (LuaTable) v;
    }

    /** The start offset from {@code ctx.pos}. */
    private static int start(LuaTable ctx, String fn) {
        if (ctx == null) {
            return 0;
        }
        LuaValue pos = ctx.get("pos");
        if (pos.isnil()) {
            return 0;
        }
        if (pos.type() != LuaValue.TNUMBER) {
            throw new NgxApiException("bad argument #4 to '" + fn + "' (bad pos field type in the ctx table argument: "
                    + pos.typename() + ")");
        }
        return NgxRegex.startOffset(pos.todouble());
    }
}
