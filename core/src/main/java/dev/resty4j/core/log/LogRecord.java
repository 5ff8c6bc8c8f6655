package dev.resty4j.core.log;

/**
 * One error-log line: its level, the message as scripts wrote it, and the full line formatted as nginx
 * would ({@code [error] ... message, client: 127.0.0.1, server: localhost, request: "GET /t HTTP/1.1"}).
 */
public record LogRecord(LogLevel level, String message, String line, long requestId) {}
