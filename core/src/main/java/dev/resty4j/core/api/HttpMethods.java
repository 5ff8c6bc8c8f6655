package dev.resty4j.core.api;

/** The method numbers OpenResty exposes as {@code ngx.HTTP_GET} … (nginx's NGX_HTTP_* bit values). */
public final class HttpMethods {

    private static final String[] NAMES = {"GET", "HEAD", "POST", "PUT", "DELETE", "MKCOL", "COPY", "MOVE", "OPTIONS",
        "PROPFIND", "PROPPATCH", "LOCK", "UNLOCK", "PATCH", "TRACE"};

    private HttpMethods() {
    }

    /** {@code ngx.HTTP_<name>}: 2 for GET, 4 for HEAD, 8 for POST, … */
    public static int number(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return 2 << i;
            }
        }
        return 0;
    }

    public static String[] names() {
        return NAMES.clone();
    }

    /** The method name for an {@code ngx.HTTP_*} number. */
    public static String name(int number) {
        for (int i = 0; i < NAMES.length; i++) {
            if ((2 << i) == number) {
                return NAMES[i];
            }
        }
        throw new NgxApiException("unsupported HTTP method: " + number);
    }
}
