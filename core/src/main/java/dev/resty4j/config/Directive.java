package dev.resty4j.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One directive of an nginx-style configuration: its name, its arguments (already unquoted and unescaped the
 * way nginx does it) and, for block directives such as {@code http { ... }}, its children.
 *
 * <p>Raw code blocks ({@code *_by_lua_block} and {@code *_by_js_block}) are not parsed as nginx blocks: the
 * exact text between their braces becomes the <em>last</em> argument and {@link #block()} is {@code null};
 * see {@link #isRawBlock()}.
 *
 * <p>{@code include} directives never appear in a parsed tree: they are replaced by the directives of the
 * included file(s), which carry their own {@link #file()} and {@link #line()}.
 *
 * @param name  directive name (first token). It may be empty: a quoted empty first token is legal syntax and
 *              meaningful in blocks whose entries are not directives, e.g. {@code map ... { '' close; }}
 * @param args  arguments after the name (immutable; for raw blocks the last one is the code)
 * @param block child directives (immutable) when the directive has a {@code { ... }} block, or {@code null}
 *              when it ends with {@code ;} (and for raw Lua/JS blocks)
 * @param file  the file the directive was read from, as named by the parser
 * @param line  1-based line on which the directive's name starts
 */
public record Directive(String name, List<String> args, List<Directive> block, String file, int line) {

    /** Name suffix of directives whose block body is raw Lua code (lua-nginx-module convention). */
    public static final String LUA_BLOCK_SUFFIX = "_by_lua_block";
    /** Name suffix of directives whose block body is raw JavaScript code. */
    public static final String JS_BLOCK_SUFFIX = "_by_js_block";

    public Directive {
        Objects.requireNonNull(name, "name");
        args = List.copyOf(args);
        block = block == null ? null : List.copyOf(block);
    }

    /** Convenience constructor for a simple directive (no block). */
    public Directive(String name, List<String> args, String file, int line) {
        this(name, args, null, file, line);
    }

    /** Whether the directive had a {@code { ... }} block of nginx directives (false for raw Lua/JS blocks). */
    public boolean hasBlock() {
        return block != null;
    }

    /** The {@code i}-th argument (0-based, not counting the name), or {@code null} if there is no such argument. */
    public String arg(int i) {
        return i >= 0 && i < args.size() ? args.get(i) : null;
    }

    /** Number of arguments (not counting the name). */
    public int argCount() {
        return args.size();
    }

    /** Whether this directive's last argument is a raw Lua/JS code block (see {@link #isRawBlockName}). */
    public boolean isRawBlock() {
        return isRawBlockName(name);
    }

    /** Whether the raw body of this directive is Lua code ({@code *_by_lua_block}). */
    public boolean isLuaBlock() {
        return name.endsWith(LUA_BLOCK_SUFFIX);
    }

    /** Whether the raw body of this directive is JavaScript code ({@code *_by_js_block}). */
    public boolean isJsBlock() {
        return name.endsWith(JS_BLOCK_SUFFIX);
    }

    /**
     * The code of a raw Lua/JS block (its last argument), or {@code null} if this is not a raw block directive.
     */
    public String rawBody() {
        return isRawBlock() && !args.isEmpty() ? args.get(args.size() - 1) : null;
    }

    /** The children named {@code childName}, in order (empty when there is no block). */
    public List<Directive> children(String childName) {
        if (block == null) {
            return List.of();
        }
        List<Directive> out = new ArrayList<>();
        for (Directive d : block) {
            if (d.name.equals(childName)) {
                out.add(d);
            }
        }
        return out;
    }

    /** The first child named {@code childName}, or {@code null}. */
    public Directive child(String childName) {
        if (block != null) {
            for (Directive d : block) {
                if (d.name.equals(childName)) {
                    return d;
                }
            }
        }
        return null;
    }

    /** {@code FILE:LINE}, handy for error messages of code that interprets the tree. */
    public String location() {
        return file + ":" + line;
    }

    /**
     * Whether directives with this name take a raw code body instead of an nginx block: names ending in
     * {@value #LUA_BLOCK_SUFFIX} or {@value #JS_BLOCK_SUFFIX}.
     */
    public static boolean isRawBlockName(String name) {
        return name.endsWith(LUA_BLOCK_SUFFIX) || name.endsWith(JS_BLOCK_SUFFIX);
    }
}
