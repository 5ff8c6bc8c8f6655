package dev.resty4j.js.api;

import dev.resty4j.core.api.ArgsCodec;
import dev.resty4j.core.api.Base64Codec;
import dev.resty4j.core.api.Control;
import dev.resty4j.core.api.Hashing;
import dev.resty4j.core.api.HttpMethods;
import dev.resty4j.core.api.Logging;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.api.NgxTime;
import dev.resty4j.core.api.Output;
import dev.resty4j.core.api.Sleep;
import dev.resty4j.core.api.SqlQuote;
import dev.resty4j.core.api.UriCodec;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.js.JsExit;
import dev.resty4j.js.JsValues;
import dev.resty4j.js.JsWorkerVm;
import java.io.ByteArrayOutputStream;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * The functions at the top of {@code ngx}: output ({@code say}, {@code print}, {@code flush}, {@code eof}),
 * control flow ({@code exit}, {@code redirect}, {@code exec}), {@code log}, {@code sleep}, time, encoding and
 * hashing. Names and semantics are lua-nginx-module's (from core); results follow the JS rule of the README.
 */
public final class NgxBase {

    private final JsWorkerVm vm;

    NgxBase(JsWorkerVm vm) {
        this.vm = vm;
    }

    // ------------------------------------------------------------------ output

    @HostAccess.Export
    public boolean say(Value... args) {
        return Output.print(vm.request(), flatten(args, true));
    }

    @HostAccess.Export
    public boolean print(Value... args) {
        return Output.print(vm.request(), flatten(args, false));
    }

    @HostAccess.Export
    public boolean flush(Value... ignored) {
        return Output.flush(vm.request());
    }

    @HostAccess.Export
    public boolean eof() {
        return Output.eof(vm.request());
    }

    @HostAccess.Export
    public boolean send_headers() {
        Output.sendHeaders(vm.request());
        return true;
    }

    /** Output bytes: strings as UTF-8, arrays flattened (as Lua tables are), other values as JS prints them. */
    static byte[] flatten(Value[] args, boolean newline) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        if (args == null) {
            out.writeBytes(JsValues.utf8("null")); // say(null): GraalJS passes a lone null as the varargs array
        }
        for (Value v : args == null ? new Value[0] : args) {
            append(out, v);
        }
        if (newline) {
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static void append(ByteArrayOutputStream out, Value v) {
        if (v.hasBufferElements() || v.getMetaObject() != null && "Uint8Array".equals(v.getMetaObject().getMetaSimpleName())) {
            out.writeBytes(JsValues.bytesOf(v));
            return;
        }
        if (v.hasArrayElements()) {
            for (long i = 0; i < v.getArraySize(); i++) {
                append(out, v.getArrayElement(i));
            }
            return;
        }
        out.writeBytes(JsValues.utf8(text(v)));
    }

    /** A value as {@code String(v)} prints it. */
    static String text(Value v) {
        if (v == null) {
            return "undefined";
        }
        if (v.isString()) {
            return v.asString();
        }
        if (v.isNumber()) {
            if (v.fitsInLong()) {
                return Long.toString(v.asLong());
            }
            double d = v.asDouble();
            return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e21 ? Long.toString((long) d) : v.toString();
        }
        return v.toString();
    }

    // ------------------------------------------------------------------ control

    @HostAccess.Export
    public Object exit(int status) {
        Control.exit(vm.request(), status);
        throw JsExit.INSTANCE;
    }

    @HostAccess.Export
    public Object redirect(Value... args) {
        Value uri = Args.at(args, 0);
        Value status = Args.at(args, 1);
        Control.redirect(vm.request(), JsValues.scalar(uri), status == null || status.isNull() ? 302 : status.asInt());
        throw JsExit.INSTANCE;
    }

    @HostAccess.Export
    public Object exec(Value... args) {
        Value uri = Args.at(args, 0);
        Value query = Args.at(args, 1);
        String a = null;
        if (query != null && query.isString()) {
            a = JsValues.toBytes(query.asString());
        } else if (query != null && query.hasMembers()) {
            a = ArgsCodec.encodeArgs(argsMap(query));
        }
        Control.exec(vm.request(), JsValues.scalar(uri), a);
        throw JsExit.INSTANCE;
    }

    static Map<Object, Object> argsMap(Value t) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (String k : t.getMemberKeys()) {
            m.put(JsValues.toBytes(k), argValue(t.getMember(k)));
        }
        return m;
    }

