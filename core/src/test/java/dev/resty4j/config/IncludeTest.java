package dev.resty4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code include} expansion: files, globs, relative paths, errors. */
class IncludeTest {

    @TempDir
    Path dir;

    private Path write(String relative, String text) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private String name(String relative) {
        return dir.resolve(relative).toString();
    }

    @Test
    void globIsExpandedInPlaceSortedWithFileAndLine() throws Exception {
        Path main = write("nginx.conf", "http {\n  first;\n  include conf.d/*.conf;\n  last;\n}\n");
        write("conf.d/b.conf", "\nb 2;\n");
        write("conf.d/a.conf", "a 1;\nserver { listen 80; }\n");
        write("conf.d/c.txt", "not matched {");
        write("conf.d/.hidden.conf", "not matched {");
        Files.createDirectories(dir.resolve("conf.d/dir.conf")); // directories are skipped

        Directive http = ConfigParser.parse(main).get(0);
        assertThat(http.block()).extracting(Directive::name).containsExactly("first", "a", "server", "b", "last");
        assertThat(http.block().get(1)).isEqualTo(new Directive("a", List.of("1"), null, name("conf.d/a.conf"), 1));
        assertThat(http.block().get(2).line()).isEqualTo(2);
        assertThat(http.block().get(3)).isEqualTo(new Directive("b", List.of("2"), null, name("conf.d/b.conf"), 2));
        assertThat(http.block().get(4)).isEqualTo(new Directive("last", List.of(), null, main.toString(), 4));
    }

    @Test
    void globPatterns() throws Exception {
        write("sites-a/x.conf", "x;");
        write("sites-b/y.conf", "y;");
        write("other/z.conf", "z;");
        write("m/a1.conf", "a1;");
        write("m/b2.conf", "b2;");
        write("m/c3.conf", "c3;");
        write("m/ab.conf", "ab;");
        write("m/.h.conf", "h;");
        assertThat(names("include sites-*/*.conf;")).containsExactly("x", "y");
        assertThat(names("include m/[ab]?.conf;")).containsExactly("a1", "ab", "b2");
        assertThat(names("include m/[!a]?.conf;")).containsExactly("b2", "c3");
        assertThat(names("include m/[a-b]1.conf;")).containsExactly("a1");
        assertThat(names("include m/.*.conf;")).containsExactly("h");
        assertThat(names("include " + dir.resolve("m") + "/c*;")).containsExactly("c3"); // absolute
        assertThat(names("include nothing/*.conf; include m/*.none;")).isEmpty(); // no match is fine
    }

    private List<String> names(String text) throws ConfigException {
        return ConfigParser.parse(text, "main.conf", dir).stream().map(Directive::name).toList();
    }

    @Test
    void relativeToIncludingFileThenToRootDirectory() throws Exception {
        Path main = write("nginx.conf", "include sites/site.conf;\n");
        // resolved next to sites/site.conf ...
        write("sites/site.conf", "include local.conf;\ninclude snippets/php.conf;\n");
        write("sites/local.conf", "local;");
        // ... or, as nginx does, relative to the directory of the top-level file (Debian's snippets/ layout)
        write("snippets/php.conf", "php;");
        List<Directive> ds = ConfigParser.parse(main);
        assertThat(ds).extracting(Directive::name).containsExactly("local", "php");
        assertThat(ds.get(1).file()).isEqualTo(name("snippets/php.conf"));
    }

    @Test
    void textWithBaseDir() throws Exception {
        write("inc/one.conf", "one;");
        List<Directive> ds = ConfigParser.parse("before;\ninclude inc/one.conf;", "virtual.conf", dir);
        assertThat(ds).extracting(Directive::file).containsExactly("virtual.conf", name("inc/one.conf"));
    }

    @Test
    void missingFile() throws Exception {
        Path main = write("nginx.conf", "http {\n\n  include missing.conf;\n}\n");
        assertThatThrownBy(() -> ConfigParser.parse(main))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("open() \"" + name("missing.conf")
                            + "\" failed (No such file or directory) in " + main + ":3");
                    assertThat(e.file()).isEqualTo(main.toString());
                    assertThat(e.line()).isEqualTo(3);
                });
    }

    @Test
    void missingTopLevelFile() {
        Path missing = dir.resolve("none.conf");
        assertThatThrownBy(() -> ConfigParser.parse(missing))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("open() \"" + missing + "\" failed (No such file or directory)");
                    assertThat(e.file()).isEqualTo(missing.toString());
                    assertThat(e.line()).isZero();
                });
    }

    @Test
    void includeCycle() throws Exception {
        Path main = write("a.conf", "x;\ninclude b.conf;\n");
        write("b.conf", "y;\n\ninclude sub/../a.conf;\n");
        assertThatThrownBy(() -> ConfigParser.parse(main))
                .isInstanceOf(ConfigException.class)
                .hasMessage("include cycle: " + main + " -> " + name("b.conf") + " -> " + name("a.conf")
                        + " in " + name("b.conf") + ":3");
        Path self = write("self.conf", "include *.conf;\n");
        assertThatThrownBy(() -> ConfigParser.parse(self))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("include cycle: ");
    }

    @Test
    void includingTheSameFileTwiceIsNotACycle() throws Exception {
        Path main = write("main.conf", "include x.conf;\ninclude x.conf;\n");
        write("x.conf", "x;");
        assertThat(ConfigParser.parse(main)).extracting(Directive::name).containsExactly("x", "x");
    }

    @Test
    void blocksCannotSpanFiles() throws Exception {
        Path open = write("open.conf", "http {\n  include close.conf;\n");
        write("close.conf", "a;\n}\n");
        assertThatThrownBy(() -> ConfigParser.parse(open))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unexpected \"}\" in " + name("close.conf") + ":2");

        Path outer = write("outer.conf", "http {\n  include unclosed.conf;\n}\n");
        write("unclosed.conf", "server {\n");
        assertThatThrownBy(() -> ConfigParser.parse(outer))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unexpected end of file, expecting \"}\" in " + name("unclosed.conf") + ":2");
    }

    @Test
    void errorsInIncludedFilesNameThatFile() throws Exception {
        Path main = write("main.conf", "include bad.conf;");
        write("bad.conf", "a;\nb \"x\"y;\n");
        assertThatThrownBy(() -> ConfigParser.parse(main))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo(name("bad.conf"));
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.reason()).isEqualTo("unexpected \"y\"");
                });
    }

    @Test
    void includeInsideLuaBlockIsJustCode() throws Exception {
        Directive d = ConfigParser.parse("content_by_lua_block { include missing.conf; }", "m.conf", dir).get(0);
        assertThat(d.rawBody()).isEqualTo(" include missing.conf; ");
    }
}
