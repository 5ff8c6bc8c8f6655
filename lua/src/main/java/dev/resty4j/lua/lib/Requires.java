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

    /** The search path LuaJIT's {@code ;;} expands to here: the working directory. */
    private static final String DEFAULT_PATH = "./?.lua";
    private static final String DEFAULT_CPATH = "./?.so";

    private Requires() {
    }

    public static void install(LuaWorkerVm vm, Globals g) {
        LuaTable pkg = g.get("package").checktable();
        List<String> templates = new ArrayList<>(vm.worker().resty().settings().packagePath());
        // ";;" stands for the default path; without it the default still comes last
        int defaults = templates.indexOf(";;");
        if (defaults < 0) {
            templates.add(DEFAULT_PATH);
        } else {
            templates.replaceAll(t -> t.equals(";;") ? DEFAULT_PATH : t);
        }
        pkg.set("path", String.join(";", templates));
        // informational only (no C modules on the JVM), but scripts and libraries read it
        List<String> cpath = vm.worker().resty().settings().directive("lua_package_cpath");
        pkg.set("cpath", cpath == null || cpath.isEmpty() ? "" : cpath.get(0).replace(";;", ";" + DEFAULT_CPATH + ";")
                .replaceAll("^;+|;+$", "").replaceAll(";{2,}", ";"));
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
                        return LuaValue.varargsOf(loader(new LuaClosure(proto, g)), LuaValue.valueOf(p.toString()));
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
                return LuaValue.varargsOf(loader(new LuaClosure(proto, g)), LuaValue.valueOf(res));
            } catch (IOException e) {
                return LuaValue.valueOf("\n\tcannot read '" + res + "': " + e.getMessage());
            }
        }));
        pkg.set("searchers", searchers);
        pkg.set("loaders", searchers);
        installModule(g, pkg);
    }

    /** Chunks being loaded by require, innermost last: Lua 5.1's module() changes the environment of the top one. */
    private static final ThreadLocal<java.util.ArrayDeque<LuaClosure>> LOADING = ThreadLocal.withInitial(java.util.ArrayDeque::new);

    private static LuaValue loader(LuaClosure chunk) {
        return new NgxFunction("loader", a -> {
            java.util.ArrayDeque<LuaClosure> stack = LOADING.get();
            stack.addLast(chunk);
            try {
                return chunk.invoke(a);
            } finally {
                stack.removeLast();
            }
        });
    }

    /**
     * Lua 5.1's {@code module(name, ...)} and {@code package.seeall}, which older OpenResty libraries still
     * use. LuaJ has no call stack to find the caller without its (slow) debug library, so module() applies
     * to the chunk require is loading, which is where module() is called in practice.
     */
    private static void installModule(Globals g, LuaTable pkg) {
        pkg.set("seeall", new NgxFunction("seeall", a -> {
            LuaTable m = a.checktable(1);
            LuaTable mt = new LuaTable();
            mt.set("__index", g);
            m.setmetatable(mt);
            return LuaValue.NONE;
        }));
        g.set("module", new NgxFunction("module", a -> {
            String name = a.checkjstring(1);
            LuaTable loaded = pkg.get("loaded").checktable();
            LuaValue existing = loaded.get(name);
            LuaTable m = existing.istable() ? existing.checktable() : findOrCreate(g, name);
            loaded.set(name, m);
            if (m.get("_NAME").isnil()) {
                m.set("_M", m);
                m.set("_NAME", name);
                int dot = name.lastIndexOf('.');
                m.set("_PACKAGE", dot >= 0 ? name.substring(0, dot + 1) : "");
            }
            LuaClosure chunk = LOADING.get().peekLast();
            if (chunk != null) {
                for (int i = 0; i < chunk.p.upvalues.length; i++) {
                    if (chunk.p.upvalues[i].name != null && "_ENV".equals(chunk.p.upvalues[i].name.tojstring())) {
                        chunk.upValues[i] = new org.luaj.vm2.UpValue(new LuaValue[] {m}, 0);
                    }
                }
            }
            for (int i = 2; i <= a.narg(); i++) {
                a.arg(i).call(m);
            }
            return LuaValue.NONE;
        }));
    }

    private static LuaTable findOrCreate(Globals g, String dotted) {
        LuaTable t = g;
        for (String part : dotted.split("\\.")) {
            LuaValue v = t.get(part);
            if (!v.istable()) {
                v = new LuaTable();
                t.set(part, v);
            }
            t = v.checktable();
        }
        return t;
    }
}
