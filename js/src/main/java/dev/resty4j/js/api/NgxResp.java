package dev.resty4j.js.api;

import dev.resty4j.core.api.RequestHeaders;
import dev.resty4j.core.api.ResponseHeaders;
import dev.resty4j.js.JsWorkerVm;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/** {@code ngx.resp.get_headers}. */
public final class NgxResp {

    private final JsWorkerVm vm;

    NgxResp(JsWorkerVm vm) {
        this.vm = vm;
    }

    @HostAccess.Export
    public Value get_headers(Value... args) {
        Value max = Args.at(args, 0);
        Value raw = Args.at(args, 1);
        boolean r = raw != null && raw.isBoolean() && raw.asBoolean();
        return NgxReq.headerObject(vm, ResponseHeaders.list(vm.request(), max == null || max.isNull() ? RequestHeaders.DEFAULT_MAX : max.asInt(), r), r);
    }
}
