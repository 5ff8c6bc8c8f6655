package dev.resty4j.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses nginx-style configuration text into a tree of {@link Directive}s, without interpreting directives.
 *
 * <p>The syntax is nginx's (see {@link Lexer} for the token rules), with two extensions handled the way the
 * corresponding modules do: the body of any directive named {@code *_by_lua_block} is read as raw Lua code
 * and that of {@code *_by_js_block} as raw JavaScript (see {@link LuaBlockScanner}, {@link JsBlockScanner});
 * the exact text between the braces becomes the directive's last argument and its {@code block} is null.
 *
 * <p>A file may be a whole {@code nginx.conf} or any fragment (bare {@code server { }} blocks, locations,
 * simple directives). Blocks cannot span files, exactly as in nginx.
 *
 * <p><b>include.</b> {@code include PATH;} is replaced in place by the directives of the named file, or of
 * every regular file matching it when it contains {@code * ? [} (sorted; no match is not an error). Each
 * included file must itself be balanced. A relative path is looked up relative to the directory of the
 * file containing the {@code include}; if nothing is found there, it is looked up relative to the
 * <em>root directory</em> (the directory of the top-level file, or the {@code baseDir} given), which is
 * where nginx itself resolves it (its "conf prefix"), so stock layouts such as Debian's
 * {@code sites-enabled/default} → {@code include snippets/fastcgi-php.conf;} work. A missing non-glob file
 * and include cycles are errors.
 *
 * <p>Files are decoded as UTF-8 (malformed bytes become U+FFFD); a leading byte order mark is ignored.
 *
 * <p>Errors are reported as {@link ConfigException}s worded like nginx's, e.g.
 * <code>unexpected "&#125;" in conf/x.conf:12</code>.
 */
public final class ConfigParser {

    /** Directory against which relative includes are resolved when not found next to the including file. */
    private final Path rootDir;
    /** Real paths of the files being parsed (innermost last), for cycle detection. */
    private final Set<Path> openFiles = new LinkedHashSet<>();
    /** Display names of the files being parsed, outermost first, for cycle messages. */
    private final Deque<String> fileChain = new ArrayDeque<>();

    private ConfigParser(Path rootDir) {
        this.rootDir = rootDir;
    }

    /**
     * Parses a configuration file, following {@code include}s (relative ones against this file's directory).
     * Directives carry {@code file.toString()} (or the resolved include path) as their file name.
     */
    public static List<Directive> parse(Path file) throws ConfigException {
        Path dir = directoryOf(file);
        return new ConfigParser(dir).parseFile(file, file.toString(), null, 0);
    }

    /**
     * Parses configuration text; relative {@code include}s are resolved against the current directory.
     *
     * @param fileName the name used in directives and error messages
     */
    public static List<Directive> parse(String text, String fileName) throws ConfigException {
        return parse(text, fileName, Path.of(""));
    }

    /**
     * Parses configuration text; relative {@code include}s are resolved against {@code baseDir}.
     *
     * @param fileName the name used in directives and error messages
     */
    public static List<Directive> parse(String text, String fileName, Path baseDir) throws ConfigException {
        ConfigParser parser = new ConfigParser(baseDir);
        parser.fileChain.addLast(fileName);
        return parser.parseBlock(new Lexer(text, fileName), baseDir, false);
    }

    // ---------------------------------------------------------------------------------------------------

    /**
     * Reads and parses one file. {@code fromFile}/{@code fromLine} locate the {@code include} that asked for
     * it (null/0 for the top-level file) and are where read errors and cycles are reported.
     */
    private List<Directive> parseFile(Path path, String name, String fromFile, int fromLine)
            throws ConfigException {
        Path real;
        String text;
        try {
            real = path.toRealPath();
            if (openFiles.contains(real)) {
                List<String> chain = new ArrayList<>(fileChain);
                chain.add(name);
                throw new ConfigException("include cycle: " + String.join(" -> ", chain), fromFile, fromLine);
            }
            text = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("open() \"" + name + "\" failed (" + describe(e) + ")",
                    fromFile == null ? name : fromFile, fromLine, e);
        }
        openFiles.add(real);
        fileChain.addLast(name);
        try {
            return parseBlock(new Lexer(text, name), directoryOf(path), false);
        } finally {
            fileChain.removeLast();
            openFiles.remove(real);
        }
    }

    /**
     * Parses and returns the directives up to the end of the current block ({@code inBlock}) or file.
     *
     * @param dir directory of the current file, for relative includes
     */
    private List<Directive> parseBlock(Lexer lx, Path dir, boolean inBlock) throws ConfigException {
        List<Directive> out = new ArrayList<>();
        List<String> words = new ArrayList<>(); // name and arguments of the directive being read
        int line = 0;                           // line of its name
        while (true) {
            Lexer.Token t = lx.next();
            switch (t.kind()) {
                case WORD -> {
                    if (words.isEmpty()) {
                        line = t.line();
                    }
                    words.add(t.text());
                }
                case SEMICOLON -> {
                    if (words.isEmpty()) {
                        throw lx.error("unexpected \";\"", t.line());
                    }
                    simpleDirective(lx, dir, words, line, out);
                    words = new ArrayList<>();
                }
                case OPEN -> {
                    if (words.isEmpty()) {
                        throw lx.error("unexpected \"{\"", t.line());
                    }
                    out.add(blockDirective(lx, dir, words, line));
                    words = new ArrayList<>();
                }
                case CLOSE -> {
                    if (!words.isEmpty() || !inBlock) {
                        throw lx.error("unexpected \"}\"", t.line());
                    }
                    return out;
                }
                case EOF -> {
                    if (!words.isEmpty()) {
                        throw lx.error("unexpected end of file, expecting \";\" or \"}\"", t.line());
                    }
                    if (inBlock) {
                        throw lx.error("unexpected end of file, expecting \"}\"", t.line());
                    }
                    return out;
                }
            }
        }
    }

    /** Handles a directive terminated by ';' (expanding it when it is an include). */
    private void simpleDirective(Lexer lx, Path dir, List<String> words, int line, List<Directive> out)
            throws ConfigException {
        String name = words.get(0);
        if (Directive.isRawBlockName(name)) {
            throw lx.error("directive \"" + name + "\" has no opening \"{\"", line);
        }
        if (name.equals("include")) {
            if (words.size() != 2) {
                throw lx.error("invalid number of arguments in \"include\" directive", line);
            }
            include(words.get(1), lx.file(), line, dir, out);
            return;
        }
        out.add(new Directive(name, words.subList(1, words.size()), null, lx.file(), line));
    }

    /** Handles a directive followed by '{': a raw Lua/JS block or a nested nginx block. */
    private Directive blockDirective(Lexer lx, Path dir, List<String> words, int line) throws ConfigException {
        String name = words.get(0);
        List<String> args = new ArrayList<>(words.subList(1, words.size()));
        if (Directive.isRawBlockName(name)) {
            boolean lua = name.endsWith(Directive.LUA_BLOCK_SUFFIX);
            args.add(lx.readRawBlock(name, line, lua));
            return new Directive(name, args, null, lx.file(), line);
        }
        if (name.equals("include")) {
            throw lx.error("directive \"include\" is not terminated by \";\"", line);
        }
        List<Directive> children = parseBlock(lx, dir, true);
        return new Directive(name, args, children, lx.file(), line);
    }

    /** Expands {@code include pattern;} found at {@code file:line} into {@code out}. */
    private void include(String pattern, String file, int line, Path dir, List<Directive> out)
            throws ConfigException {
        Path given;
        try {
            given = Path.of(pattern);
        } catch (InvalidPathException e) {
            throw new ConfigException("invalid include path \"" + pattern + "\"", file, line, e);
        }
        // Candidate locations, in order of preference (see the class comment).
        Set<Path> candidates = new LinkedHashSet<>();
        if (given.isAbsolute()) {
            candidates.add(given.normalize());
        } else {
            candidates.add(dir.resolve(given).normalize());
            candidates.add(rootDir.resolve(given).normalize());
        }

        if (!Glob.isGlob(pattern)) {
            for (Path candidate : candidates) {
                if (Files.exists(candidate)) {
                    out.addAll(parseFile(candidate, candidate.toString(), file, line));
                    return;
                }
            }
            Path first = candidates.iterator().next();
            throw new ConfigException("open() \"" + first + "\" failed (No such file or directory)", file, line);
        }

        for (Path candidate : candidates) {
            List<Path> matches;
            try {
                matches = Glob.expand(candidate);
            } catch (IOException e) {
                throw new ConfigException("glob() \"" + candidate + "\" failed (" + describe(e) + ")", file, line, e);
            }
            if (!matches.isEmpty()) {
                for (Path match : matches) {
                    out.addAll(parseFile(match, match.toString(), file, line));
                }
                return;
            }
        }
        // nginx accepts a glob that matches nothing
    }

    private static Path directoryOf(Path file) {
        Path parent = file.getParent();
        return parent != null ? parent : Path.of("");
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
