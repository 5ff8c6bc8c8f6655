package dev.resty4j.bench;

import dev.resty4j.Resty;
import dev.resty4j.lua.LuaWorkerVm;
import java.util.concurrent.TimeUnit;
import org.luaj.vm2.Globals;
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
 * {@code cjson.encode} and {@code cjson.decode} of a ~1 KB document (nested objects, arrays, strings, integers,
 * floats, booleans) as a script calls them: a Lua function on a worker's VM calls the module. No request
 * pipeline around it; the benchmark thread is the only user of the VM.
 *
 * <p>Run: {@code bench/run-jmh.sh CjsonBenchmark} (results go to bench/results/).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class CjsonBenchmark {

    static final String SETUP = """
            local cjson = require "cjson"
            local doc = {
                id = 1234567, name = "Jane Doe", email = "jane.doe@example.com", active = true, score = 98.6,
                tags = {"admin", "beta", "eu-west", "premium", "early-adopter"},
                address = {street = "1 Main Street", city = "Springfield", zip = "12345", country = "US",
                           geo = {lat = 37.7749, lon = -122.4194}},
                prefs = {theme = "dark", lang = "en-US", notifications = {email = true, sms = false, push = true}},
                bio = "Jane has been a customer since 2015 and likes long walks, short queues and fast APIs. "
                      .. "She reports bugs with reproducible steps.",
                orders = {},
            }
            for i = 1, 6 do
                doc.orders[i] = {id = 1000 + i, total = i * 10.25, items = i, status = i % 2 == 0 and "shipped" or "pending",
                                 sku = "SKU-" .. (4000 + i)}
            end
            local json = cjson.encode(doc)
            bench_size = #json
            function bench_encode() return cjson.encode(doc) end
            function bench_decode() return cjson.decode(json) end
            """;

    private Resty resty;
    private LuaValue encode;
    private LuaValue decode;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        resty = Resty.builder().workers(1).build();
        Globals g = ((LuaWorkerVm) resty.worker(0).vm("lua")).globals();
        g.load(SETUP, "=cjson_bench").call();
        int size = g.get("bench_size").toint();
        if (size < 900 || size > 1200) {
            throw new IllegalStateException("document is " + size + " bytes, expected about 1 KB");
        }
        encode = g.get("bench_encode");
        decode = g.get("bench_decode");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        resty.close();
    }

    @Benchmark
    public Object encode() {
        return encode.call();
    }

    @Benchmark
    public Object decode() {
        return decode.call();
    }
}
