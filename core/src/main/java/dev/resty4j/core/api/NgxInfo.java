package dev.resty4j.core.api;

/**
 * {@code ngx.config.*} and version numbers. resty4j reports the nginx and lua-nginx-module versions whose
 * behaviour it follows, so scripts that check versions take the modern code paths.
 */
public final class NgxInfo {

    /** The nginx version resty4j's behaviour follows (as {@code ngx.config.nginx_version} number: 1027001). */
    public static final String NGINX_VERSION = "1.27.1";
    public static final int NGINX_VERSION_NUMBER = 1027001;
    /** lua-nginx-module v0.10.29 ({@code ngx.config.ngx_lua_version}). */
    public static final int NGX_LUA_VERSION = 10029;

    private NgxInfo() {
    }
}
