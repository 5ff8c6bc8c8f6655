package dev.resty4j.lua.lib;

import dev.resty4j.Phase;
import dev.resty4j.core.api.ArgsCodec;
import dev.resty4j.core.api.Base64Codec;
import dev.resty4j.core.api.Control;
import dev.resty4j.core.api.Hashing;
import dev.resty4j.core.api.Logging;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.api.NgxInfo;
import dev.resty4j.core.api.NgxTime;
import dev.resty4j.core.api.Output;
import dev.resty4j.core.api.ResponseHeaders;
import dev.resty4j.core.api.Sleep;
import dev.resty4j.core.api.SqlQuote;
import dev.resty4j.core.api.UriCodec;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.lua.LuaValues;
import dev.resty4j.lua.LuaWorkerVm;
import java.io.ByteArrayOutputStream;
import java.time.ZoneId;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The top of the {@code ngx} table: constants, output ({@code say}, {@code print}, {@code flush},
 * {@code eof}), control flow ({@code exit}, {@code redirect}, {@code exec}), {@code log}, {@code sleep},
 * time, encoding and hashing helpers, {@code ngx.worker}, {@code ngx.config}, and the per-request fields
 * ({@code ngx.ctx}, {@code ngx.status}, {@code ngx.headers_sent}) behind the table's metatable.
 */
public final class NgxBaseLib {

    /** {@code ngx.null}: a light userdata-like sentinel that prints as "null". */
    public static final LuaUserdata NULL = new LuaUserdata("ngx.null");

    private NgxBaseLib() {
    }

    public static void install(LuaWorkerVm vm, LuaTable ngx) {
        constants(ngx);
        ngx.set("null", NULL);

        ngx.set("say", new NgxFunction("say", a -> print(vm, a, true)));
        ngx.set("print", new NgxFunction("print", a -> print(vm, a, false)));
        ngx.set("flush", new NgxFunction("flush", a -> {
            String err = Output.flushing(vm.request());
            return err == null ? LuaValue.valueOf(1) : LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(err));
        }));
        ngx.set("eof", new NgxFunction("eof", a -> ok(Output.eof(vm.request()))));
        ngx.set("send_headers", new NgxFunction("send_headers", a -> {
            Output.sendHeaders(vm.request());
            return LuaValue.TRUE;
        }));
        ngx.set("exit", new NgxFunction("exit", a -> {
            RequestContext req = vm.request();
            Control.exit(req, a.checkint(1));
            throw LuaWorkerVm.exit();
        }));
        ngx.set("redirect", new NgxFunction("redirect", a -> {
            Control.redirect(vm.request(), LuaValues.str(a.arg1()), a.optint(2, 302));
            throw LuaWorkerVm.exit();
        }));
        ngx.set("exec", new NgxFunction("exec", a -> {
            if (a.narg() < 1 || a.narg() > 2) {
                throw new NgxApiException("expecting one or two arguments, but got " + a.narg());
            }
            String args = null;
            LuaValue la = a.arg(2);
            if (la.isstring()) {
                args = LuaValues.str(la);
            } else if (la.istable()) {
                args = ArgsCodec.encodeArgs(NgxReqLib.toJavaMap(la.checktable()));
            }
            Control.exec(vm.request(), LuaValues.str(a.arg1()), args);
            throw LuaWorkerVm.exit();
        }));
        ngx.set("log", new NgxFunction("log", a -> {
            int level = a.checkint(1);
            if (LogLevel.ofCode(level) == null) {
                throw new NgxApiException("bad log level: " + level);
            }
            if (!Logging.enabled(vm.request(), vm.worker().resty(), level)) {
                return LuaValue.NONE;
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 2; i <= a.narg(); i++) {
                LuaValue v = a.arg(i);
                switch (v.type()) {
                    case LuaValue.TSTRING -> sb.append(LuaValues.str(v));
                    case LuaValue.TNUMBER -> sb.append(LuaValues.number(v.todouble()));
                    case LuaValue.TNIL -> sb.append("nil");
                    case LuaValue.TBOOLEAN -> sb.append(v.toboolean() ? "true" : "false");
                    default -> {
                        if (v == NULL) {
                            sb.append("null");
                        } else {
                            LuaValue mt = v.getmetatable();
                            if (mt != null && !mt.get("__tostring").isnil()) {
                                sb.append(mt.get("__tostring").call(v).tojstring());
                            } else {
                                throw new NgxApiException("bad argument #" + (i - 1) + " to 'log' (expected table to have __tostring metamethod)");
                            }
                        }
                    }
                }
            }
            Logging.log(vm.worker().resty(), vm.request(), level, logPosition(vm), sb.toString());
            return LuaValue.NONE;
        }));
        ngx.set("sleep", new NgxFunction("sleep", a -> {
            Sleep.sleep(vm.worker(), vm.request(), a.checkdouble(1));
            return LuaValue.NONE;
        }));
        ngx.set("get_phase", new NgxFunction("get_phase", a -> {
            RequestContext req = vm.request();
            Phase p = req == null ? null : req.phase();
            return LuaValue.valueOf(p == null ? "init" : p.phaseName());
        }));

