package dev.resty4j.jwt;

import static dev.resty4j.jwt.LuaRunner.lit;
import static dev.resty4j.jwt.LuaRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Tokens made by other implementations verify here: the worked examples of RFC 7515 Appendix A (JWS),
 * RFC 7519 section 3.1 (the same JWT as 7515 A.1) and RFC 7516 Appendix A.3 (JWE with A128KW and
 * A128CBC-HS256), typed in from the RFCs, through the Lua API.
 */
class RfcVectorsTest {

    /** The payload of RFC 7515 A.1 to A.3: {"iss":"joe", "exp":1300819380, "http://example.com/is_root":true} (CRLFs inside). */
    static final String PAYLOAD = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";

    static final String A1_TOKEN = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9." + PAYLOAD
            + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final String A1_KEY = "{\"kty\":\"oct\",\"k\":\"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow\"}";

    static final String A2_TOKEN = "eyJhbGciOiJSUzI1NiJ9." + PAYLOAD + ".cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";
    static final String A2_KEY = "{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddx"
            + "HmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSH"
            + "SXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8"
            + "NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ\"}";

    static final String A3_TOKEN = "eyJhbGciOiJFUzI1NiJ9." + PAYLOAD
            + ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
    static final String A3_KEY = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
            + "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}";

    /** RFC 7516 A.3: "Live long and prosper." encrypted with A128KW and A128CBC-HS256. */
    static final String JWE_A3_TOKEN = "eyJhbGciOiJBMTI4S1ciLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0."
            + "6KB707dM9YTIgHtLvtgWQ8mKwboJW3of9locizkDTHzBC2IlrT1oOQ.AxY8DCtDaGlsbGljb3RoZQ."
            + "KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY.U0m_YmjN04DJvceFICbCVQ";
    static final String JWE_A3_KEY = "{\"kty\":\"oct\",\"k\":\"GawgguFyGrWKav7AX4VKUg\"}";

    /** Verifies with a claim spec that checks iss (the RFC tokens expired in 2011, which the default checks would report). */
    private static String verifyIss(String key, String token) throws Exception {
        return run("""
                local jwt = require "resty.jwt"
                local validators = require "resty.jwt-validators"
                local obj = jwt:verify(%s, %s, { iss = validators.equals("joe") })
                ngx.say(obj.verified, " ", obj.reason, " ", obj.header.alg, " ", obj.payload.exp, " ",
                        tostring(obj.payload["http://example.com/is_root"]))
                """.formatted(lit(key), lit(token)));
    }

    @Test
    void rfc7515A1Hs256() throws Exception {
        assertThat(verifyIss(A1_KEY, A1_TOKEN)).isEqualTo("true everything is awesome~ :p HS256 1300819380 true\n");
    }

    @Test
    void rfc7515A2Rs256() throws Exception {
        assertThat(verifyIss(A2_KEY, A2_TOKEN)).isEqualTo("true everything is awesome~ :p RS256 1300819380 true\n");
    }

    @Test
    void rfc7515A3Es256() throws Exception {
        assertThat(verifyIss(A3_KEY, A3_TOKEN)).isEqualTo("true everything is awesome~ :p ES256 1300819380 true\n");
    }

    @Test
    void rfc7519ExampleIsExpiredUnderTheDefaultChecks() throws Exception {
        // RFC 7519 section 3.1 is the token of RFC 7515 A.1; its exp (2011-03-22) is long past
        String out = run("""
                local jwt = require "resty.jwt"
                local obj = jwt:verify(%s, %s)
                ngx.say(obj.verified, " ", obj.reason)
                """.formatted(lit(A1_KEY), lit(A1_TOKEN)));
        assertThat(out).isEqualTo("false 'exp' claim expired at Tue, 22 Mar 2011 18:43:00 GMT\n");
    }

    @Test
    void rfcTokensAreValidAtTheirTime() throws Exception {
        String out = run("""
                local jwt = require "resty.jwt"
                local validators = require "resty.jwt-validators"
                validators.set_system_clock(function() return 1300819000 end)
                for _, t in ipairs({ {%s, %s}, {%s, %s}, {%s, %s} }) do
                    local obj = jwt:verify(t[1], t[2])
                    ngx.say(obj.header.alg, " ", obj.verified)
                end
                """.formatted(lit(A1_KEY), lit(A1_TOKEN), lit(A2_KEY), lit(A2_TOKEN), lit(A3_KEY), lit(A3_TOKEN)));
        assertThat(out).isEqualTo("HS256 true\nRS256 true\nES256 true\n");
    }

    @Test
    void aChangedByteBreaksEveryVector() throws Exception {
        String out = run("""
                local jwt = require "resty.jwt"
                local validators = require "resty.jwt-validators"
                validators.set_system_clock(function() return 1300819000 end)
                for _, t in ipairs({ {%s, %s}, {%s, %s}, {%s, %s} }) do
                    -- flip the payload to {"iss":"jod",...}
                    local forged = t[2]:gsub("eyJpc3MiOiJqb2Ui", "eyJpc3MiOiJqb2Qi")
                    local obj = jwt:verify(t[1], forged)
                    ngx.say(obj.header.alg, " ", obj.verified, " ", obj.payload.iss, " ", obj.reason:sub(1, 18))
                end
                """.formatted(lit(A1_KEY), lit(A1_TOKEN), lit(A2_KEY), lit(A2_TOKEN), lit(A3_KEY), lit(A3_TOKEN)));
        assertThat(out).isEqualTo("HS256 false jod signature mismatch\nRS256 false jod signature mismatch\nES256 false jod signature mismatch\n");
    }

    @Test
    void rfc7516A3JweDecrypts() throws Exception {
        String out = run("""
                local jwt = require "resty.jwt"
                local obj = jwt:verify(%s, %s)
                ngx.say(obj.verified, " ", obj.header.alg, " ", obj.header.enc, " ", obj.payload)
                local wrong = jwt:verify([[{"kty":"oct","k":"AAAAAAAAAAAAAAAAAAAAAA"}]], %s)
                ngx.say(wrong.verified, " ", wrong.reason)
                """.formatted(lit(JWE_A3_KEY), lit(JWE_A3_TOKEN), lit(JWE_A3_TOKEN)));
        assertThat(out).isEqualTo("true A128KW A128CBC-HS256 Live long and prosper.\nfalse failed to decrypt JWE\n");
    }
}
