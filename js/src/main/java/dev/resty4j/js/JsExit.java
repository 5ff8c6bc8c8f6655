package dev.resty4j.js;

/** Unwinds the running script after {@code ngx.exit}, {@code ngx.redirect} or {@code ngx.exec}. */
public final class JsExit extends RuntimeException {

    public static final JsExit INSTANCE = new JsExit();

    private JsExit() {
        super("ngx.exit", null, false, false);
    }
}
