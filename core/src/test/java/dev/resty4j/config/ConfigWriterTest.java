package dev.resty4j.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ConfigWriter} output reads back exactly. */
class ConfigWriterTest {

    /** Characters that matter to the lexer, plus ordinary and non-ASCII ones. */
    private static final String ALPHABET = "\"'\\ \t\r\n;{}#$()nrtqx0é€\u0000\u007f";

    private static String randomString(Random rnd, int maxLen) {
        int len = rnd.nextInt(maxLen + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            switch (rnd.nextInt(10)) {
                case 0 -> sb.appendCodePoint(0x1F600 + rnd.nextInt(50)); // surrogate pairs
                case 1 -> sb.append((char) rnd.nextInt(0xD800));
                default -> sb.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
            }
        }
        return sb.toString();
    }

    @Test
    void quoteRoundTripsRandomStrings() throws Exception {
        Random rnd = new Random(20240601);
        for (int i = 0; i < 5000; i++) {
            String s = randomString(rnd, 12);
            String q = ConfigWriter.quote(s);
            List<Directive> ds = ConfigParser.parse("d " + q + ";\n" + q + " " + q + " {}", "q.conf");
            assertThat(ds.get(0).args()).as(q).containsExactly(s);
            assertThat(ds.get(1).name()).as(q).isEqualTo(s);
            assertThat(ds.get(1).args()).as(q).containsExactly(s);
        }
    }

    @Test
    void tokenIsBareWhenSafe() throws Exception {
        assertThat(ConfigWriter.token("listen")).isEqualTo("listen");
        assertThat(ConfigWriter.token("${host}$uri")).isEqualTo("${host}$uri");
        assertThat(ConfigWriter.token("~*")).isEqualTo("~*");
        assertThat(ConfigWriter.token("")).isEqualTo("\"\"");
        assertThat(ConfigWriter.token("a b")).isEqualTo("\"a b\"");
        assertThat(ConfigWriter.token("a;b")).isEqualTo("\"a;b\"");
        assertThat(ConfigWriter.token("#x")).isEqualTo("\"#x\"");
        assertThat(ConfigWriter.token("}")).isEqualTo("\"}\"");
        assertThat(ConfigWriter.token("a{")).isEqualTo("\"a{\"");
        assertThat(ConfigWriter.token("a}")).isEqualTo("a}");
        assertThat(ConfigWriter.token("\\.php$")).isEqualTo("\\.php$");
        assertThat(ConfigWriter.token("a\\nb")).isEqualTo("\"a\\\\nb\"");
        assertThat(ConfigWriter.quote("say \"hi\"\n")).isEqualTo("\"say \\\"hi\\\"\\n\"");
        assertThat(ConfigWriter.quote("^/a\\d+$")).isEqualTo("\"^/a\\d+$\"");
        assertThat(ConfigWriter.quote("\\")).isEqualTo("\"\\\\\"");
        Random rnd = new Random(7);
        for (int i = 0; i < 5000; i++) {
            String s = randomString(rnd, 8);
            assertThat(ConfigParser.parse("d " + ConfigWriter.token(s) + ";", "t.conf").get(0).args())
                    .as(s).containsExactly(s);
        }
    }

    /** The tree without file/line, for comparing parses of different texts. */
    private static List<Directive> shape(List<Directive> ds) {
        if (ds == null) {
            return null;
        }
        return ds.stream().map(d -> new Directive(d.name(), d.args(), shape(d.block()), "", 0)).toList();
    }

    @Test
    void writeRoundTripsTheRealisticConfig() throws Exception {
        List<Directive> original = ConfigParser.parse(resource("openresty.conf"));
        String text = ConfigWriter.write(original);
        assertThat(shape(ConfigParser.parse(text, "written.conf"))).isEqualTo(shape(original));
        assertThat(text).contains("        location ~* \\.php$ {\n", "return 200 \"exact\\n\";");
    }

    private static final String[] LUA_BODIES = {"", " ngx.say('}') ", "\n local t = { {1} } --[[ } ]]\n",
        " s = [==[ } ]==] "};
    private static final String[] JS_BODIES = {" r.return(200, `${ {a: '}'}.a }`) ", " x = /}/.test(y) "};

    private static List<Directive> randomTree(Random rnd, int depth) {
        List<Directive> out = new ArrayList<>();
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            List<String> args = new ArrayList<>();
            int argc = rnd.nextInt(3);
            for (int a = 0; a < argc; a++) {
                args.add(randomString(rnd, 6));
            }
            int kind = rnd.nextInt(5);
            String name;
            List<Directive> block = null;
            if (kind == 0) {
                name = "content_by_lua_block";
                args.add(LUA_BODIES[rnd.nextInt(LUA_BODIES.length)]);
            } else if (kind == 1) {
                name = "content_by_js_block";
                args.add(JS_BODIES[rnd.nextInt(JS_BODIES.length)]);
            } else {
                name = randomString(rnd, 5);
                if (name.equals("include") || Directive.isRawBlockName(name)) {
                    name = "x";
                }
                block = kind == 2 && depth < 4 ? randomTree(rnd, depth + 1) : null;
            }
            out.add(new Directive(name, args, block, "", 0));
        }
        return out;
    }

    @Test
    void writeRoundTripsRandomTrees() throws Exception {
        Random rnd = new Random(42);
        for (int i = 0; i < 1000; i++) {
            List<Directive> tree = randomTree(rnd, 0);
            String text = ConfigWriter.write(tree);
            assertThat(shape(ConfigParser.parse(text, "r.conf"))).as(text).isEqualTo(tree);
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ConfigWriterTest.class.getResource("/config/" + name).toURI());
    }
}
