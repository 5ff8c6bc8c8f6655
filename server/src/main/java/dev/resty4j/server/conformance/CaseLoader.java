package dev.resty4j.server.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads every {@code *.json} case below a directory (normally {@code cases/AREA/*.json}), sorted
 * by path so that runs are reproducible.
 */
public final class CaseLoader {

    /**
     * The loaded cases plus the files that could not be read; those are reported as failed cases
     * rather than aborting the run.
     */
    public record Loaded(List<ConformanceCase> cases, List<CaseResult> broken) {
    }

    private CaseLoader() {
    }

    /** Loads all cases below {@code dir}. */
    public static Loaded load(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json"))
                    .sorted(Comparator.comparing(p -> dir.relativize(p).toString()))
                    .toList();
        }
        List<ConformanceCase> cases = new ArrayList<>();
        List<CaseResult> broken = new ArrayList<>();
        for (Path f : files) {
            try {
                cases.add(ConformanceCase.parse(Files.readString(f, StandardCharsets.UTF_8), f));
            } catch (IOException | RuntimeException e) { // unreadable file, bad JSON, missing id
                String area = f.getParent() == null || f.getParent().equals(dir)
                        ? "unknown" : f.getParent().getFileName().toString();
                broken.add(new CaseResult(dir.relativize(f).toString(), area, CaseResult.Outcome.FAILED,
                        "unreadable case file: " + e.getMessage(), 0));
            }
        }
        return new Loaded(List.copyOf(cases), List.copyOf(broken));
    }
}