        time(vm, ngx);
        encoding(ngx);
        worker(vm, ngx);

        LuaTable mt = new LuaTable();
        mt.set("__index", new NgxFunction("ngx.__index", a -> {
            String k = a.arg(2).tojstring();
            RequestContext req = vm.request();
            return switch (k) {
                case "ctx" -> {
                    if (req == null) {
                        throw new NgxApiException("no request ctx found");
                    }
                    yield vm.ctx(req);
                }
                case "status" -> req == null || req.method() == null ? LuaValue.valueOf(0) : LuaValue.valueOf(ResponseHeaders.status(req));
                case "headers_sent" -> LuaValue.valueOf(req != null && req.headersSent());
                case "is_subrequest" -> LuaValue.valueOf(req != null && req.isSubrequest());
                default -> LuaValue.NIL;
            };
        }));
        mt.set("__newindex", new NgxFunction("ngx.__newindex", a -> {
            String k = a.arg(2).tojstring();
            RequestContext req = vm.request();
            switch (k) {
                case "ctx" -> {
                    if (req == null) {
                        throw new NgxApiException("no request ctx found");
                    }
                    req.engineCtx(LuaWorkerVm.CTX_SLOT, a.checktable(3));
                }
                case "status" -> ResponseHeaders.status(req, a.checkint(3));
                default -> a.arg1().checktable().rawset(a.arg(2), a.arg(3));
            }
            return LuaValue.NONE;
        }));
        ngx.setmetatable(mt);
    }

    /** The prefix of ngx.log and print lines: {@code [lua] content_by_lua(nginx.conf:12):3: f()}, as OpenResty writes it. */
    public static String logPosition(LuaWorkerVm vm) {
        String p = vm.hooks().position();
        return p == null ? "[lua]" : "[lua] " + p;
    }

    private static Varargs print(LuaWorkerVm vm, Varargs a, boolean newline) {
        if (a.narg() == 1 && a.arg1() instanceof LuaString one) {
            return printed(vm, oneString(vm, one, newline)); // ngx.say("..."): the common call, copied once
        }
        ByteArrayOutputStream out = new BudgetedOutput(vm.budget());
        String fn = newline ? "say" : "print";
        for (int i = 1; i <= a.narg(); i++) {
            LuaValues.flatten(a.arg(i), out, fn, i, NULL);
        }
        if (newline) {
            out.write('\n');
        }
        return printed(vm, out.toByteArray());
    }

    private static byte[] oneString(LuaWorkerVm vm, LuaString s, boolean newline) {
        int n = s.m_length + (newline ? 1 : 0);
        if (vm.budget() != null) {
            vm.budget().charge(n);
        }
        byte[] bytes = new byte[n];
        System.arraycopy(s.m_bytes, s.m_offset, bytes, 0, s.m_length);
        if (newline) {
            bytes[n - 1] = '\n';
        }
        return bytes;
    }

    private static Varargs printed(LuaWorkerVm vm, byte[] bytes) {
        RequestContext req = vm.request();
        if (Output.print(req, bytes)) {
            return LuaValue.valueOf(1);
        }
        return LuaValue.varargsOf(LuaValue.NIL,
                LuaValue.valueOf(req.outputFilterFailed() ? "nginx output filter error" : "seen eof"));
    }

    /** The bytes ngx.say/ngx.print flatten, charged to the memory budget as they are produced (before they exist). */
    private static final class BudgetedOutput extends ByteArrayOutputStream {
        private final dev.resty4j.lua.ScriptBudget budget;

        BudgetedOutput(dev.resty4j.lua.ScriptBudget budget) {
            super(64);
            this.budget = budget;
        }

        @Override
        public void write(int b) {
            if (budget != null) {
                budget.charge(1);
            }
            super.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (budget != null) {
                budget.charge(len);
            }
            super.write(b, off, len);
        }
    }

    private static Varargs ok(boolean ok) {
        return ok ? LuaValue.valueOf(1) : LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("seen eof"));
    }

    private static void constants(LuaTable ngx) {
        dev.resty4j.core.api.NgxConstants.all().forEach(ngx::set);
    }

    private static void time(LuaWorkerVm vm, LuaTable ngx) {
        var resty = vm.worker().resty();
        ngx.set("now", new NgxFunction("now", a -> LuaValue.valueOf(resty.currentTimeMillis() / 1000.0)));
        ngx.set("time", new NgxFunction("time", a -> LuaValue.valueOf((double) (resty.currentTimeMillis() / 1000))));
        ngx.set("update_time", new NgxFunction("update_time", a -> LuaValue.NONE));
        ngx.set("today", new NgxFunction("today", a -> LuaValue.valueOf(NgxTime.today(resty.currentTimeMillis(), ZoneId.systemDefault()))));
        ngx.set("localtime", new NgxFunction("localtime", a -> LuaValue.valueOf(NgxTime.localtime(resty.currentTimeMillis(), ZoneId.systemDefault()))));
        ngx.set("utctime", new NgxFunction("utctime", a -> LuaValue.valueOf(NgxTime.utctime(resty.currentTimeMillis()))));
        ngx.set("http_time", new NgxFunction("http_time", a -> LuaValue.valueOf(NgxTime.httpTime((long) a.checkdouble(1)))));
        ngx.set("cookie_time", new NgxFunction("cookie_time", a -> LuaValue.valueOf(NgxTime.cookieTime((long) a.checkdouble(1)))));
        ngx.set("parse_http_time", new NgxFunction("parse_http_time", a -> {
            Long t = NgxTime.parseHttpTime(LuaValues.bytes(a.arg1()));
            return t == null ? LuaValue.NIL : LuaValue.valueOf((double) t);
        }));
    }

    private static void encoding(LuaTable ngx) {
        ngx.set("escape_uri", new NgxFunction("escape_uri", a -> {
            int type = a.optint(2, UriCodec.ESCAPE_URI_COMPONENT);
            if (!UriCodec.isValidType(type)) {
                throw new NgxApiException("\"type\" " + type + " out of range");
            }
            return LuaValues.lbytes(UriCodec.escapeUri(strArg(a, 1), type));
        }));
        ngx.set("unescape_uri", new NgxFunction("unescape_uri", a -> LuaValues.lbytes(UriCodec.unescapeUri(strArg(a, 1)))));
        ngx.set("encode_args", new NgxFunction("encode_args", a -> {
            try {
                return LuaValue.valueOf(ArgsCodec.encodeArgs(NgxReqLib.toJavaMap(a.checktable(1))).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            } catch (IllegalArgumentException e) {
                throw new NgxApiException(e.getMessage());
            }
        }));
        ngx.set("decode_args", new NgxFunction("decode_args", a -> {
            ArgsCodec.DecodedArgs d = ArgsCodec.decodeArgs(LuaValues.str(a.arg1()), a.optint(2, 100));
            LuaTable t = NgxReqLib.toLuaTable(d.args());
            return d.truncated() ? LuaValue.varargsOf(t, LuaValue.valueOf("truncated")) : t;
        }));
        ngx.set("encode_base64", new NgxFunction("encode_base64", a ->
                LuaValues.lbytes(Base64Codec.encodeBase64(strArg(a, 1), a.optboolean(2, false)))));
        ngx.set("decode_base64", new NgxFunction("decode_base64", a -> {
            if (a.arg1().type() != LuaValue.TSTRING) {
                throw new NgxApiException("string argument only"); // numbers too, as resty.core's decode_base64
            }
            byte[] r = Base64Codec.decodeBase64(LuaValues.bytes(a.arg1()));
            return r == null ? LuaValue.NIL : LuaValues.lbytes(r);
        }));
        ngx.set("md5", new NgxFunction("md5", a -> LuaValue.valueOf(Hashing.md5Hex(strArg(a, 1)))));
        ngx.set("md5_bin", new NgxFunction("md5_bin", a -> LuaValues.lbytes(Hashing.md5(strArg(a, 1)))));
        ngx.set("sha1_bin", new NgxFunction("sha1_bin", a -> LuaValues.lbytes(Hashing.sha1(strArg(a, 1)))));
        ngx.set("hmac_sha1", new NgxFunction("hmac_sha1", a -> LuaValues.lbytes(Hashing.hmacSha1(strArg(a, 1), strArg(a, 2)))));
        ngx.set("crc32_short", new NgxFunction("crc32_short", a -> LuaValue.valueOf((double) Hashing.crc32Short(strArg(a, 1)))));
        ngx.set("crc32_long", new NgxFunction("crc32_long", a -> LuaValue.valueOf((double) Hashing.crc32Long(strArg(a, 1)))));
        ngx.set("quote_sql_str", new NgxFunction("quote_sql_str", a -> LuaValues.lbytes(SqlQuote.quoteSqlStr(strArg(a, 1)))));
    }

    /** A string argument; numbers are converted and nil becomes "" as OpenResty's C functions do. */
    static byte[] strArg(Varargs a, int i) {
        LuaValue v = a.arg(i);
        if (v.isnil()) {
            return new byte[0];
        }
        if (v.isnumber()) {
            return LuaValues.number(v.todouble()).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        if (!(v instanceof LuaString)) {
            throw new NgxApiException("bad argument #" + i + " (string expected, got " + v.typename() + ")");
        }
        return LuaValues.bytes(v);
    }

    private static void worker(LuaWorkerVm vm, LuaTable ngx) {
        var resty = vm.worker().resty();
        long pid = ProcessHandle.current().pid();
        LuaTable w = new LuaTable();
        w.set("pid", new NgxFunction("pid", a -> LuaValue.valueOf((double) pid)));
        w.set("id", new NgxFunction("id", a -> LuaValue.valueOf(vm.worker().id())));
        w.set("count", new NgxFunction("count", a -> LuaValue.valueOf(resty.workerCount())));
        w.set("exiting", new NgxFunction("exiting", a -> LuaValue.valueOf(vm.worker().exiting())));
        w.set("pids", new NgxFunction("pids", a -> {
            LuaTable t = new LuaTable();
            for (int i = 0; i < resty.workerCount(); i++) {
                t.set(i + 1, LuaValue.valueOf((double) pid));
            }
            return t;
        }));
        ngx.set("worker", w);
        LuaTable cfg = new LuaTable();
        cfg.set("subsystem", "http");
        cfg.set("debug", LuaValue.FALSE);
        cfg.set("nginx_version", NgxInfo.NGINX_VERSION_NUMBER);
        cfg.set("ngx_lua_version", NgxInfo.NGX_LUA_VERSION);
        cfg.set("nginx_configure", new NgxFunction("nginx_configure", a -> LuaValue.valueOf("")));
        cfg.set("prefix", new NgxFunction("prefix", a -> LuaValue.valueOf(System.getProperty("user.dir") + "/")));
        // no is_console: only resty-cli's console sets it; nginx's ngx.config has exactly the six above
        ngx.set("config", cfg);
    }

}
