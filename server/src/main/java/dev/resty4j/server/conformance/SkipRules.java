package dev.resty4j.server.conformance;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Cases that need something out of resty4j's scope. They are reported as skipped (never as
 * failed), each with its reason. The list is deliberately small and explicit; the first matching
 * rule wins.
 *
 * <table>
 *   <caption>Skip rules</caption>
 *   <tr><th>rule</th><th>reason</th></tr>
 *   <tr><td>tag {@code ffi}</td><td>LuaJIT FFI ({@code ffi.cdef}, {@code ffi.C.*}) has no JVM
 *       equivalent</td></tr>
 *   <tr><td>tag {@code ndk.set_var}</td><td>ngx_devel_kit's {@code ndk.set_var} calls nginx C
 *       directive handlers ({@code set_escape_uri} ...)</td></tr>
 *   <tr><td>tag {@code ngx.req.socket}</td><td>the raw downstream connection
 *       ({@code ngx.req.socket}) is out of scope</td></tr>
 *   <tr><td>Lua requires {@code ngx.delayed_load}</td><td>a fake module compiled only into
 *       lua-nginx-module's test nginx build</td></tr>
 *   <tr><td>ids {@code t/091-coroutine.t#3, #24, #25}, {@code t/087-udp-socket.t#10},
 *       {@code t/014-bugs.t#43, #45}</td>
 *       <td>need Internet access (TCP connects to public hosts, a DNS query to a public
 *       resolver)</td></tr>
 * </table>
 *
 * Not skipped, on purpose: the {@code resty.core} tag (the Lua code requires lua-resty-core
 * modules such as {@code resty.core} or {@code ngx.semaphore}, which resty4j can provide as
 * built-ins), {@code self_connect}, subrequests, {@code ngx.exec}, timers and nginx-only
 * directives such as {@code more_clear_headers}: those are engine features or judged leniently.
 */
public final class SkipRules {

    /** One rule: a name, a predicate and the reason shown in reports. */
    public record Rule(String name, Predicate<ConformanceCase> applies, String reason) {
    }

    private static final Set<String> NEEDS_INTERNET = Set.of(
            "t/091-coroutine.t#3", "t/091-coroutine.t#24", "t/091-coroutine.t#25", "t/087-udp-socket.t#10",
            "t/014-bugs.t#43", "t/014-bugs.t#45");

    /** The rules, in evaluation order. */
    public static final List<Rule> RULES = List.of(
            new Rule("ffi", tag("ffi"),
                    "needs LuaJIT FFI (ffi.cdef / ffi.C), which has no JVM equivalent"),
            new Rule("ndk.set_var", tag("ndk.set_var"),
                    "needs ndk.set_var (ngx_devel_kit calling nginx C directive handlers)"),
            new Rule("ngx.req.socket", tag("ngx.req.socket"),
                    "needs ngx.req.socket (raw downstream connection socket), out of scope"),
            new Rule("test-only C module", c -> luaMentions(c, "ngx.delayed_load"),
                    "needs ngx.delayed_load, a fake module compiled only into the test nginx build"),
            new Rule("internet", c -> NEEDS_INTERNET.contains(c.id()),
                    "needs Internet access (connects to public hosts or queries a public DNS resolver)"));

    private SkipRules() {
    }

    /** The skip reason for {@code c}, or empty when the case is to be run. */
    public static Optional<String> skipReason(ConformanceCase c) {
        return RULES.stream().filter(r -> r.applies().test(c)).map(Rule::reason).findFirst();
    }

    private static Predicate<ConformanceCase> tag(String tag) {
        return c -> c.tags().contains(tag);
    }

    /** Whether any Lua text of the case (handlers, init code, modules) contains {@code s}. */
    private static boolean luaMentions(ConformanceCase c, String s) {
        if (contains(c.http().initByLua(), s) || contains(c.http().initWorkerByLua(), s)
                || contains(c.http().exitWorkerByLua(), s)) {
            return true;
        }
        if (c.http().luaModules().values().stream().anyMatch(v -> contains(v, s))
                || c.server().phases().values().stream().anyMatch(v -> contains(v, s))) {
            return true;
        }
        return c.locations().stream().anyMatch(l -> l.phases().values().stream().anyMatch(v -> contains(v, s))
                || l.setSequence().stream().anyMatch(st -> contains(st.lua(), s)));
    }

    private static boolean contains(String haystack, String needle) {
        return haystack != null && haystack.contains(needle);
    }
}
