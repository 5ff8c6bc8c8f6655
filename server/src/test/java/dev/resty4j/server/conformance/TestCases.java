package dev.resty4j.server.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Locates the shared conformance cases ({@code shared/conformance/cases}) for tests: the system
 * property {@code conformance.cases}, the environment variable {@code RESTY4J_CONFORMANCE_CASES},
 * or a {@code shared/conformance/cases} directory next to one of the working directory's parents.
 * Tests that need the real cases are skipped (assumption) when none is found.
 */
final class TestCases {

    static {
        quietLogs();
    }

    private TestCases() {
    }

    /** The cases directory, or {@code null}. */
    static Path dir() {
        String prop = System.getProperty("conformance.cases");
        if (prop == null) {
            prop = System.getenv("RESTY4J_CONFORMANCE_CASES");
        }
        if (prop != null && Files.isDirectory(Path.of(prop))) {
            return Path.of(prop);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("conformance").resolve("cases");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The cases directory; skips the calling test when it is not available. */
    static Path requireDir() {
        Path d = dir();
        assumeTrue(d != null, "shared/conformance/cases not found");
        return d;
    }

    /** Loads one real case by its path relative to the cases directory, e.g. {@code shared_dict/043-shdict__1.json}. */
    static ConformanceCase load(String relative) {
        Path f = requireDir().resolve(relative);
        try {
            return ConformanceCase.parse(Files.readString(f, StandardCharsets.UTF_8), f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All real cases. */
    static List<ConformanceCase> all() {
        try {
            CaseLoader.Loaded loaded = CaseLoader.load(requireDir());
            if (!loaded.broken().isEmpty()) {
                throw new AssertionError("unreadable cases: " + loaded.broken());
            }
            return loaded.cases();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a case from inline JSON. */
    static ConformanceCase inline(String json) {
        return ConformanceCase.parse(json, null);
    }

    /**
     * Raises the root log level to INFO when logback is the SLF4J backend: without a config file
     * logback logs at DEBUG, and Netty's start-up debug output would flood the test log.
     */
    static void quietLogs() {
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }
}
