package dev.resty4j;

/**
 * The request-processing phases of lua-nginx-module, in the order nginx runs them, plus the non-request
 * contexts (init, init_worker, exit_worker, timer) that scripts can also run in.
 *
 * <p>{@link #contextName()} is the name OpenResty uses in error messages
 * ("API disabled in the context of <em>header_filter_by_lua*</em>") and in {@code ngx.get_phase()}.
 */
public enum Phase {
    INIT("init", "init_by_lua*"),
    INIT_WORKER("init_worker", "init_worker_by_lua*"),
    EXIT_WORKER("exit_worker", "exit_worker_by_lua*"),
    SET("set", "set_by_lua*"),
    SERVER_REWRITE("server_rewrite", "server_rewrite_by_lua*"),
    REWRITE("rewrite", "rewrite_by_lua*"),
    ACCESS("access", "access_by_lua*"),
    PRECONTENT("precontent", "precontent_by_lua*"),
    CONTENT("content", "content_by_lua*"),
    HEADER_FILTER("header_filter", "header_filter_by_lua*"),
    BODY_FILTER("body_filter", "body_filter_by_lua*"),
    LOG("log", "log_by_lua*"),
    TIMER("timer", "ngx.timer"),
    BALANCER("balancer", "balancer_by_lua*");

    private final String phaseName;
    private final String contextName;

    Phase(String phaseName, String contextName) {
        this.phaseName = phaseName;
        this.contextName = contextName;
    }

    /** What {@code ngx.get_phase()} returns, and the prefix of the config directive ({@code content} → {@code content_by_lua_block}). */
    public String phaseName() {
        return phaseName;
    }

    /** The context name used in OpenResty's "API disabled in the context of …" errors. */
    public String contextName() {
        return contextName;
    }

    /** True for the phases that run while a request is being processed. */
    public boolean isRequestPhase() {
        return switch (this) {
            case INIT, INIT_WORKER, EXIT_WORKER, TIMER -> false;
            default -> true;
        };
    }

    /** True for the phases in which a script may suspend on I/O (cosockets, ngx.sleep). */
    public boolean canYield() {
        return switch (this) {
            case SERVER_REWRITE, REWRITE, ACCESS, PRECONTENT, CONTENT, TIMER -> true;
            default -> false;
        };
    }

    /** Looks a phase up by its directive prefix ({@code "content"} for {@code content_by_lua_block}). */
    public static Phase byPhaseName(String name) {
        for (Phase p : values()) {
            if (p.phaseName.equals(name)) {
                return p;
            }
        }
        return null;
    }
}
