package dev.resty4j.core.resty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.core.api.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Vectors from lua-resty-string's t/aes.t (OpenSSL's output). */
class AesTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String encryptHex(Aes.Created c, String plain) {
        assertThat(c.err()).isNull();
        return Hashing.toHex(c.aes().encrypt(b(plain)));
    }

    @Test
    void defaultIs128CbcWithOneRoundOfMd5() {
        Aes.Created c = Aes.derive(b("secret"), null, Aes.CipherSpec.of(null, null), "md5", 1, true);
        assertThat(encryptHex(c, "hello")).isEqualTo("7b47a4dbb11e2cddb2f3740c9e3a552b");
        assertThat(c.aes().decrypt(c.aes().encrypt(b("hello")))).isEqualTo(b("hello"));
        Aes.Created empty = Aes.derive(b(""), null, Aes.CipherSpec.of(null, null), "md5", 1, true);
        assertThat(encryptHex(empty, "hello")).isEqualTo("6cb1a35bf9d66e92c9dec684fc329746");
    }

    @Test
    void saltAndOtherCiphersAndDigests() {
        assertThat(encryptHex(Aes.derive(b("secret"), b("WhatSalt"), Aes.CipherSpec.of(null, null), "md5", 1, true), "hello"))
                .isEqualTo("f72db89f8e19326d8da4928be106705c");
        assertThat(encryptHex(Aes.derive(b("secret"), null, Aes.CipherSpec.of(256, "ecb"), "sha1", 1, true), "hello"))
                .isEqualTo("927148b31f0e89696a222489403f540d");
        assertThat(encryptHex(Aes.derive(b("secret"), null, Aes.CipherSpec.of(256, "ecb"), "sha1", 5, true), "hello"))
                .isEqualTo("d1a9b6e59b8980e783df223889563bee");
        assertThat(Aes.derive(b("secret"), b("abc"), Aes.CipherSpec.of(null, null), "md5", 1, true).err())
                .isEqualTo("salt must be 8 characters or nil");
    }

    @Test
    void explicitKeyAndIvEqualTheDerivedOnes() {
        Base64.Decoder d = Base64.getDecoder();
        Aes.Created c = Aes.withKeyAndIv(d.decode("Xr4ilOzQ4PCOq3aQ0qbuaQ=="), d.decode("Jq5cyFTja2vfyjZoSN6muw=="),
                Aes.CipherSpec.of(128, "cbc"), true);
        assertThat(encryptHex(c, "hello")).isEqualTo("7b47a4dbb11e2cddb2f3740c9e3a552b");
        assertThat(Aes.withKeyAndIv(b("hel"), d.decode("Jq5cyFTja2vfyjZoSN6muw=="), Aes.CipherSpec.of(128, "cbc"), true).err())
                .isEqualTo("bad key length");
        assertThat(Aes.withKeyAndIv(b("0123456789abcdef"), b("hello"), Aes.CipherSpec.of(128, "cbc"), true).err())
                .isEqualTo("bad iv");
    }

    @Test
    void streamModesRoundTripAndBadInputFails() {
        for (String mode : new String[] {"cfb8", "cfb128", "ofb", "ctr"}) {
            Aes aes = Aes.derive(b("k"), null, Aes.CipherSpec.of(192, mode), "sha256", 3, true).aes();
            byte[] enc = aes.encrypt(b("stream cipher text"));
            assertThat(enc).hasSize(18);
            assertThat(aes.decrypt(enc)).isEqualTo(b("stream cipher text"));
        }
        Aes cbc = Aes.derive(b("k"), null, Aes.CipherSpec.of(null, null), "md5", 1, true).aes();
        assertThat(cbc.decrypt(b("not a multiple of 16"))).isNull();
        Aes noPadding = Aes.derive(b("k"), null, Aes.CipherSpec.of(null, null), "md5", 1, false).aes();
        assertThat(noPadding.encrypt(b("short"))).isNull();
        assertThat(Aes.CipherSpec.of(128, "cfb1")).isNull();
        assertThat(Aes.CipherSpec.of(512, "cbc")).isNull();
    }

    @Test
    void digestsMatchKnownVectors() {
        StreamingDigest sha256 = StreamingDigest.of("sha256");
        sha256.update(b("hel"));
        sha256.update(b("lo"));
        assertThat(Hashing.toHex(sha256.finish())).isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        sha256.update(b(""));
        assertThat(Hashing.toHex(sha256.finish())).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        StreamingDigest sha1 = StreamingDigest.of("sha1");
        sha1.update(b("hello, world"));
        assertThat(Hashing.toHex(sha1.finish())).isEqualTo("b7e23ec29af22b0b4e41da31e868d57226121c84");
    }
}
