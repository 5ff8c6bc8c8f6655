package dev.resty4j.js;

import dev.resty4j.Phase;
import dev.resty4j.core.api.Contexts;
import dev.resty4j.core.engine.CompiledScript;
import dev.resty4j.core.engine.ScriptError;
import dev.resty4j.core.engine.WorkerVm;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.worker.Fiber;
import dev.resty4j.core.worker.Worker;
import dev.resty4j.js.api.JsConsole;
import dev.resty4j.js.api.NgxApi;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * One worker's JavaScript context. Only the fiber holding the worker enters it, and never while waiting:
 * a GraalJS context is single-threaded, so I/O in JS is asynchronous. An I/O call returns a Promise tied to
 * a Vert.x {@link Future} ({@link #promiseOf}); the fiber that started the handler waits for the futures its
 * script awaits ({@link Worker#await}, which lets other requests use the worker), and when one completes it
 * settles the Promise from that same fiber, back on the worker, which runs the script's continuation.
 * A handler is over when the promise it returned is settled and nothing it started is still pending.
 */
public final class JsWorkerVm implements WorkerVm {

    /** Slot of {@code ngx.ctx} in {@link RequestContext#engineCtx(int)} (Lua uses slot 0). */
    public static final int CTX_SLOT = 1;

    private final JsScriptEngine engine;
    private final Worker worker;
    private final JsThread thread;
    // Created on the first script run, so that an instance without JS (resty4j-js merely on the class path)
    // never starts GraalJS.
    private Context context;
    private TimeBudget budget;
    private final Map<CompiledScript, Value> functions = new IdentityHashMap<>();
    private final Map<String, Value> modules = new HashMap<>();
    private Value newObject;
    private Value newArray;
    private Value newPromise;
    private Value newError;
    private Value newBytes;
    private Value njsRequest;
    private NgxApi api;

    /** The I/O the running fiber's script waits for; set aside while the fiber is suspended. */
    private List<Pending> pending = new ArrayList<>();
    /** {@link #pending} between handlers, which is all a fiber running Lua ever sees of this VM. */
    private final List<Pending> idlePending = pending;
    private Object[] phaseArgs;

    JsWorkerVm(JsScriptEngine engine, Worker worker) {
        this.engine = engine;
        this.worker = worker;
        this.thread = new JsThread(worker);
    }

    /** Creates the context and installs the API on first use (on the fiber holding the worker). */
    private void ensureContext() {
        if (context != null) {
            return;
        }
        this.context = engine.newContext(new JsConsole(worker));
        long ms = worker.resty().settings().maxScriptMillis();
        this.budget = new TimeBudget(context, ms > 0 ? ms : TimeBudget.DEFAULT_MILLIS);
        context.enter();
        try {
            this.newObject = context.eval("js", "() => ({})");
            this.newArray = context.eval("js", "() => []");
            this.newPromise = context.eval("js", "() => { const d = {}; d.promise = new Promise((a, b) => { d.resolve = a; d.reject = b; }); return d; }");
            this.newError = context.eval("js", "(m) => new Error(m)");
            this.newBytes = context.eval("js", "(s) => { const a = new Uint8Array(s.length); for (let i = 0; i < s.length; i++) a[i] = s.charCodeAt(i); return a; }");
            this.api = new NgxApi(this);
            Value prelude = context.eval(Source.newBuilder("js", Prelude.text(), "resty4j-prelude.js").buildLiteral());
            Value installed = prelude.execute(api.host());
            context.getBindings("js").putMember("ngx", installed.getMember("ngx"));
            context.getBindings("js").putMember("require", installed.getMember("require"));
            context.getBindings("js").putMember("os", installed.getMember("os"));
            this.njsRequest = installed.getMember("njsRequest");
        } finally {
            context.leave();
        }
    }

    public Worker worker() {
        return worker;
    }

    public Context context() {
        return context;
    }

    /** The request the running script serves (null in init and timer contexts). */
    public RequestContext request() {
        return worker.current();
    }

    public Object[] phaseArgs() {
        return phaseArgs;
    }

    public Value newObject() {
        return newObject.execute();
    }

    public Value newArray() {
        return newArray.execute();
    }

    /** Binary data ({@code ngx.md5_bin}, …) as a Uint8Array, which every API taking bytes accepts as is. */
    public Value newBytes(byte[] b) {
        return newBytes.execute(JsValues.binary(b));
    }

    public Value newError(String message) {
        return newError.execute(message);
    }

    /** {@code ngx.ctx} of the request: a plain JS object, created on first use. */
    public Value ctx(RequestContext req) {
        Object c = req.engineCtx(CTX_SLOT);
        if (c == null) {
            Value v = newObject();
            req.engineCtx(CTX_SLOT, v);
            return v;
        }
        return (Value) c;
    }

    public void ctx(RequestContext req, Value v) {
        req.engineCtx(CTX_SLOT, v);
    }

    /**
     * A Promise settled with {@code future}'s result (converted by {@code convert}, on the worker) or
     * rejected with an Error carrying its failure message. Refused where nginx cannot yield.
     */
    public Value promiseOf(Future<?> future, Function<Object, Object> convert) {
        RequestContext req = request();
        if (req != null && req.phase() != null && !Contexts.YIELDABLE.contains(req.phase())) {
            throw Contexts.disabled(req.phase());
        }
        Value d = newPromise.execute();
        pending.add(new Pending(future, d.getMember("resolve"), d.getMember("reject"), convert));
        return d.getMember("promise");
    }

    /** An I/O a script awaits and the functions that settle its Promise. */
    private record Pending(Future<?> future, Value resolve, Value reject, Function<Object, Object> convert) {}

    @Override
    public String run(CompiledScript script, RequestContext req, Object[] args) {
        JsScriptEngine.CompiledJs js = (JsScriptEngine.CompiledJs) script;
        Object[] savedArgs = phaseArgs;
        List<Pending> savedPending = pending;
        phaseArgs = args;
        pending = new ArrayList<>();
        try {
            Settlement started = onJsThread(() -> {
                ensureContext();
                Value result;
                if (js.kind() == JsSources.Kind.NJS) {
                    Value handler = njsHandler(js);
                    Value r = timed(() -> njsRequest.execute(api.njs(req)));
                    if (req.phase() == Phase.BODY_FILTER) {
                        result = timed(() -> handler.execute(r, api.bodyChunk(), api.bodyFlags()));
                    } else {
                        result = timed(() -> handler.execute(r));
                    }
                } else {
                    Value fn = function(js, req);
                    result = timed(fn::execute);
                }
                return start(result);
            });
            Value result = finish(started, req);
            if (req.phase() == Phase.SET) {
                return onJsThread(() -> result == null || result.isNull() ? "" : JsValues.scalar(result));
            }
            return null;
        } catch (JsExit e) {
            return null;
        } catch (PolyglotException e) {
            if (isExit(e)) {
                return null;
            }
            throw scriptError(e);
        } finally {
            phaseArgs = savedArgs;
            pending = savedPending;
        }
    }

    /** Runs JS work on this worker's {@link JsThread}, as part of the calling fiber. */
    private <T> T onJsThread(java.util.function.Supplier<T> body) {
        return thread.call(body);
    }

    /** The phase function of a script, evaluated once per worker (per request with lua_code_cache off). */
    private Value function(JsScriptEngine.CompiledJs js, RequestContext req) {
        Value fn = functions.get(js);
        if (fn == null) {
            fn = timed(() -> context.eval(js.source()));
            if (req.resty().settings().codeCache()) {
                functions.put(js, fn);
            }
        }
        return fn;
    }

    /** The exported function a njs directive names, from its module (evaluated once per worker). */
    private Value njsHandler(JsScriptEngine.CompiledJs js) {
        Value fn = functions.get(js);
        if (fn != null) {
            return fn;
        }
        String path = js.script().file().toString();
        Value exports = modules.get(path);
        if (exports == null) {
            exports = timed(() -> context.eval(js.source()));
            modules.put(path, exports);
        }
        String name = JsSources.exportName(js.script());
        Value def = exports.getMember("default");
        fn = def != null && def.hasMember(name) ? def.getMember(name) : exports.getMember(name);
        if (fn == null || !fn.canExecute()) {
            throw new ScriptError(JsSources.displayName(js.script()) + ": \"" + name + "\" is not a function exported by "
                    + path, "");
        }
        functions.put(js, fn);
        return fn;
    }

    /** Runs a callback (a timer's function) with the handler rules of {@link #run}; called on the timer's fiber. */
    public void callback(Value fn, Object... args) {
        List<Pending> savedPending = pending;
        pending = new ArrayList<>();
        try {
            finish(onJsThread(() -> start(timed(() -> fn.execute(args)))), request());
        } catch (JsExit e) {
            // ngx.exit in a timer ends it
        } catch (PolyglotException e) {
            if (!isExit(e)) {
                throw scriptError(e);
            }
        } finally {
            pending = savedPending;
        }
    }

    /** How a handler's result settled: written on the JS thread, read by the fiber after the hand-back. */
    private static final class Settlement {
        boolean done;
        boolean failed;
        Value value;
    }

    /** On the JS thread: a plain result is settled at once; a Promise settles when its callbacks run. */
    private Settlement start(Value result) {
        Settlement s = new Settlement();
        if (result == null || !(result.hasMembers() && result.canInvokeMember("then"))) {
            s.done = true;
            s.value = result;
            return s;
        }
        ProxyExecutable ok = a -> {
            s.done = true;
            s.value = a.length > 0 ? a[0] : null;
            return null;
        };
        ProxyExecutable failed = a -> {
            s.done = true;
            s.failed = true;
            s.value = a.length > 0 ? a[0] : null;
            return null;
        };
        timed(() -> result.invokeMember("then", ok, failed));
        return s;
    }

    /**
     * On the fiber: waits for a handler's result. A Promise (async function) is driven to completion by
     * awaiting the I/O the script started, each completion settling its Promise on the JS thread. Then, as
     * lua-nginx-module waits for a handler's light threads, the I/O still pending (promises the script
     * started and did not await) is completed too, unless the request is exiting.
     */
    private Value finish(Settlement s, RequestContext req) {
        drain(req, s);
        if (!s.done) {
            throw new ScriptError("the handler's promise never settled (it awaits something that is not I/O)", "");
        }
        if (s.failed) {
            onJsThread(() -> rethrow(s.value));
        }
        return s.value;
    }

    /** Rethrows a rejection reason as the exception it stands for. */
    private Void rethrow(Value reason) {
        if (reason != null && reason.isException()) {
            reason.throwException(); // a PolyglotException: the JS stack trace or the host exception (ngx.exit)
        }
        throw new ScriptError("uncaught (in promise) " + (reason == null ? "undefined" : reason.toString()), "");
    }

    private void drain(RequestContext req, Settlement s) {
        List<Pending> mine = pending;
        // once the handler's own promise settled, I/O it left running is only awaited if the request goes on
        while (!mine.isEmpty() && (!s.done || !exiting(req))) {
            Promise<Void> any = Promise.promise();
            for (Pending p : mine) {
                p.future().onComplete(ar -> any.tryComplete());
            }
            worker.await(any.future());
            pending = mine; // the fiber's own list again (other fibers ran meanwhile)
            List<Pending> ready = new ArrayList<>();
            mine.removeIf(p -> p.future().isComplete() && ready.add(p));
            onJsThread(() -> {
                for (Pending p : ready) {
                    timed(() -> settle(p));
                }
                return null;
            });
        }
    }

    /** Settles one Promise with its future's outcome (runs the script's continuation). */
    private Value settle(Pending p) {
        if (p.future().succeeded()) {
            Object v = p.future().result();
            try {
                v = p.convert() == null ? v : p.convert().apply(v);
            } catch (RuntimeException e) {
                return p.reject().execute(newError(String.valueOf(e.getMessage())));
            }
            return p.resolve().execute(v);
        }
        Throwable cause = p.future().cause();
        return p.reject().execute(newError(cause == null ? "failed" : String.valueOf(cause.getMessage())));
    }

    private static boolean exiting(RequestContext req) {
        return req != null && (req.exitStatus() != RequestContext.NO_EXIT || req.execUri() != null);
    }

    /** Runs a stretch of script code under the time budget. */
    public <T> T timed(java.util.function.Supplier<T> body) {
        budget.start();
        boolean interrupted = false;
        try {
            return body.get();
        } catch (PolyglotException e) {
            if (e.isInterrupted() || e.isCancelled()) {
                interrupted = true;
            }
            throw e;
        } finally {
            if (budget.end() || interrupted) {
                throw new ScriptError("script exceeded its time budget of " + budget.millis() + " ms and was interrupted", "");
            }
        }
    }

    static boolean isExit(PolyglotException e) {
        if (!e.isHostException()) {
            return false;
        }
        Throwable t = e.asHostException();
        return t instanceof JsExit || t instanceof Fiber.Killed;
    }

    private ScriptError scriptError(PolyglotException e) {
        if (e.isHostException() && e.asHostException() instanceof ScriptError se) {
            return se;
        }
        if (e.isHostException() && e.asHostException() instanceof RuntimeException re
                && !(re instanceof dev.resty4j.core.api.NgxApiException)) {
            worker.resty().logger().log(LogLevel.ERR, request(), "js host error: " + re);
        }
        return JsErrors.runtime(e);
    }

    /** What {@link #run} keeps per fiber: its pending I/O and its phase arguments. */
    @Override
    public Object suspendFiber() {
        // a fiber running another engine's script suspends through here too: nothing to keep, nothing to allocate
        return pending == idlePending && phaseArgs == null ? null : new Object[] {pending, phaseArgs};
    }

    @Override
    @SuppressWarnings("unchecked")
    public void resumeFiber(Object state) {
        if (state == null) {
            pending = idlePending;
            phaseArgs = null;
            return;
        }
        Object[] s = (Object[]) state;
        pending = (List<Pending>) s[0];
        phaseArgs = (Object[]) s[1];
    }

    @Override
    public void close() {
        functions.clear();
        modules.clear();
        try {
            if (context != null) {
                budget.close();
                context.close(true);
            }
        } finally {
            thread.stop();
            engine.vmClosed();
        }
    }
}
