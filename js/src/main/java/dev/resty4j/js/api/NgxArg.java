package dev.resty4j.js.api;

import dev.resty4j.Phase;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.js.JsValues;
import dev.resty4j.js.JsWorkerVm;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;

/**
 * {@code ngx.arg}: set_by_js arguments, and in body_filter {@code ngx.arg[1]} (the chunk) and
 * {@code ngx.arg[2]} (eof), with Lua's 1-based indices so scripts read the same in both languages.
 */
final class NgxArg implements ProxyArray {

    private final JsWorkerVm vm;

    NgxArg(JsWorkerVm vm) {
        this.vm = vm;
    }

    @Override
    public Object get(long index) {
        Object[] args = vm.phaseArgs();
        if (args == null || index < 1 || index > args.length) {
            return null;
        }
        Object o = args[(int) index - 1];
        if (o instanceof byte[] b) {
            return JsValues.fromBytes(b);
        }
        if (o instanceof String s) {
            return JsValues.fromBytes(s);
        }
        return o;
    }

    @Override
    public void set(long index, Value v) {
        RequestContext req = vm.request();
        Object[] args = vm.phaseArgs();
        if (req == null || req.phase() != Phase.BODY_FILTER || args == null) {
            throw new NgxApiException("attempt to write to ngx.arg outside body_filter_by_js*");
        }
        if (index == 1) {
            args[0] = v == null || v.isNull() ? new byte[0] : NgxBase.flatten(new Value[] {v}, false);
        } else if (index == 2) {
            args[1] = v != null && !v.isNull() && (!v.isBoolean() || v.asBoolean());
        }
    }

    @Override
    public long getSize() {
        Object[] args = vm.phaseArgs();
        return args == null ? 0 : args.length + 1;
    }
}
