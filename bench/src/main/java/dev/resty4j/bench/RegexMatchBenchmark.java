package dev.resty4j.bench;

import dev.resty4j.Resty;
import dev.resty4j.lua.LuaWorkerVm;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.LuaValue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code ngx.re.match} called from Lua, the way scripts call it in hot paths: with {@code "jo"}
 * (compiled once, cached in the worker), without {@code o} (compiled on every call), and a plain
 * java.util.regex find for the same pattern as the floor. The Lua function runs on a worker's VM
 * directly (no request), so the numbers are the API's own cost: argument conversion, the cache
 * lookup, the bounded match and the capture table.
 *
 * <p>Run: {@code bench/run-jmh.sh RegexMatchBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class RegexMatchBenchmark {

    static final String REGEX = "^/api/v(\\d+)/users/(?<id>\\d+)/orders";
    static final String URI = "/api/v1/users/12345/orders?limit=20";

    private Resty resty;
    private LuaValue matchJo;
    private LuaValue matchNoCache;
    private LuaValue uri;
    private Pattern java;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        resty = Resty.builder().workers(1).build();
        LuaWorkerVm vm = (LuaWorkerVm) resty.worker(0).vm("lua");
        matchJo = vm.globals().load("""
                local re_match = ngx.re.match
                return function(s) local m = re_match(s, [[%s]], "jo") return m.id end
                """.formatted(REGEX)).call();
        matchNoCache = vm.globals().load("""
                local re_match = ngx.re.match
                return function(s) local m = re_match(s, [[%s]], "j") return m.id end
                """.formatted(REGEX)).call();
        uri = LuaValue.valueOf(URI);
        java = Pattern.compile("^/api/v(\\d+)/users/(\\d+)/orders");
        if (!matchJo.call(uri).tojstring().equals("12345")) {
            throw new IllegalStateException("benchmark script does not match");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        resty.close();
    }

    /** {@code ngx.re.match(uri, regex, "jo")} and reading a named capture. */
    @Benchmark
    public LuaValue ngxReMatchJo() {
        return matchJo.call(uri);
    }

    /** The same without {@code o}: the pattern is translated and compiled on every call. */
    @Benchmark
    public LuaValue ngxReMatchWithoutCache() {
        return matchNoCache.call(uri);
    }

    /** The floor: java.util.regex on a Java string, no Lua, no byte strings, no budget. */
    @Benchmark
    public String javaRegexFind() {
        Matcher m = java.matcher(URI);
        return m.find() ? m.group(2) : null;
    }
}
