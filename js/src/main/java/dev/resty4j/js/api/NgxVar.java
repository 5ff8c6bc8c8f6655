package dev.resty4j.js.api;

import dev.resty4j.core.api.Contexts;
import dev.resty4j.core.api.Variables;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.js.JsValues;
import dev.resty4j.js.JsWorkerVm;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyObject;

/** {@code ngx.var.NAME}: nginx variables by name, regex captures by number ({@code ngx.var[1]}). */
final class NgxVar implements ProxyObject {

    private final JsWorkerVm vm;

    NgxVar(JsWorkerVm vm) {
        this.vm = vm;
    }

    @Override
    public Object getMember(String key) {
        RequestContext req = vm.request();
        Contexts.requireRequest(req);
        if (!key.isEmpty() && Character.isDigit(key.charAt(0))) {
            try {
                return JsValues.fromBytes(Variables.capture(req, Integer.parseInt(key)));
            } catch (NumberFormatException e) {
                // not a capture number: an ordinary (unknown) name
            }
        }
        String v = Variables.get(req, JsValues.toBytes(key));
        if (v != null && key.startsWith("binary_")) {
            return vm.newBytes(v.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)); // binary_remote_addr: bytes, not text
        }
        return JsValues.fromBytes(v);
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
    public void putMember(String key, Value value) {
        RequestContext req = vm.request();
        Contexts.requireRequest(req);
        Variables.set(req, JsValues.toBytes(key), value == null || value.isNull() ? null : JsValues.scalar(value));
    }
}
