package dev.resty4j.lua.lib;

import dev.resty4j.lua.LuaWorkerVm;
import java.util.function.Supplier;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;

/**
 * The libraries OpenResty bundles that scripts {@code require} besides {@code ngx}: lua-cjson ({@code cjson},
 * {@code cjson.safe}), lua-resty-lrucache ({@code resty.lrucache}, {@code resty.lrucache.pureffi}),
 * lua-resty-lock ({@code resty.lock}) and lua-resty-string ({@code resty.string}, {@code resty.md5},
 * {@code resty.sha}, {@code resty.sha1}, ..., {@code resty.sha512}, {@code resty.random}, {@code resty.aes}),
 * registered in {@code package.preload}; each module is built on first {@code require} and then cached in
 * {@code package.loaded}, per worker VM.
 */
public final class RestyModules {

    private RestyModules() {
    }

    public static void install(LuaWorkerVm vm, Globals g) {
        LuaTable preload = g.get("package").get("preload").checktable();
        CjsonLib.VmState cjson = new CjsonLib.VmState();
        preload(preload, "cjson", () -> CjsonLib.module(cjson, false));
        preload(preload, "cjson.safe", () -> CjsonLib.module(cjson, true));
        preload(preload, "resty.lrucache", () -> LrucacheLib.module(vm));
        preload(preload, "resty.lrucache.pureffi", () -> LrucacheLib.module(vm));
        preload(preload, "resty.lock", () -> RestyLockLib.module(vm));
        preload(preload, "resty.string", RestyStringLib::string);
        preload(preload, "resty.sha", RestyStringLib::sha);
        for (String digest : RestyStringLib.DIGESTS) {
            preload(preload, "resty." + digest, () -> RestyStringLib.digest(digest));
        }
        preload(preload, "resty.random", RestyStringLib::random);
        preload(preload, "resty.aes", RestyStringLib::aes);
    }

    private static void preload(LuaTable preload, String name, Supplier<LuaTable> module) {
        preload.set(name, new NgxFunction(name, a -> module.get()));
    }
}
