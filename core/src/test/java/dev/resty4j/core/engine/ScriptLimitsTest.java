package dev.resty4j.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resty4j.Location;
import dev.resty4j.Resty;
import dev.resty4j.config.ConfigException;
import dev.resty4j.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The limit directives: values, defaults, and the location overriding the server and http levels. */
class ScriptLimitsTest {

    @TempDir
    Path dir;

    @Test
    void valuesInNginxSyntax() {
        assertThat(ScriptLimits.parse("lua_script_budget", "250ms")).isEqualTo(250_000_000L);
        assertThat(ScriptLimits.parse("lua_script_budget", "2s")).isEqualTo(2_000_000_000L);
        assertThat(ScriptLimits.parse("lua_script_budget", "3")).isEqualTo(3_000_000_000L);
        assertThat(ScriptLimits.parse("lua_script_budget", "1m")).isEqualTo(60_000_000_000L);
        assertThat(ScriptLimits.parse("lua_script_budget", "off")).isZero();
        assertThat(ScriptLimits.parse("lua_script_instructions", "1000000")).isEqualTo(1_000_000L);
        assertThat(ScriptLimits.parse("lua_memory_budget", "16m")).isEqualTo(16L << 20);
        assertThat(ScriptLimits.parse("lua_output_limit", "64k")).isEqualTo(64L << 10);
        assertThatThrownBy(() -> ScriptLimits.parse("lua_output_limit", "1k"))
                .hasMessage("invalid value \"1k\" in \"lua_output_limit\" directive: below the minimum of 64k");
    }

    @Test
    void locationOverridesServerAndHttpLevels() throws Exception {
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, """
                http {
                    lua_script_budget 2s;
                    lua_memory_budget 8m;
                    server {
                        listen 127.0.0.1:8080;
                        lua_script_instructions 5000;
                        location /a { lua_script_budget 100ms; return 200 a; }
                        location /b { lua_output_limit off; return 200 b; }
                    }
                }
                """);
        try (Resty resty = ConfigLoader.load(conf, ConfigLoader.Options.strict()).build()) {
            Location a = resty.servers().get(0).locations().stream().filter(l -> l.path().equals("/a")).findFirst().orElseThrow();
            Location b = resty.servers().get(0).locations().stream().filter(l -> l.path().equals("/b")).findFirst().orElseThrow();
            assertThat(ScriptLimits.of(resty.settings(), a))
                    .isEqualTo(new ScriptLimits(100_000_000L, 5000, 8L << 20, ScriptLimits.DEFAULT_OUTPUT_LIMIT));
            assertThat(ScriptLimits.of(resty.settings(), b))
                    .isEqualTo(new ScriptLimits(2_000_000_000L, 5000, 8L << 20, 0));
            assertThat(ScriptLimits.of(resty.settings(), null))
                    .isEqualTo(new ScriptLimits(2_000_000_000L, 0, 8L << 20, ScriptLimits.DEFAULT_OUTPUT_LIMIT));
        }
    }

    @Test
    void defaultsAndTheBuilderOption() throws Exception {
        try (Resty resty = Resty.builder().build()) {
            assertThat(ScriptLimits.of(resty.settings(), null)).isEqualTo(ScriptLimits.DEFAULTS);
        }
        try (Resty resty = Resty.builder().maxScriptMillis(300).build()) {
            assertThat(ScriptLimits.of(resty.settings(), null).timeBudgetNanos()).isEqualTo(300_000_000L);
        }
    }

    @Test
    void invalidValueIsALoadErrorWithFileAndLine() throws Exception {
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, "http {\n    server {\n        location / { lua_script_budget soon; }\n    }\n}\n");
        assertThatThrownBy(() -> ConfigLoader.load(conf, ConfigLoader.Options.strict()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.reason()).isEqualTo("invalid value \"soon\" in \"lua_script_budget\" directive");
                    assertThat(e.line()).isEqualTo(3);
                });
    }
}
