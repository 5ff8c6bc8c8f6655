package dev.resty4j.server.conformance;

/** Starts one fresh resty4j instance for one case, from an nginx-style config file. */
public interface CaseServerFactory {
    /**
     * confFile: the generated nginx.conf; it listens on 127.0.0.1:port (the runner picks a free
     * port and writes it into the listen directive).
     *
     * @throws Exception when the config is refused (that case fails with the message)
     */
    CaseServer start(java.nio.file.Path confFile, int port) throws Exception;
}
