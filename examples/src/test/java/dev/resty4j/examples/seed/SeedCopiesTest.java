package dev.resty4j.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** conf/seed holds the six seed configs byte for byte as the seed (../shared/seed/examples) has them. */
class SeedCopiesTest {

    @Test
    void theSixSeedConfigsAreVerbatimCopies() throws Exception {
        Path original = Stream.of("../../shared/seed/examples", "/work/shared/seed/examples").map(Path::of)
                .filter(Files::isDirectory).findFirst().orElse(null);
        Assumptions.assumeTrue(original != null, "the seed directory is not on this machine");
        try (Stream<Path> files = Files.list(original)) {
            for (Path seed : files.filter(p -> p.toString().endsWith(".conf")).toList()) {
                assertThat(Path.of("conf/seed").resolve(seed.getFileName())).as(seed.toString())
                        .hasSameBinaryContentAs(seed);
            }
        }
        try (Stream<Path> copies = Files.list(Path.of("conf/seed"))) {
            assertThat(copies.count()).isEqualTo(6);
        }
    }
}
