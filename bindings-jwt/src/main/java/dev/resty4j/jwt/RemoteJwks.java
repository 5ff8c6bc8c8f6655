package dev.resty4j.jwt;

import dev.resty4j.Resty;
import dev.resty4j.core.log.LogLevel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JWK Sets fetched over HTTP(S) ({@code {jwks_uri = "https://idp/.well-known/jwks.json"}} as a key), cached
 * per {@link Resty} instance (so every worker shares one copy and one fetch, as a {@code lua_shared_dict}
 * cache would) for the key's TTL.
 *
 * <ul>
 *   <li>While the cached set is fresh, keys come from memory: no I/O, no suspension.</li>
 *   <li>Concurrent requests that find it stale share one fetch.</li>
 *   <li>A token whose {@code kid} is not in the set refetches it (the IdP rotated its keys), at most once
 *       per {@code min_refresh_interval}, so garbage kids can't make us hammer the IdP.</li>
 *   <li>A failed refetch keeps serving the last good set (logged); only with no set at all does
 *       verification fail, with reason {@code "failed to fetch JWKS: ..."}.</li>
 * </ul>
 *
 * <p>Fetched with Vert.x's HTTP client directly (one client per Vert.x instance, TLS verified with the
 * JDK's trust store); the result is a Future the script engine awaits, suspending only the script.
 */
final class RemoteJwks {

    /** A JWKS document is a few KB; anything this large is not one. */
    static final int MAX_BODY = 1024 * 1024;

    private static final Map<Resty, RemoteJwks> BY_INSTANCE = new WeakHashMap<>();
    private static final Map<Vertx, HttpClient> CLIENTS = new WeakHashMap<>();

    private final Resty resty;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private static final class Entry {
        volatile JwtKey.Jwks keys;
        volatile long fetchedAtMs;
        volatile Future<JwtKey.Jwks> inflight;
    }

    private RemoteJwks(Resty resty) {
        this.resty = resty;
    }

    static RemoteJwks of(Resty resty) {
        synchronized (BY_INSTANCE) {
            return BY_INSTANCE.computeIfAbsent(resty, RemoteJwks::new);
        }
    }

    /**
     * The key set for a token with this {@code kid} (null if none): the cached set when fresh and knowing
     * the kid, otherwise a (shared) fetch.
     */
    Future<JwtKey.Jwks> keys(JwtKey.Remote remote, Object kid) {
        Entry e = entries.computeIfAbsent(remote.url(), u -> new Entry());
        long now = resty.currentTimeMillis();
        JwtKey.Jwks cached = e.keys;
        boolean fresh = cached != null && now - e.fetchedAtMs < remote.ttlSeconds() * 1000;
        boolean unknownKid = cached != null && kid != null && cached.keys().stream()
                .noneMatch(k -> k.getKeyId() != null && JsonValues.byteString(k.getKeyId()).equals(kid));
        boolean mayRefresh = cached == null || now - e.fetchedAtMs >= remote.minRefreshSeconds() * 1000;
        if (fresh && !(unknownKid && mayRefresh)) {
            return Future.succeededFuture(cached);
        }
        if (!fresh && cached != null && !mayRefresh) {
            return Future.succeededFuture(cached);
        }
        synchronized (e) {
            Future<JwtKey.Jwks> f = e.inflight;
            if (f == null) {
                f = fetch(remote).transform(ar -> {
                    synchronized (e) {
                        e.inflight = null;
                    }
                    if (ar.succeeded()) {
                        e.keys = ar.result();
                        e.fetchedAtMs = resty.currentTimeMillis();
                        return Future.succeededFuture(ar.result());
                    }
                    if (e.keys != null) {
                        // keep serving the last good set; try again after min_refresh_interval
                        e.fetchedAtMs = resty.currentTimeMillis() - remote.ttlSeconds() * 1000 + remote.minRefreshSeconds() * 1000;
                        resty.logger().log(LogLevel.WARN, null, "resty.jwt: failed to refresh JWKS from " + remote.url()
                                + ", using the cached set: " + ar.cause().getMessage());
                        return Future.succeededFuture(e.keys);
                    }
                    return Future.failedFuture(ar.cause());
                });
                e.inflight = f;
            }
            return f;
        }
    }

    private Future<JwtKey.Jwks> fetch(JwtKey.Remote remote) {
        HttpClient client;
        synchronized (CLIENTS) {
            // No keep-alive: a fetch opens its connection on the asking worker's event loop. A pooled connection
            // reused from another worker's loop would deliver the head on its loop and the body's end on the
            // asker's, and Vert.x 5.0.7 drops an end that overtakes resp.body() (eclipse-vertx/vert.x#6038): the
            // fetch would fail after its timeout. A key set is fetched once per cache lifetime, so a connection
            // per fetch costs nothing that matters.
            client = CLIENTS.computeIfAbsent(resty.vertx(), v -> v.createHttpClient(new HttpClientOptions()
                    .setMaxRedirects(3).setKeepAlive(false)));
        }
        RequestOptions ro;
        try {
            ro = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(remote.url())
                    .setTimeout(remote.timeoutMillis()).setFollowRedirects(true)
                    .addHeader("Accept", "application/json");
        } catch (RuntimeException ex) {
            return Future.failedFuture("bad jwks_uri " + remote.url() + ": " + ex.getMessage());
        }
        Promise<JwtKey.Jwks> result = Promise.promise();
        client.request(ro)
                .compose(req -> req.send())
                .compose(resp -> {
                    if (resp.statusCode() != 200) {
                        return Future.failedFuture("HTTP status " + resp.statusCode() + " from " + remote.url());
                    }
                    String len = resp.getHeader("Content-Length");
                    if (len != null && len.chars().allMatch(Character::isDigit) && len.length() < 12 && Long.parseLong(len) > MAX_BODY) {
                        return Future.failedFuture("JWKS document too large (" + len + " bytes)");
                    }
                    return resp.body();
                })
                .onComplete(ar -> {
                    if (ar.failed()) {
                        result.fail(ar.cause());
                        return;
                    }
                    Buffer body = ar.result();
                    if (body.length() > MAX_BODY) {
                        result.fail("JWKS document too large (" + body.length() + " bytes)");
                        return;
                    }
                    try {
                        JwtKey k = JwtKeys.parse(new String(body.getBytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
                        if (!(k instanceof JwtKey.Jwks set)) {
                            result.fail("the document at " + remote.url() + " is not a JWK Set");
                            return;
                        }
                        result.complete(set);
                    } catch (RuntimeException ex) {
                        result.fail("invalid JWKS from " + remote.url() + ": " + ex.getMessage());
                    }
                });
        return result.future();
    }
}
