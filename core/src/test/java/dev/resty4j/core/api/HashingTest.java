package dev.resty4j.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HashingTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] repeat(int value, int n) {
        byte[] r = new byte[n];
        Arrays.fill(r, (byte) value);
        return r;
    }

    private static byte[] allBytes() {
        byte[] r = new byte[256];
        for (int i = 0; i < 256; i++) {
            r[i] = (byte) i;
        }
        return r;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void md5() {
        assertThat(Hashing.md5Hex(b("hello"))).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(Hashing.md5Hex("hello")).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(Hashing.md5Hex("")).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(Hashing.md5Hex(allBytes())).isEqualTo("e2c865db4162bed963bfaa9ef6ac18f0");
        assertThat(Hashing.md5(b("hello"))).hasSize(16);
        assertThat(hex(Hashing.md5(b("hello")))).isEqualTo("5d41402abc4b2a76b9719d911017c592");
    }

    @Test
    void shaFamily() {
        assertThat(hex(Hashing.sha1(b("hello")))).isEqualTo("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
        assertThat(hex(Hashing.sha224(b("hello"))))
                .isEqualTo("ea09ae9cc6768c50fcee903ed054556e5bfc8347907f12598aa24193");
        assertThat(hex(Hashing.sha256(b("hello"))))
                .isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(hex(Hashing.sha384(b("hello")))).isEqualTo(
                "59e1748777448c69de6b800d7a33bbfb9ff1b463e44354c3553bcdb9c666fa90125a3c79f90397bdf5f6a13de828684f");
        assertThat(hex(Hashing.sha512(b("hello")))).isEqualTo(
                "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca7"
                + "2323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043");
        assertThat(hex(Hashing.sha1(b("")))).isEqualTo("da39a3ee5e6b4b0d3255bfef95601890afd80709");
    }

    @Test
    void hmacSha1Rfc2202() {
        assertThat(hex(Hashing.hmacSha1(repeat(0x0b, 20), b("Hi There"))))
                .isEqualTo("b617318655057264e28bc0b6fb378c8ef146be00");
        assertThat(hex(Hashing.hmacSha1(b("Jefe"), b("what do ya want for nothing?"))))
                .isEqualTo("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
        assertThat(hex(Hashing.hmacSha1(repeat(0xaa, 20), repeat(0xdd, 50))))
                .isEqualTo("125d7342b9ac11cd91a39af48aa17b4f63f175d3");
        byte[] key4 = new byte[25];
        for (int i = 0; i < 25; i++) {
            key4[i] = (byte) (i + 1);
        }
        assertThat(hex(Hashing.hmacSha1(key4, repeat(0xcd, 50))))
                .isEqualTo("4c9007f4026250c6bc8414f9bf50c86c2d7235da");
        assertThat(hex(Hashing.hmacSha1(repeat(0x0c, 20), b("Test With Truncation"))))
                .isEqualTo("4c1a03424b55e07fe7f27be1d58bb9324a9a5a04");
        assertThat(hex(Hashing.hmacSha1(repeat(0xaa, 80), b("Test Using Larger Than Block-Size Key - Hash Key First"))))
                .isEqualTo("aa4ae5e15272d00e95705637ce8a3b55ed402112");
        assertThat(hex(Hashing.hmacSha1(repeat(0xaa, 80),
                b("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"))))
                .isEqualTo("e8e99d0f45237d786d6bbaa7965c7808bbff1a91");
    }

    @Test
    void hmacSha256Rfc4231() {
        assertThat(hex(Hashing.hmacSha256(repeat(0x0b, 20), b("Hi There"))))
                .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        assertThat(hex(Hashing.hmacSha256(b("Jefe"), b("what do ya want for nothing?"))))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assertThat(hex(Hashing.hmacSha256(repeat(0xaa, 131),
                b("Test Using Larger Than Block-Size Key - Hash Key First"))))
                .isEqualTo("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }

    @Test
    void hmacSha512() {
        assertThat(hex(Hashing.hmacSha512(b("key"), b("The quick brown fox jumps over the lazy dog")))).isEqualTo(
                "b42af09057bac1e2d41708e48a902e09b5ff7f12ab428a4fe86653c73dd248fb"
                + "82f948a549f7b791a5b41915ee4d1ec3935357e4e2317250d0372afa2ebeeb3a");
    }

    @Test
    void hmacAcceptsEmptyKey() {
        assertThat(hex(Hashing.hmacSha1(new byte[0], new byte[0])))
                .isEqualTo("fbdb1d1b18aa6c08324b7d64b71fb76370690e1d");
        assertThat(hex(Hashing.hmacSha256(new byte[0], new byte[0])))
                .isEqualTo("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
    }

    @Test
    void crc32() {
        assertThat(Hashing.crc32Short(b("hello"))).isEqualTo(907060870L);
        assertThat(Hashing.crc32Long(b("hello"))).isEqualTo(907060870L);
        assertThat(Hashing.crc32Long(new byte[0])).isZero();
        assertThat(Hashing.crc32Short(new byte[0])).isZero();
        assertThat(Hashing.crc32Long(allBytes())).isEqualTo(688229491L);
        // values above 2^31 stay positive
        assertThat(Hashing.crc32Long(b("123456789"))).isEqualTo(0xCBF43926L);
        assertThat(Hashing.crc32Short(b("123456789"))).isEqualTo(0xCBF43926L);
    }

    @Test
    void toHex() {
        assertThat(Hashing.toHex(new byte[0])).isEmpty();
        assertThat(Hashing.toHex(new byte[] {0, 1, (byte) 0xAB, (byte) 0xFF, 0x10})).isEqualTo("0001abff10");
        assertThat(Hashing.toHex(allBytes())).isEqualTo(HexFormat.of().formatHex(allBytes()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|0",
        "7|7",
        "007|7",
        "123|123",
        "9223372036854775807|9223372036854775807",
        "9223372036854775808|-1",
        "99999999999999999999|-1",
        "''|-1",
        "-1|-1",
        "+1|-1",
        "' 1'|-1",
        "'1 '|-1",
        "12a|-1",
        "1.5|-1",
        "0x10|-1",
    })
    void atoi(String s, long expected) {
        assertThat(Hashing.atoi(s)).isEqualTo(expected);
        assertThat(Hashing.atoi(b(s))).isEqualTo(expected);
    }

    @Test
    void atoiOfNonByteString() {
        assertThat(Hashing.atoi("1\u0661")).isEqualTo(-1);
    }
}
