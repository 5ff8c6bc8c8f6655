package dev.resty4j.lua.lib;

import dev.resty4j.lua.LuaWorkerVm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LuaC;

/**
 * {@code require}: modules load from {@code package.preload}, then the {@code lua_package_path} templates
 * (files), then the class path under {@code resty4j/lua/} (modules shipped in jars). Loaded modules are
 * cached per worker in {@code package.loaded}, as in an nginx worker.
 */
public final class Requires {

    private Requires() {
    }

    public static void install(LuaWorkerVm vm, Globals g) {
        LuaTable pkg = g.get("package").checktable();
        List<String> templates = new ArrayList<>(vm.worker().resty().settings().packagePath());
        templates.add("./?.lua");
        pkg.set("path", String.join(";", templates));
        pkg.set("cpath", "");
        LuaTable searchers = new LuaTable();
        searchers.set(1, new NgxFunction("preload_searcher", a -> {
            LuaValue f = pkg.get("preload").get(a.arg1());
            return f.isnil() ? LuaValue.valueOf("\n\tno field package.preload['" + a.arg1().tojstring() + "']") : f;
        }));
        searchers.set(2, new NgxFunction("file_searcher", a -> {
            String name = a.checkjstring(1);
            String path = pkg.get("path").tojstring();
            StringBuilder tried = new StringBuilder();
            for (String t : path.split(";")) {
                if (t.isEmpty()) {
                    continue;
                }
                Path p = Path.of(t.replace("?", name.replace('.', '/')));
                if (Files.isRegularFile(p)) {
                    try (InputStream in = Files.newInputStream(p)) {
                        Prototype proto = LuaC.instance.compile(in, "@" + p);
                        return LuaValue.varargsOf(new LuaClosure(proto, g), LuaValue.valueOf(p.toString()));
                    } catch (IOException e) {
                        return LuaValue.valueOf("\n\tcannot read '" + p + "': " + e.getMessage());
                    }
                }
                tried.append("\n\tno file '").append(p).append('\'');
            }
            return LuaValue.valueOf(tried.toString());
        }));
        searchers.set(3, new NgxFunction("classpath_searcher", a -> {
            String name = a.checkjstring(1);
            String res = "resty4j/lua/" + name.replace('.', '/') + ".lua";
            InputStream in = Requires.class.getClassLoader().getResourceAsStream(res);
            if (in == null) {
                return LuaValue.valueOf("\n\tno resource '" + res + "' on the class path");
            }
            try (in) {
                Prototype proto = LuaC.instance.compile(in, "@" + res);
                return LuaValue.varargsOf(new LuaClosure(proto, g), LuaValue.valueOf(res));
            } catch (IOException e) {
                return LuaValue.valueOf("\n\tcannot read '" + res + "': " + e.getMessage());
            }
        }));
        pkg.set("searchers", searchers);
        pkg.set("loaders", searchers);
    }
}
