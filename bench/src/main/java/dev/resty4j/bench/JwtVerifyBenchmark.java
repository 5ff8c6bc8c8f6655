package dev.resty4j.bench;

import dev.resty4j.Resty;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JWT verification through the Lua API ({@code resty.jwt}, bindings-jwt on the class path), as the seed's
 * "JWT Authentication at the Edge" does it: an access_by_lua script reads the bearer token, calls
 * {@code jwt:verify(key, token)} and passes the subject on in a request header. One worker fiber runs a
 * batch of requests back to back through the phases (as {@link AccessPhaseBenchmark#inOneFiber}, whose
 * score is the baseline without JWT). Tokens are signed here with the JDK's own HMAC / RSA.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class JwtVerifyBenchmark extends PipelineBenchmark {

    static final String SECRET = "bench-secret-0123456789abcdef0123456789";

    static final String ACCESS = """
            local jwt = require "resty.jwt"
            local auth = ngx.req.get_headers()["Authorization"]
            local obj = jwt:verify(JWT_KEY, auth:sub(8))
            if not obj.verified then
                return ngx.exit(401)
            end
            ngx.req.set_header("X-User-Id", obj.payload.sub)
            """;

    @Param({"HS256", "RS256"})
    public String alg;

    private String[] headers;

    @Override
    protected String[] headers() {
        return headers;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String header = b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}");
        String payload = b64("{\"sub\":\"alice\",\"role\":\"admin\",\"exp\":" + (System.currentTimeMillis() / 1000 + 86400) + "}");
        String input = header + "." + payload;
        String key;
        byte[] signature;
        if (alg.equals("HS256")) {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            signature = mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
            key = SECRET;
        } else {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair kp = g.generateKeyPair();
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(kp.getPrivate());
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            signature = s.sign();
            key = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(kp.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
        }
        headers = new String[] {"Authorization", "Bearer " + input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature)};
        resty = Resty.builder().workers(2)
                .initByLua("JWT_KEY = [==[" + key + "]==]")
                .location("/api/", l -> l.accessByLua(ACCESS).contentByLua("ngx.print(ngx.var.http_x_user_id)"))
                .build();
        int status = dispatchOne();
        if (status != 200) {
            throw new IllegalStateException("the verification script answered " + status + " (is bindings-jwt on the class path?)");
        }
    }

    /** Requests through one fiber back to back; the score is the cost of one request with a verification. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object verifyInAccessPhase() throws Exception {
        return batchInOneFiber();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
