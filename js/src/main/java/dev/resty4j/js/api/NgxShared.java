package dev.resty4j.js.api;

import dev.resty4j.SharedDict;
import dev.resty4j.js.JsWorkerVm;
import java.util.HashMap;
import java.util.Map;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyObject;

/** {@code ngx.shared.DICT}: each declared dict as a {@link JsSharedDict}. */
final class NgxShared implements ProxyObject {

    private final Map<String, JsSharedDict> dicts = new HashMap<>();

    NgxShared(JsWorkerVm vm) {
        for (SharedDict d : vm.worker().resty().sharedDicts().values()) {
            dicts.put(d.name(), new JsSharedDict(vm, d));
        }
    }

    @Override
    public Object getMember(String key) {
        return dicts.get(key);
    }

    @Override
    public Object getMemberKeys() {
        return org.graalvm.polyglot.proxy.ProxyArray.fromArray((Object[]) dicts.keySet().toArray(new String[0]));
    }

    @Override
    public boolean hasMember(String key) {
        return dicts.containsKey(key);
    }

    @Override
    public void putMember(String key, Value value) {
        throw new UnsupportedOperationException("ngx.shared is read-only");
    }
}
