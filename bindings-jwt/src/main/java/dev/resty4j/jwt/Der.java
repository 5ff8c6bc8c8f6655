package dev.resty4j.jwt;

import java.io.ByteArrayOutputStream;

/**
 * Wraps PKCS#1 RSA keys ({@code BEGIN RSA PUBLIC KEY} / {@code BEGIN RSA PRIVATE KEY}, as OpenSSL writes
 * them and lua-resty-jwt accepts them) into the SubjectPublicKeyInfo / PKCS#8 envelopes the JDK's
 * {@code KeyFactory} reads. Only the envelope is built here; the key itself is parsed by the JDK.
 */
final class Der {

    /** AlgorithmIdentifier { rsaEncryption, NULL }. */
    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
    };

    private Der() {
    }

    static byte[] rsaPkcs1PublicToSpki(byte[] pkcs1) {
        byte[] bitString = new byte[pkcs1.length + 1]; // leading 0: no unused bits
        System.arraycopy(pkcs1, 0, bitString, 1, pkcs1.length);
        return tlv(0x30, concat(RSA_ALGORITHM, tlv(0x03, bitString)));
    }

    static byte[] rsaPkcs1PrivateToPkcs8(byte[] pkcs1) {
        byte[] version = {0x02, 0x01, 0x00};
        return tlv(0x30, concat(version, RSA_ALGORITHM, tlv(0x04, pkcs1)));
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
