package dev.resty4j.lua.lib;

import dev.resty4j.core.api.Contexts;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.worker.Worker;
import dev.resty4j.lua.LuaValues;
import dev.resty4j.lua.LuaWorkerVm;
import dev.resty4j.spi.NativeCall;
import dev.resty4j.spi.NativeFunction;
import dev.resty4j.spi.NativeHandle;
import dev.resty4j.spi.NativeModule;
import dev.resty4j.spi.NativeNull;
import dev.resty4j.spi.NativeResult;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Exposes every {@link NativeModule} on the class path to Lua as {@code require "resty4j.native.NAME"}:
 * converts arguments and results between Lua values and the SPI's neutral values, and awaits returned
 * Futures through the worker, so a binding's I/O suspends only the calling script.
 */
public final class NativeModules {

    private static volatile List<NativeModule> modules;

    private NativeModules() {
    }

    private static List<NativeModule> modules() {
        List<NativeModule> m = modules;
        if (m == null) {
            List<NativeModule> found = new ArrayList<>();
            ServiceLoader.load(NativeModule.class, NativeModules.class.getClassLoader()).forEach(found::add);
            modules = m = List.copyOf(found);
        }
        return m;
    }

    public static void install(LuaWorkerVm vm, LuaTable preload) {
        for (NativeModule module : modules()) {
            LuaValue loader = new NgxFunction("loader", a -> table(vm, module));
            preload.set("resty4j.native." + module.name(), loader);
        }
    }

    private static LuaTable table(LuaWorkerVm vm, NativeModule module) {
        LuaTable t = new LuaTable();
        module.constants().forEach((k, v) -> t.set(k, toLua(v)));
        module.functions().forEach((name, fn) -> {
            // one call context per function and VM: a VM belongs to one worker, and the request is asked for
            NativeCall call = NativeCall.of(vm.worker(), vm::request, name);
            t.set(name, new NgxFunction(name, a -> call(vm, name, fn, call, a)));
        });
        return t;
    }

    private static Varargs call(LuaWorkerVm vm, String name, NativeFunction fn, NativeCall call, Varargs a) {
        Object[] args = new Object[a.narg()];
        for (int i = 0; i < args.length; i++) {
            args[i] = toJava(a.arg(i + 1), name, i + 1);
        }
        Worker worker = vm.worker();
        Object result = fn.call(call, args);
        if (result instanceof Future<?> future) {
            RequestContext req = vm.request();
            if (req != null && req.phase() != null && !Contexts.YIELDABLE.contains(req.phase())) {
                throw Contexts.disabled(req.phase());
            }
            result = worker.await(future);
        }
        return toLuaVarargs(result);
    }

    private static Varargs toLuaVarargs(Object result) {
        if (result instanceof NativeResult r) {
            LuaValue[] out = new LuaValue[r.values().size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = toLua(r.values().get(i));
            }
            return LuaValue.varargsOf(out);
        }
        return toLua(result);
    }

    /** A neutral value as a Lua value. */
    public static LuaValue toLua(Object v) {
        if (v == null) {
            return LuaValue.NIL;
        }
        if (v == NativeNull.NULL) {
            return NgxBaseLib.NULL;
        }
        if (v instanceof Boolean b) {
            return LuaValue.valueOf(b);
        }
        if (v instanceof Number n) {
            return LuaValue.valueOf(n.doubleValue());
        }
        if (v instanceof String s) {
            return LuaValues.lstr(s);
        }
        if (v instanceof byte[] b) {
            return LuaValues.lbytes(b);
        }
        if (v instanceof List<?> l) {
            LuaTable t = new LuaTable(l.size(), 0);
            for (int i = 0; i < l.size(); i++) {
                t.set(i + 1, toLua(l.get(i)));
            }
            return t;
        }
        if (v instanceof Map<?, ?> m) {
            LuaTable t = new LuaTable();
            m.forEach((k, val) -> t.set(toLua(k), toLua(val)));
            return t;
        }
        if (v instanceof NativeHandle h) {
            return new LuaUserdata(h);
        }
        if (v instanceof NativeResult r) {
            return r.values().isEmpty() ? LuaValue.NIL : toLua(r.values().get(0));
        }
        throw new IllegalArgumentException("not a neutral value: " + v.getClass().getName());
    }

    /** A Lua value as a neutral value. */
    public static Object toJava(LuaValue v, String fn, int index) {
        switch (v.type()) {
            case LuaValue.TNIL:
                return null;
            case LuaValue.TBOOLEAN:
                return v.toboolean();
            case LuaValue.TNUMBER:
                return v.todouble();
            case LuaValue.TSTRING:
                return LuaValues.str(v);
            case LuaValue.TTABLE: {
                LuaTable t = v.checktable();
                int n = t.length();
                int count = 0;
                LuaValue k = LuaValue.NIL;
                while (true) {
                    Varargs next = t.next(k);
                    k = next.arg1();
                    if (k.isnil()) {
                        break;
                    }
                    count++;
                }
                if (count == n) {
                    List<Object> list = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        list.add(toJava(t.get(i), fn, index));
                    }
                    return list;
                }
                Map<String, Object> map = new LinkedHashMap<>();
                k = LuaValue.NIL;
                while (true) {
                    Varargs next = t.next(k);
                    k = next.arg1();
                    if (k.isnil()) {
                        break;
                    }
                    map.put(LuaValues.scalar(k), toJava(next.arg(2), fn, index));
                }
                return map;
            }
            case LuaValue.TUSERDATA:
            case LuaValue.TLIGHTUSERDATA:
                if (v == NgxBaseLib.NULL) {
                    return NativeNull.NULL;
                }
                Object o = v.touserdata();
                if (o instanceof NativeHandle) {
                    return o;
                }
                break;
            default:
                break;
        }
        throw new NgxApiException("bad argument #" + index + " to '" + fn + "' (" + v.typename() + " not supported)");
    }
}