    private static Object argValue(Value v) {
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.hasArrayElements()) {
            java.util.List<Object> l = new java.util.ArrayList<>();
            for (long i = 0; i < v.getArraySize(); i++) {
                l.add(argValue(v.getArrayElement(i)));
            }
            return l;
        }
        return JsValues.scalar(v);
    }

    // ------------------------------------------------------------------ log, sleep, phase

    @HostAccess.Export
    public void log(int level, Value... parts) {
        if (LogLevel.ofCode(level) == null) {
            throw new NgxApiException("bad log level: " + level);
        }
        RequestContext req = vm.request();
        if (!Logging.enabled(req, vm.worker().resty(), level)) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (Value v : parts == null ? new Value[0] : parts) {
            sb.append(text(v));
        }
        Logging.log(vm.worker().resty(), req, level, "[js]", JsValues.toBytes(sb.toString()));
    }

    /** {@code ngx.sleep(s)}: a Promise resolved after {@code s} seconds (await it). */
    @HostAccess.Export
    public Value sleep(double seconds) {
        return vm.promiseOf(Sleep.delay(vm.worker(), vm.request(), seconds), null);
    }

    @HostAccess.Export
    public String get_phase() {
        RequestContext req = vm.request();
        return req == null || req.phase() == null ? "init" : req.phase().phaseName();
    }

    /**
     * {@code ngx.bytes(...parts)} (JS only): strings (as UTF-8) and byte arrays joined into one Uint8Array, for
     * binary keys such as {@code ngx.bytes('rl:', ngx.var.binary_remote_addr)}.
     */
    @HostAccess.Export
    public Value bytes(Value... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Value v : parts == null ? new Value[0] : parts) {
            out.writeBytes(JsValues.bytesOf(v));
        }
        return vm.newBytes(out.toByteArray());
    }

    /** {@code os.getenv(name)}: only variables declared with {@code env NAME;}, as in nginx. */
    @HostAccess.Export
    public String getenv(String name) {
        return JsValues.fromBytes(vm.worker().resty().settings().getenv(name));
    }

    // ------------------------------------------------------------------ time

    @HostAccess.Export
    public double now() {
        return vm.worker().resty().currentTimeMillis() / 1000.0;
    }

    @HostAccess.Export
    public double time() {
        return (double) (vm.worker().resty().currentTimeMillis() / 1000);
    }

    @HostAccess.Export
    public void update_time() {
    }

    @HostAccess.Export
    public String today() {
        return NgxTime.today(vm.worker().resty().currentTimeMillis(), ZoneId.systemDefault());
    }

    @HostAccess.Export
    public String localtime() {
        return NgxTime.localtime(vm.worker().resty().currentTimeMillis(), ZoneId.systemDefault());
    }

    @HostAccess.Export
    public String utctime() {
        return NgxTime.utctime(vm.worker().resty().currentTimeMillis());
    }

    @HostAccess.Export
    public String http_time(double sec) {
        return NgxTime.httpTime((long) sec);
    }

    @HostAccess.Export
    public String cookie_time(double sec) {
        return NgxTime.cookieTime((long) sec);
    }

    @HostAccess.Export
    public Object parse_http_time(Value s) {
        Long t = NgxTime.parseHttpTime(JsValues.bytesOf(s));
        return t == null ? null : (double) t;
    }

    // ------------------------------------------------------------------ encoding and hashing

    @HostAccess.Export
    public String escape_uri(Value s) {
        return escape_uri(s, null);
    }

    @HostAccess.Export
    public String escape_uri(Value s, Value type) {
        int t = type == null || type.isNull() ? UriCodec.ESCAPE_URI_COMPONENT : type.asInt();
        if (!UriCodec.isValidType(t)) {
            throw new NgxApiException("\"type\" " + t + " out of range");
        }
        return JsValues.binary(UriCodec.escapeUri(JsValues.bytesOf(s), t));
    }

    @HostAccess.Export
    public String unescape_uri(Value s) {
        return JsValues.fromBytes(UriCodec.unescapeUri(JsValues.bytesOf(s)));
    }

    @HostAccess.Export
    public String encode_args(Value... args) {
        Value t = Args.at(args, 0);
        try {
            return JsValues.fromBytes(ArgsCodec.encodeArgs(argsMap(t)));
        } catch (IllegalArgumentException e) {
            throw new NgxApiException(e.getMessage());
        }
    }

    @HostAccess.Export
    public Value decode_args(Value... args) {
        Value s = Args.at(args, 0);
        Value max = Args.at(args, 1);
        ArgsCodec.DecodedArgs d = ArgsCodec.decodeArgs(JsValues.scalar(s), max == null || max.isNull() ? 100 : max.asInt());
        return NgxReq.argsObject(vm, d.args());
    }

    @HostAccess.Export
    public String encode_base64(Value s) {
        return encode_base64(s, null);
    }

    @HostAccess.Export
    public String encode_base64(Value s, Value noPadding) {
        return JsValues.binary(Base64Codec.encodeBase64(JsValues.bytesOf(s), noPadding != null && noPadding.isBoolean() && noPadding.asBoolean()));
    }

    @HostAccess.Export
    public String decode_base64(Value s) {
        byte[] r = Base64Codec.decodeBase64(JsValues.bytesOf(s));
        return r == null ? null : JsValues.fromBytes(r);
    }

    @HostAccess.Export
    public String md5(Value s) {
        return Hashing.md5Hex(JsValues.bytesOf(s));
    }

    @HostAccess.Export
    public Value md5_bin(Value s) {
        return vm.newBytes(Hashing.md5(JsValues.bytesOf(s)));
    }

    @HostAccess.Export
    public Value sha1_bin(Value s) {
        return vm.newBytes(Hashing.sha1(JsValues.bytesOf(s)));
    }

    @HostAccess.Export
    public Value hmac_sha1(Value key, Value s) {
        return vm.newBytes(Hashing.hmacSha1(JsValues.bytesOf(key), JsValues.bytesOf(s)));
    }

    @HostAccess.Export
    public double crc32_short(Value s) {
        return Hashing.crc32Short(JsValues.bytesOf(s));
    }

    @HostAccess.Export
    public double crc32_long(Value s) {
        return Hashing.crc32Long(JsValues.bytesOf(s));
    }

    @HostAccess.Export
    public String quote_sql_str(Value s) {
        return JsValues.fromBytes(SqlQuote.quoteSqlStr(JsValues.bytesOf(s)));
    }

    /** ngx.OK, ngx.HTTP_*, ngx.ERR, … as a JSON object the prelude copies onto {@code ngx}. */
    static String constantsJson() {
        StringBuilder sb = new StringBuilder("{");
        dev.resty4j.core.api.NgxConstants.all().forEach((name, value) ->
                sb.append(sb.length() > 1 ? "," : "").append('"').append(name).append("\":").append(value));
        return sb.append('}').toString();
    }
}
