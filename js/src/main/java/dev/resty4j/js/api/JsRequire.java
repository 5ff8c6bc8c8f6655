package dev.resty4j.js.api;

import dev.resty4j.Resty;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.resty.LruCache;
import dev.resty4j.js.JsValues;
import dev.resty4j.js.JsWorkerVm;
import dev.resty4j.spi.NativeCall;
import dev.resty4j.spi.NativeFunction;
import dev.resty4j.spi.NativeModule;
import dev.resty4j.spi.NativeResult;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * What {@code require(name)} finds, in order: {@code "resty4j.native.NAME"}, a binding's
 * {@link NativeModule} as an object of functions (generic: this engine knows no binding); JS glue a binding
 * ships on the class path as {@code resty4j/js/NAME.js} (a CommonJS-style module: {@code module.exports});
 * {@code "resty.lrucache"} on the core's LRU cache. Native results follow the JS rule: a Vert.x
 * {@code Future} becomes a Promise, {@code nil, err} throws (or rejects with) an Error carrying err, and
 * otherwise the first value is the result.
 */
public final class JsRequire {

    private static volatile List<NativeModule> modules;

    private final JsWorkerVm vm;

    JsRequire(JsWorkerVm vm) {
        this.vm = vm;
    }

    private static List<NativeModule> modules() {
        List<NativeModule> m = modules;
        if (m == null) {
            List<NativeModule> found = new ArrayList<>();
            ServiceLoader.load(NativeModule.class, JsRequire.class.getClassLoader()).forEach(found::add);
            modules = m = List.copyOf(found);
        }
        return m;
    }

    /** The module's exports, or null when nothing has that name (the prelude caches and reports). */
    @HostAccess.Export
    public Object load(String name) {
        if (name.startsWith("resty4j.native.")) {
            String n = name.substring("resty4j.native.".length());
            for (NativeModule m : modules()) {
                if (m.name().equals(n)) {
                    return nativeModule(m);
                }
            }
            return null;
        }
        if (name.equals("resty.lrucache")) {
            Value o = vm.newObject();
            o.putMember("new", (ProxyExecutable) a -> new JsLrucache(vm, a.length > 0 && a[0].isNumber() ? a[0].asInt() : 0));
            return o;
        }
        return glue(name);
    }

    private Object glue(String name) {
        String path = "resty4j/js/" + name.replace('.', '/') + ".js";
        ClassLoader cl = JsRequire.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(path)) {
            if (in == null) {
                return null;
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Value fn = vm.context().eval(Source.newBuilder("js", "(function (module, exports, require) {" + text + "\n})", path)
                    .buildLiteral());
            Value module = vm.newObject();
            module.putMember("exports", vm.newObject());
            fn.execute(module, module.getMember("exports"), vm.context().getBindings("js").getMember("require"));
            return module.getMember("exports");
        } catch (IOException e) {
            throw new NgxApiException("failed to read " + path + ": " + e.getMessage());
        }
    }

    private Value nativeModule(NativeModule m) {
        Value o = vm.newObject();
        m.constants().forEach((k, v) -> o.putMember(k, JsValues.fromNeutral(vm, v)));
        m.functions().forEach((name, fn) -> {
            // one call context per function and VM: a VM belongs to one worker, and the request is asked for
            NativeCall call = NativeCall.of(vm.worker(), vm::request, name);
            o.putMember(name, (ProxyExecutable) a -> call(fn, call, a));
        });
        return o;
    }

    private Object call(NativeFunction fn, NativeCall call, Value[] a) {
        Object[] args = new Object[a.length];
        for (int i = 0; i < a.length; i++) {
            args[i] = JsValues.toNeutral(a[i]);
        }
        Object result = fn.call(call, args);
        if (result instanceof Future<?> future) {
            return vm.promiseOf(future, this::result);
        }
        return result(result);
    }

    /** A native result as the JS value (or thrown Error) of the rule above. */
    private Object result(Object r) {
        if (r instanceof NativeResult nr) {
            List<Object> v = nr.values();
            if (v.isEmpty()) {
                return null;
            }
            if (v.get(0) == null && v.size() > 1 && v.get(1) != null) {
                throw new NgxApiException(JsValues.fromBytes(String.valueOf(v.get(1))));
            }
            return JsValues.fromNeutral(vm, v.get(0));
        }
        return JsValues.fromNeutral(vm, r);
    }

    /** {@code require("resty.lrucache").new(n)}: a per-worker LRU cache of JS values with TTLs on ngx.now(). */
    public static final class JsLrucache {
        private final LruCache<Object, Object> cache;

        JsLrucache(JsWorkerVm vm, int size) {
            if (size <= 0) {
                throw new NgxApiException("size too small for lrucache");
            }
            Resty resty = vm.worker().resty();
            this.cache = new LruCache<>(size, () -> resty.currentTimeMillis() / 1000.0);
        }

        private static Object key(Value k) {
            return k.isString() ? k.asString() : k.isNumber() ? (Object) k.asDouble() : k.toString();
        }

        @HostAccess.Export
        public Object get(Value... args) {
        Value k = Args.at(args, 0);
            LruCache.Lookup<Object> r = cache.get(key(k));
            return r == null ? null : r.value();
        }

        @HostAccess.Export
        public void set(Value... args) {
        Value k = Args.at(args, 0);
        Value v = Args.at(args, 1);
        Value ttl = Args.at(args, 2);
        Value flags = Args.at(args, 3);
            cache.set(key(k), v, ttl == null || ttl.isNull() ? null : ttl.asDouble(), flags == null || flags.isNull() ? 0 : flags.asLong());
        }

        @HostAccess.Export
        public boolean delete(Value... args) {
        Value k = Args.at(args, 0);
            return cache.delete(key(k));
        }

        @HostAccess.Export
        public int count() {
            return cache.count();
        }

        @HostAccess.Export
        public int capacity() {
            return cache.capacity();
        }

        @HostAccess.Export
        public void flush_all() {
            cache.flushAll();
        }
    }
}
