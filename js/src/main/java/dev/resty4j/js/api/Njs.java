package dev.resty4j.js.api;

import dev.resty4j.core.api.ArgsCodec;
import dev.resty4j.core.api.Control;
import dev.resty4j.core.api.Logging;
import dev.resty4j.core.api.Output;
import dev.resty4j.core.api.RequestBody;
import dev.resty4j.core.api.RequestHeaders;
import dev.resty4j.core.api.ResponseHeaders;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.js.JsValues;
import dev.resty4j.js.JsWorkerVm;
import java.util.Locale;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The host side of njs's request object {@code r} (the prelude's {@code njsRequest} shapes it): the subset
 * {@code r.return}, {@code r.status}, {@code r.headersIn}, {@code r.headersOut}, {@code r.args},
 * {@code r.variables}, {@code r.requestText}, {@code r.sendHeader}, {@code r.send}, {@code r.finish},
 * {@code r.sendBuffer} (body filters), {@code r.log/warn/error}, {@code r.uri}, {@code r.method},
 * {@code r.remoteAddress}, {@code r.httpVersion}, on the same core functions as the ngx API.
 */
public final class Njs {

    private final JsWorkerVm vm;
    private final RequestContext req;

    Njs(JsWorkerVm vm, RequestContext req) {
        this.vm = vm;
        this.req = req;
    }

    /** {@code r.return(status[, body])}: a redirect for 301–308 (body = the URL), else the status and body. */
    @HostAccess.Export
    public void do_return(int status, Value body) {
        boolean hasBody = body != null && !body.isNull();
        if (hasBody && (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)) {
            Control.redirect(req, JsValues.scalar(body), status);
            return;
        }
        if (hasBody) {
            ResponseHeaders.status(req, status);
            Output.print(req, JsValues.bytesOf(body));
            Output.eof(req);
            return;
        }
        Control.exit(req, status);
    }

    @HostAccess.Export
    public int status() {
        return ResponseHeaders.status(req);
    }

    @HostAccess.Export
    public void set_status(int status) {
        ResponseHeaders.status(req, status);
    }

    @HostAccess.Export
    public void send_header() {
        Output.sendHeaders(req);
    }

    @HostAccess.Export
    public void send(Value... parts) {
        Output.print(req, NgxBase.flatten(parts, false));
    }

    @HostAccess.Export
    public void finish() {
        Output.eof(req);
    }

    /** Body filter: appends to the chunk passed on (njs passes on only what {@code sendBuffer} sends). */
    @HostAccess.Export
    public void send_buffer(Value data, boolean last) {
        Object[] args = vm.phaseArgs();
        if (args == null) {
            return;
        }
        byte[] add = JsValues.bytesOf(data);
        byte[] cur = args[0] instanceof byte[] b ? b : new byte[0];
        byte[] all = new byte[cur.length + add.length];
        System.arraycopy(cur, 0, all, 0, cur.length);
        System.arraycopy(add, 0, all, cur.length, add.length);
        args[0] = all;
        if (last && args.length > 1) {
            args[1] = true;
        }
    }

    @HostAccess.Export
    public void log(int level, String message) {
        if (Logging.enabled(req, vm.worker().resty(), level)) {
            Logging.log(vm.worker().resty(), req, level, "[js]", JsValues.toBytes(message));
        }
    }

    @HostAccess.Export
    public String uri() {
        return JsValues.fromBytes(req.uri());
    }

    @HostAccess.Export
    public String method() {
        return req.method();
    }

    @HostAccess.Export
    public String remote_address() {
        return req.remoteAddr();
    }

    @HostAccess.Export
    public String http_version() {
        double v = dev.resty4j.core.api.RequestLine.httpVersion(req);
        return v == 2 ? "2.0" : v == 1.0 ? "1.0" : "1.1";
    }

    @HostAccess.Export
    public Value args() {
        return NgxReq.argsObject(vm, ArgsCodec.decodeUriArgs(req.args() == null ? "" : req.args(), 100).args());
    }

    /** The request body as text (read by the host before content runs, as with lua_need_request_body). */
    @HostAccess.Export
    public String request_text() {
        if (!req.bodyRead()) {
            RequestBody.read(req);
        }
        byte[] b = RequestBody.data(req);
        return b == null ? null : JsValues.fromBytes(b);
    }

    @HostAccess.Export
    public Object headers_in() {
        return new HeadersIn();
    }

    @HostAccess.Export
    public Object headers_out() {
        return new NgxHeader(vm);
    }

    @HostAccess.Export
    public Object variables() {
        return new NgxVar(vm);
    }

    /** {@code r.headersIn}: request headers by any case (read-only, as in njs). */
    private final class HeadersIn implements ProxyObject {
        @Override
        public Object getMember(String key) {
            Value all = NgxReq.headerObject(vm, RequestHeaders.get(req, RequestHeaders.DEFAULT_MAX, false), false);
            Value v = all.getMember(key.toLowerCase(Locale.ROOT));
            if (v != null && v.hasArrayElements()) {
                return v.getArrayElement(0);
            }
            return v;
        }

        @Override
        public Object getMemberKeys() {
            return org.graalvm.polyglot.proxy.ProxyArray.fromArray((Object[]) NgxReq.headerObject(vm,
                    RequestHeaders.get(req, RequestHeaders.DEFAULT_MAX, false), false).getMemberKeys().toArray(new String[0]));
        }

        @Override
        public boolean hasMember(String key) {
            return getMember(key) != null;
        }

        @Override
        public void putMember(String key, Value value) {
            throw new UnsupportedOperationException("r.headersIn is read-only");
        }
    }
}
