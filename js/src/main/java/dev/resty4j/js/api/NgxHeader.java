package dev.resty4j.js.api;

import dev.resty4j.core.api.ResponseHeaders;
import dev.resty4j.js.JsValues;
import dev.resty4j.js.JsWorkerVm;
import java.util.List;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyObject;

/** {@code ngx.header.NAME}: response headers (any case, underscores as dashes, as in lua-nginx-module). */
final class NgxHeader implements ProxyObject {

    private final JsWorkerVm vm;

    NgxHeader(JsWorkerVm vm) {
        this.vm = vm;
    }

    @Override
    public Object getMember(String key) {
        Object v = ResponseHeaders.get(vm.request(), JsValues.toBytes(key));
        if (v instanceof List<?> l) {
            Value arr = vm.newArray();
            for (int i = 0; i < l.size(); i++) {
                arr.setArrayElement(i, JsValues.fromBytes((String) l.get(i)));
            }
            return arr;
        }
        return v == null ? null : JsValues.fromBytes((String) v);
    }

    @Override
    public Object getMemberKeys() {
        return org.graalvm.polyglot.proxy.ProxyArray.fromArray();
    }

    @Override
    public boolean hasMember(String key) {
        return true;
    }

    @Override
    public void putMember(String key, Value v) {
        Object value = v == null || v.isNull() ? null : v.hasArrayElements() ? JsValues.stringList(v) : JsValues.scalar(v);
        ResponseHeaders.set(vm.request(), JsValues.toBytes(key), value);
    }

    @Override
    public boolean removeMember(String key) {
        ResponseHeaders.set(vm.request(), JsValues.toBytes(key), null);
        return true;
    }
}
