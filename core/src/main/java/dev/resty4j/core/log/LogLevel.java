package dev.resty4j.core.log;

/** nginx's log levels, with the numbers {@code ngx.STDERR} … {@code ngx.DEBUG} have in Lua. */
public enum LogLevel {
    STDERR(0, "stderr"), EMERG(1, "emerg"), ALERT(2, "alert"), CRIT(3, "crit"), ERR(4, "error"),
    WARN(5, "warn"), NOTICE(6, "notice"), INFO(7, "info"), DEBUG(8, "debug");

    private final int code;
    private final String label;

    LogLevel(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The number scripts pass to {@code ngx.log}. */
    public int code() { return code; }

    /** The word nginx prints in brackets ({@code [error]}) and accepts in {@code error_log}. */
    public String label() { return label; }

    public static LogLevel ofCode(int code) {
        for (LogLevel l : values()) {
            if (l.code == code) {
                return l;
            }
        }
        return null;
    }

    public static LogLevel ofLabel(String label) {
        for (LogLevel l : values()) {
            if (l.label.equalsIgnoreCase(label)) {
                return l;
            }
        }
        if ("err".equalsIgnoreCase(label)) {
            return ERR;
        }
        return null;
    }
}
