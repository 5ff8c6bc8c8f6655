package dev.resty4j.js.api;

import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.regex.Captures;
import dev.resty4j.core.regex.NgxRegex;
import dev.resty4j.core.regex.RegexCompileException;
import dev.resty4j.js.JsValues;
import dev.resty4j.js.JsWorkerVm;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * {@code ngx.re.match/find/gmatch/sub/gsub/split} on the core's PCRE engine ({@link NgxRegex}), so patterns,
 * options and error strings are OpenResty's. Captures come back as an array {@code [whole, $1, …]} (false
 * for a group that did not take part) with the named groups as properties; offsets are those of the UTF-8
 * bytes, as in OpenResty.
 */
public final class NgxRe {

    private final JsWorkerVm vm;
    private final NgxRegex core;

    NgxRe(JsWorkerVm vm) {
        this.vm = vm;
        this.core = NgxRegex.forWorker(vm.worker());
    }

    @HostAccess.Export
    public Value match(Value... args) {
        Value subject = Args.at(args, 0);
        Value regex = Args.at(args, 1);
        Value opts = Args.at(args, 2);
        Value ctx = Args.at(args, 3);
        String s = JsValues.scalar(subject);
        NgxRegex.MatchResult r = core.match(s, pattern(regex), opts(opts), start(ctx));
        if (r.error() != null) {
            throw new NgxApiException(r.error());
        }
        if (r.captures() == null) {
            return null;
        }
        if (ctx != null && ctx.hasMembers()) {
            ctx.putMember("pos", r.nextCtxPos());
        }
        return captures(r.captures(), s);
    }

    /** {@code [from, to]} (1-based byte offsets, inclusive), or null. */
    @HostAccess.Export
    public Value find(Value... args) {
        Value subject = Args.at(args, 0);
        Value regex = Args.at(args, 1);
        Value opts = Args.at(args, 2);
        Value ctx = Args.at(args, 3);
        Value nth = Args.at(args, 4);
        NgxRegex.FindResult r = core.find(JsValues.scalar(subject), pattern(regex), opts(opts), start(ctx),
                nth == null || nth.isNull() ? 0 : nth.asInt());
        if (ctx != null && ctx.hasMembers() && r.ctxPos() > 0) {
            ctx.putMember("pos", r.ctxPos());
        }
        if (r.error() != null) {
            throw new NgxApiException(r.error());
        }
        if (r.from() == 0) {
            return null;
        }
        Value arr = vm.newArray();
        arr.setArrayElement(0, r.from());
        arr.setArrayElement(1, r.to());
        return arr;
    }

    /** An iterator function: each call returns the next captures, then null. */
    @HostAccess.Export
    public Object gmatch(Value... args) {
        Value subject = Args.at(args, 0);
        Value regex = Args.at(args, 1);
        Value opts = Args.at(args, 2);
        String s = JsValues.scalar(subject);
        NgxRegex.Gmatch it;
        try {
            it = core.gmatch(s, pattern(regex), opts(opts));
        } catch (RegexCompileException e) {
            throw new NgxApiException(e.getMessage());
        }
        return (ProxyExecutable) a -> {
            NgxRegex.MatchResult r = it.next();
            if (r.error() != null) {
                throw new NgxApiException(r.error());
            }
            return r.captures() == null ? null : captures(r.captures(), s);
        };
    }

    /** The new string (the number of substitutions is dropped: use a function replacement to count). */
    @HostAccess.Export
    public String sub(Value... args) {
        Value subject = Args.at(args, 0);
        Value regex = Args.at(args, 1);
        Value replace = Args.at(args, 2);
        Value opts = Args.at(args, 3);
        return substitute(subject, regex, replace, opts, false);
    }

    @HostAccess.Export
    public String gsub(Value... args) {
        Value subject = Args.at(args, 0);
        Value regex = Args.at(args, 1);
        Value replace = Args.at(args, 2);
        Value opts = Args.at(args, 3);
        return substitute(subject, regex, replace, opts, true);
    }

    private String substitute(Value subject, Value regex, Value replace, Value opts, boolean global) {
        String s = JsValues.scalar(subject);
        NgxRegex.SubResult r;
        if (replace != null && replace.canExecute()) {
            r = core.sub(s, pattern(regex), c -> JsValues.scalar(replace.execute(captures(c, s))), opts(opts), global);
        } else {
            r = core.sub(s, pattern(regex), JsValues.scalar(replace), opts(opts), global);
        }
        if (r.error() != null) {
            throw new NgxApiException(r.error());
        }
        return JsValues.fromBytes(r.count() == 0 ? s : r.result());
    }

    /** {@code require("ngx.re").split}: the pieces as an array. */
    @HostAccess.Export
    public Value split(Value... args) {
        Value subject = Args.at(args, 0);
        Value regex = Args.at(args, 1);
        Value opts = Args.at(args, 2);
        Value ctx = Args.at(args, 3);
        Value max = Args.at(args, 4);
        int pos = 1;
        if (ctx != null && ctx.hasMembers() && ctx.hasMember("pos") && !ctx.getMember("pos").isNull()) {
            pos = ctx.getMember("pos").asInt();
        }
        NgxRegex.SplitResult r = core.split(JsValues.scalar(subject), pattern(regex), opts(opts), pos,
                max == null || max.isNull() ? 0 : max.asInt());
        if (ctx != null && ctx.hasMembers()) {
            ctx.putMember("pos", r.ctxPos());
        }
        if (r.error() != null) {
            throw new NgxApiException(r.error());
        }
        Value arr = vm.newArray();
        List<String> parts = r.parts();
        for (int k = 0; k < parts.size(); k++) {
            arr.setArrayElement(k, JsValues.fromBytes(parts.get(k)));
        }
        return arr;
    }

    @HostAccess.Export
    public void opt(Value... args) {
        Value option = Args.at(args, 0);
        Value value = Args.at(args, 1);
        core.opt(JsValues.scalar(option));
    }

    private Value captures(Captures c, String subject) {
        Value arr = vm.newArray();
        for (int g = 0; g <= c.groupCount(); g++) {
            int st = c.start(g);
            arr.setArrayElement(g, st < 0 ? (Object) false : JsValues.fromBytes(subject.substring(st, c.end(g))));
        }
        for (Map.Entry<String, Object> e : c.named().entrySet()) {
            Object v = e.getValue();
            if (v instanceof String str) {
                arr.putMember(e.getKey(), JsValues.fromBytes(str));
            } else if (v instanceof List<?> l) {
                Value a = vm.newArray();
                for (int k = 0; k < l.size(); k++) {
                    a.setArrayElement(k, JsValues.fromBytes((String) l.get(k)));
                }
                arr.putMember(e.getKey(), a);
            } else {
                arr.putMember(e.getKey(), false);
            }
        }
        return arr;
    }

    private static String pattern(Value v) {
        if (v == null || !v.isString()) {
            throw new NgxApiException("bad argument #2 (string expected, got " + (v == null ? "nil" : v.toString()) + ")");
        }
        return JsValues.toBytes(v.asString());
    }

    private static String opts(Value v) {
        return v == null || v.isNull() ? null : JsValues.scalar(v);
    }

    private static int start(Value ctx) {
        if (ctx == null || !ctx.hasMembers() || !ctx.hasMember("pos")) {
            return 0;
        }
        Value pos = ctx.getMember("pos");
        return pos == null || pos.isNull() ? 0 : NgxRegex.startOffset(pos.asDouble());
    }
}
