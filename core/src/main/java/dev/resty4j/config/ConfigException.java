package dev.resty4j.config;

/**
 * A configuration file could not be read or is syntactically invalid.
 *
 * <p>{@link #getMessage()} follows nginx's wording, e.g. <code>unexpected "&#125;" in conf/x.conf:12</code>: the
 * {@link #reason() reason}, then {@code " in FILE:LINE"}. When no line applies (e.g. the top-level file
 * cannot be opened, {@link #line()} is 0) the message is the reason alone, which then names the file.
 */
public class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String reason;
    private final String file;
    private final int line;

    /**
     * @param reason what went wrong, without location (e.g. <code>unexpected "&#125;"</code>)
     * @param file   the file name as the parser knows it (may be {@code null} if unknown)
     * @param line   1-based line number, or 0 when no line applies
     */
    public ConfigException(String reason, String file, int line) {
        this(reason, file, line, null);
    }

    public ConfigException(String reason, String file, int line, Throwable cause) {
        super(format(reason, file, line), cause);
        this.reason = reason;
        this.file = file;
        this.line = line;
    }

    /** The problem without the location suffix. */
    public String reason() {
        return reason;
    }

    /** The file in which the problem was found (as named by the parser), or {@code null}. */
    public String file() {
        return file;
    }

    /** The 1-based line of the problem, or 0 when the problem has no line (e.g. an unreadable file). */
    public int line() {
        return line;
    }

    private static String format(String reason, String file, int line) {
        return file == null || line <= 0 ? reason : reason + " in " + file + ":" + line;
    }
}
