package dev.resty4j.lua.lib;

import dev.resty4j.core.api.Hashing;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.resty.Aes;
import dev.resty4j.core.resty.RandomBytes;
import dev.resty4j.core.resty.StreamingDigest;
import dev.resty4j.lua.LuaValues;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * lua-resty-string on the JDK: {@code resty.string} ({@code to_hex}, {@code atoi}), the digest objects
 * {@code resty.md5}, {@code resty.sha1}, {@code resty.sha224}, {@code resty.sha256}, {@code resty.sha384},
 * {@code resty.sha512} (and their common {@code resty.sha}), {@code resty.random} and {@code resty.aes}.
 */
final class RestyStringLib {

    private static final String VERSION = "0.16";
    /** The digests of lua-resty-string, by module suffix (also the keys of {@code aes.hash}). */
    static final String[] DIGESTS = {"md5", "sha1", "sha224", "sha256", "sha384", "sha512"};

    private RestyStringLib() {
    }

    private static LuaTable versioned() {
        LuaTable m = new LuaTable();
        m.set("_VERSION", VERSION);
        return m;
    }

    /** The bytes of a string argument; other types fail like the original's {@code #s}. */
    private static byte[] bytes(Varargs a, int i, String local) {
        LuaValue v = a.arg(i);
        if (v.type() != LuaValue.TSTRING) {
            throw new NgxApiException("attempt to get length of local '" + local + "' (a " + v.typename() + " value)");
        }
        return LuaValues.bytes(v);
    }

    static LuaTable string() {
        LuaTable m = versioned();
        m.set("to_hex", new NgxFunction("to_hex", a -> LuaValue.valueOf(Hashing.toHex(bytes(a, 1, "s")))));
        m.set("atoi", new NgxFunction("atoi", a -> LuaValue.valueOf((double) Hashing.atoi(bytes(a, 1, "s")))));
        return m;
    }

    /** {@code resty.sha}: only declares FFI types in the original. */
    static LuaTable sha() {
        return versioned();
    }

    /** {@code resty.md5}, {@code resty.sha256}, ...: {@code new()}, {@code update(s)}, {@code final()}, {@code reset()}. */
    static LuaTable digest(String name) {
        LuaTable methods = new LuaTable();
        LuaTable mt = ObjectTable.metatable(methods);
        methods.set("update", new NgxFunction("update", a -> {
            StreamingDigest d = ObjectTable.self(a, StreamingDigest.class);
            d.update(bytes(a, 2, "s"));
            return LuaValue.TRUE;
        }));
        methods.set("final", new NgxFunction("final", a -> LuaValues.lbytes(ObjectTable.self(a, StreamingDigest.class).finish())));
        methods.set("reset", new NgxFunction("reset", a -> {
            ObjectTable.self(a, StreamingDigest.class).reset();
            return LuaValue.TRUE;
        }));
        LuaTable m = versioned();
        m.set("new", new NgxFunction("new", a -> new ObjectTable<>(StreamingDigest.of(name), mt)));
        return m;
    }

    static LuaTable random() {
        LuaTable m = versioned();
        m.set("bytes", new NgxFunction("bytes", a -> LuaValues.lbytes(RandomBytes.bytes(a.checkint(1)))));
        return m;
    }

    static LuaTable aes() {
        LuaTable m = versioned();
        LuaTable hash = new LuaTable();
        for (String d : DIGESTS) {
            hash.set(d, new LuaUserdata(d));
        }
        m.set("hash", hash);
        NgxFunction cipher = new NgxFunction("cipher", a -> {
            Integer size = a.isnil(1) ? null : a.checkint(1);
            String mode = a.isnil(2) ? null : a.checkjstring(2);
            Aes.CipherSpec spec = Aes.CipherSpec.of(size, mode);
            if (spec == null) {
                // The original raises too (LuaJIT's FFI has no such EVP_aes_* function); failing loudly also
                // keeps aes:new from silently falling back to its default cipher.
                throw new NgxApiException("unsupported cipher EVP_aes_" + (size == null ? 128 : size) + "_"
                        + (mode == null ? "cbc" : mode) + " (resty4j offers ecb, cbc, cfb8, cfb128, ofb and ctr)");
            }
            LuaTable t = new LuaTable();
            t.set("size", spec.size());
            t.set("cipher", spec.mode());
            t.set("method", new LuaUserdata(spec));
            return t;
        });
        m.set("cipher", cipher);

        LuaTable methods = new LuaTable();
        LuaTable mt = ObjectTable.metatable(methods);
        methods.set("encrypt", new NgxFunction("encrypt", a -> {
            byte[] out = ObjectTable.self(a, Aes.class).encrypt(bytes(a, 2, "s"));
            return out == null ? failure("EVP_EncryptFinal_ex failed") : LuaValues.lbytes(out);
        }));
        methods.set("decrypt", new NgxFunction("decrypt", a -> {
            byte[] out = ObjectTable.self(a, Aes.class).decrypt(bytes(a, 2, "s"));
            return out == null ? failure("EVP_DecryptFinal_ex failed") : LuaValues.lbytes(out);
        }));
        // aes:new(key, salt, cipher, hash, hash_rounds, iv_len, enable_padding)
        m.set("new", new NgxFunction("new", a -> {
            byte[] key = bytes(a, 2, "key");
            Aes.CipherSpec spec = cipherSpec(a.arg(4).isnil() ? cipher.call() : a.arg(4));
            boolean padding = a.arg(8).isnil() || a.arg(8).toboolean();
            LuaValue h = a.arg(5);
            Aes.Created c;
            if (h.istable()) {
                LuaValue iv = h.get("iv");
                LuaValue method = h.get("method");
                if (!method.isnil() && iv.type() == LuaValue.TSTRING && iv.rawlen() == 16) {
                    key = LuaValues.bytes(method.call(a.arg(2)));
                }
                c = Aes.withKeyAndIv(key, iv.type() == LuaValue.TSTRING ? LuaValues.bytes(iv) : null, spec, padding);
            } else {
                String digest = h.isnil() ? "md5" : h.checkuserdata(String.class).toString();
                LuaValue salt = a.arg(3);
                c = Aes.derive(key, salt.isnil() ? null : LuaValues.bytes(salt), spec, digest, a.optint(6, 1), padding);
            }
            if (c.err() != null) {
                return failure(c.err());
            }
            return new ObjectTable<>(c.aes(), mt);
        }));
        return m;
    }

    private static Aes.CipherSpec cipherSpec(LuaValue t) {
        int size = t.get("size").checkint();
        String mode = t.get("cipher").checkjstring();
        Aes.CipherSpec spec = Aes.CipherSpec.of(size, mode);
        if (spec == null) {
            throw new NgxApiException("unsupported cipher EVP_aes_" + size + "_" + mode);
        }
        return spec;
    }

    private static Varargs failure(String err) {
        return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(err));
    }
}
