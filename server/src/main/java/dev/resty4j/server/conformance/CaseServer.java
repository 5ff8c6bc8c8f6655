package dev.resty4j.server.conformance;

/** One running resty4j instance serving one conformance case. */
public interface CaseServer extends AutoCloseable {
    /**
     * Error-log lines written so far. The exact nginx prefix
     * ({@code "2026/11/27 12:00:00 [error] 123#0: *1 message..."}) is NOT required; the level
     * appears as "[error]", "[warn]", "[notice]", "[info]", "[debug]" in the line.
     */
    java.util.List<String> logLines();

    @Override
    void close();
}
