package dev.resty4j.js.api;

import dev.resty4j.Phase;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.api.ResponseHeaders;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.js.JsWorkerVm;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * The ngx API of one worker context, as host objects grouped by area (one class per area, found by its ngx
 * name: {@link NgxBase} for {@code ngx.say}/{@code exit}/{@code log}/time/encoding, {@link NgxReq} for
 * {@code ngx.req}, {@link NgxShared} for {@code ngx.shared}, …). The prelude ({@code resty4j/js/prelude.js})
 * assembles the {@code ngx} object from them. Every semantic is the core's; these classes convert values.
 */
public final class NgxApi {

    private final JsWorkerVm vm;
    private final Host host;
    private final NgxBase base;

    public NgxApi(JsWorkerVm vm) {
        this.vm = vm;
        this.base = new NgxBase(vm);
        this.host = new Host();
    }

    /** The object the prelude receives. */
    public Object host() {
        return host;
    }

    /** The njs request object's host side for the current request. */
    public Object njs(RequestContext req) {
        return new Njs(vm, req);
    }

    /** The body filter's chunk (njs {@code data}); the chunk passed on is then what the handler sends. */
    public Object bodyChunk() {
        Object[] a = vm.phaseArgs();
        if (a == null || a[0] == null) {
            return "";
        }
        String data = dev.resty4j.js.JsValues.fromBytes((byte[]) a[0]);
        a[0] = new byte[0];
        return data;
    }

    /** The body filter's flags (njs {@code flags.last}). */
    public Object bodyFlags() {
        Object[] a = vm.phaseArgs();
        Value f = vm.newObject();
        f.putMember("last", a != null && a.length > 1 && Boolean.TRUE.equals(a[1]));
        return f;
    }

    /** The names of a class's exported methods, comma-separated, for the prelude to copy. */
    static String exportedNames(Class<?> c) {
        List<String> names = new ArrayList<>();
        for (Method m : c.getMethods()) {
            if (m.isAnnotationPresent(HostAccess.Export.class) && !names.contains(m.getName())) {
                names.add(m.getName());
            }
        }
        return String.join(",", names);
    }

    /** What the prelude sees: the areas, their method names, and the per-request accessors of {@code ngx}. */
    public final class Host {
        @HostAccess.Export public final Object base = NgxApi.this.base;
        @HostAccess.Export public final String base_names = exportedNames(NgxBase.class);
        @HostAccess.Export public final Object req = new NgxReq(vm);
        @HostAccess.Export public final String req_names = exportedNames(NgxReq.class);
        @HostAccess.Export public final Object resp = new NgxResp(vm);
        @HostAccess.Export public final String resp_names = exportedNames(NgxResp.class);
        @HostAccess.Export public final Object re = new NgxRe(vm);
        @HostAccess.Export public final String re_names = exportedNames(NgxRe.class);
        @HostAccess.Export public final Object timer = new NgxTimer(vm);
        @HostAccess.Export public final String timer_names = exportedNames(NgxTimer.class);
        @HostAccess.Export public final Object worker = new NgxWorker(vm);
        @HostAccess.Export public final String worker_names = exportedNames(NgxWorker.class);
        @HostAccess.Export public final Object var = new NgxVar(vm);
        @HostAccess.Export public final Object header = new NgxHeader(vm);
        @HostAccess.Export public final Object shared = new NgxShared(vm);
        @HostAccess.Export public final Object arg = new NgxArg(vm);
        @HostAccess.Export public final String constants_json = NgxBase.constantsJson();
        @HostAccess.Export public final Object modules = new JsRequire(vm);

        @HostAccess.Export
        public int status() {
            RequestContext req = vm.request();
            return req == null || req.method() == null ? 0 : ResponseHeaders.status(req);
        }

        @HostAccess.Export
        public void set_status(int status) {
            ResponseHeaders.status(vm.request(), status);
        }

        @HostAccess.Export
        public Value ctx() {
            RequestContext req = vm.request();
            if (req == null) {
                throw new NgxApiException("no request ctx found");
            }
            return vm.ctx(req);
        }

        @HostAccess.Export
        public void set_ctx(Value... args) {
        Value v = Args.at(args, 0);
            RequestContext req = vm.request();
            if (req == null) {
                throw new NgxApiException("no request ctx found");
            }
            vm.ctx(req, v);
        }

        @HostAccess.Export
        public boolean headers_sent() {
            RequestContext req = vm.request();
            return req != null && req.headersSent();
        }

        @HostAccess.Export
        public boolean is_subrequest() {
            RequestContext req = vm.request();
            return req != null && req.isSubrequest();
        }

        @HostAccess.Export
        public String phase() {
            RequestContext req = vm.request();
            Phase p = req == null ? null : req.phase();
            return p == null ? "init" : p.phaseName();
        }
    }
}
