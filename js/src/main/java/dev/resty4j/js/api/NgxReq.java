package dev.resty4j.js.api;

import dev.resty4j.core.api.ArgsCodec;
import dev.resty4j.core.api.Contexts;
import dev.resty4j.core.api.HttpMethods;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.api.RequestBody;
import dev.resty4j.core.api.RequestHeaders;
import dev.resty4j.core.api.RequestLine;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.js.JsExit;
import dev.resty4j.js.JsValues;
import dev.resty4j.js.JsWorkerVm;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/** {@code ngx.req.*}: request line, headers, URI and POST args, body. */
public final class NgxReq {

    private final JsWorkerVm vm;

    NgxReq(JsWorkerVm vm) {
        this.vm = vm;
    }

    /**
     * Headers as a plain object: names lower-cased (JS has no metatables, so {@code h["user-agent"]} is the
     * lookup; pass {@code raw = true} for the names as sent); repeated headers become arrays.
     */
    @HostAccess.Export
    public Value get_headers(Value... args) {
        Value max = Args.at(args, 0);
        Value raw = Args.at(args, 1);
        boolean r = raw != null && raw.isBoolean() && raw.asBoolean();
        return headerObject(vm, RequestHeaders.get(vm.request(), max == null || max.isNull() ? RequestHeaders.DEFAULT_MAX : max.asInt(), r), r);
    }

    static Value headerObject(JsWorkerVm vm, RequestHeaders.Listing l, boolean raw) {
        Value o = vm.newObject();
        for (int i = 0; i < l.keys().size(); i++) {
            String k = JsValues.fromBytes(l.keys().get(i));
            if (!raw) {
                k = k.toLowerCase(Locale.ROOT);
            }
            String v = JsValues.fromBytes(l.values().get(i));
            Value old = o.getMember(k);
            if (old == null) {
                o.putMember(k, v);
            } else if (old.hasArrayElements()) {
                old.setArrayElement(old.getArraySize(), v);
            } else {
                Value arr = vm.newArray();
                arr.setArrayElement(0, old);
                arr.setArrayElement(1, v);
                o.putMember(k, arr);
            }
        }
        return o;
    }

    @HostAccess.Export
    public void set_header(Value... args) {
        Value name = Args.at(args, 0);
        Value value = Args.at(args, 1);
        RequestHeaders.set(vm.request(), JsValues.scalar(name), JsValues.stringList(value));
    }

    @HostAccess.Export
    public void clear_header(Value... args) {
        Value name = Args.at(args, 0);
        RequestHeaders.clear(vm.request(), JsValues.scalar(name));
    }

    @HostAccess.Export
    public String raw_header(Value... args) {
        Value noRequestLine = Args.at(args, 0);
        return JsValues.fromBytes(RequestHeaders.raw(vm.request(), noRequestLine != null && noRequestLine.isBoolean() && noRequestLine.asBoolean()));
    }

    @HostAccess.Export
    public String get_method() {
        return RequestLine.method(vm.request());
    }

    @HostAccess.Export
    public void set_method(Value... args) {
        Value m = Args.at(args, 0);
        RequestLine.method(vm.request(), m.isNumber() ? HttpMethods.name(m.asInt()) : JsValues.scalar(m));
    }

    @HostAccess.Export
    public double http_version() {
        return RequestLine.httpVersion(vm.request());
    }

    @HostAccess.Export
    public double start_time() {
        return RequestLine.startTime(vm.request());
    }

    @HostAccess.Export
    public boolean is_internal() {
        return RequestLine.isInternal(vm.request());
    }

    @HostAccess.Export
    public void set_uri(Value... args) {
        Value uri = Args.at(args, 0);
        Value jump = Args.at(args, 1);
        boolean j = jump != null && jump.isBoolean() && jump.asBoolean();
        RequestLine.setUri(vm.request(), JsValues.scalar(uri), j);
        if (j) {
            throw JsExit.INSTANCE;
        }
    }

    @HostAccess.Export
    public Value get_uri_args(Value... args) {
        Value max = Args.at(args, 0);
        RequestContext r = vm.request();
        Contexts.requireRequest(r);
        ArgsCodec.DecodedArgs d = ArgsCodec.decodeUriArgs(r.args() == null ? "" : r.args(), max == null || max.isNull() ? 100 : max.asInt());
        return argsObject(vm, d.args());
    }

    @HostAccess.Export
    public void set_uri_args(Value... args) {
        Value v = Args.at(args, 0);
        RequestContext r = vm.request();
        Contexts.requireRequest(r);
        String query = v.hasMembers() ? ArgsCodec.encodeArgs(NgxBase.argsMap(v)) : JsValues.scalar(v);
        r.args(query == null || query.isEmpty() ? null : query);
    }

    @HostAccess.Export
    public Value get_post_args(Value... args) {
        Value max = Args.at(args, 0);
        RequestContext r = vm.request();
        Contexts.requireRequest(r);
        if (!r.bodyRead()) {
            throw new NgxApiException("request body not read yet; maybe you should call ngx.req.read_body() first");
        }
        byte[] body = RequestBody.data(r);
        ArgsCodec.DecodedArgs d = ArgsCodec.decodeArgs(body == null ? new byte[0] : body, max == null || max.isNull() ? 100 : max.asInt());
        return argsObject(vm, d.args());
    }

    /** Decoded args as an object: values are strings, {@code true} for a bare key, arrays when repeated. */
    static Value argsObject(JsWorkerVm vm, Map<String, Object> args) {
        Value o = vm.newObject();
        for (Map.Entry<String, Object> e : args.entrySet()) {
            o.putMember(JsValues.fromBytes(e.getKey()), argValue(vm, e.getValue()));
        }
        return o;
    }

    private static Object argValue(JsWorkerVm vm, Object v) {
        if (v instanceof Boolean) {
            return v;
        }
        if (v instanceof List<?> l) {
            Value arr = vm.newArray();
            for (int i = 0; i < l.size(); i++) {
                arr.setArrayElement(i, argValue(vm, l.get(i)));
            }
            return arr;
        }
        return JsValues.fromBytes(v.toString());
    }

    @HostAccess.Export
    public void read_body() {
        RequestBody.read(vm.request());
    }

    @HostAccess.Export
    public void discard_body() {
        RequestBody.discard(vm.request());
    }

    @HostAccess.Export
    public String get_body_data() {
        byte[] b = RequestBody.data(vm.request());
        return b == null ? null : JsValues.fromBytes(b);
    }

    @HostAccess.Export
    public Object get_body_file() {
        Contexts.requireRequest(vm.request());
        return null;
    }

    @HostAccess.Export
    public void set_body_data(Value... args) {
        Value data = Args.at(args, 0);
        RequestBody.set(vm.request(), JsValues.bytesOf(data));
    }

    @HostAccess.Export
    public void init_body() {
        RequestBody.init(vm.request());
    }

    @HostAccess.Export
    public void append_body(Value... args) {
        Value data = Args.at(args, 0);
        RequestBody.append(vm.request(), JsValues.bytesOf(data));
    }

    @HostAccess.Export
    public void finish_body() {
        RequestBody.finish(vm.request());
    }
}
