package dev.resty4j.session;

import dev.resty4j.Resty;
import dev.resty4j.SharedDict;
import dev.resty4j.core.api.Base64Codec;
import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.api.NgxTime;
import dev.resty4j.core.api.ResponseHeaders;
import dev.resty4j.core.log.LogLevel;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.jwt.JsonValues;
import dev.resty4j.spi.NativeHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One session of one request: lua-resty-session 4.x's semantics (immutable sessions: every save makes a
 * new id; idling / rolling / absolute timeouts; several audiences in one cookie; cookie or shared-dict
 * storage). The script's data table stays in the script; it is handed over on save and back on open.
 *
 * <p>The cookie is {@code base64url(header || mac [|| sealed data])}: the fixed header (version, flags,
 * id, created / rotated / touched times) is authenticated with an HMAC, so touching a session only
 * rewrites header and MAC; the data is AES-256-GCM sealed under a key derived from the secret and the
 * id (in the cookie, or in the shared dict under the id). A cookie that fails any check, or whose
 * timeouts have passed, is simply no session. The format is resty4j's own: it does not read cookies
 * written by lua-resty-session.
 */
final class Session implements NativeHandle {

    private static final byte VERSION = 1;
    private static final int FLAG_REMEMBER = 1;
    private static final int FLAG_SERVER_STORAGE = 2;
    static final int HEADER_LENGTH = 2 + SessionCrypto.ID_LENGTH + 24;
    /** Browsers keep cookies up to 4096 bytes (name, value and attributes). */
    static final int MAX_COOKIE = 4096;

    /** A random secret per instance when none is configured (sessions then end with the process). */
    private static final Map<Resty, byte[]> RANDOM_SECRETS = Collections.synchronizedMap(new WeakHashMap<>());

    private final Resty resty;
    private final SessionConfig cfg;
    private final byte[] ikm;
    private String audience;
    private String subject;
    private boolean remember;
    private byte[] id;
    private long created;
    private long rotated;
    private long touched;
    private byte[] sealed;
    private boolean exists;
    /** audience -> {data = ..., sub = ...}: every audience of the cookie, kept across saves. */
    private final Map<String, Object> audiences = new LinkedHashMap<>();

    Session(Resty resty, SessionConfig cfg) {
        this.resty = resty;
        this.cfg = cfg;
        this.audience = cfg.audience();
        this.subject = cfg.subject();
        this.remember = cfg.remember();
        byte[] secret = cfg.secret();
        if (secret == null) {
            secret = RANDOM_SECRETS.computeIfAbsent(resty, r -> {
                r.logger().log(LogLevel.WARN, null, "resty.session: no secret configured; using a random one,"
                        + " so sessions end when the server restarts and aren't shared between servers");
                return SessionCrypto.random(32);
            });
        }
        this.ikm = SessionCrypto.ikm(secret);
    }

    @Override
    public String typeName() {
        return "resty.session";
    }

    private long now() {
        return resty.currentTimeMillis() / 1000;
    }

    // ------------------------------------------------------------------ open

    /** Reads the request's cookie: the audience's data, or an error (no cookie, tampered, timed out). */
    Object[] open(RequestContext req) {
        exists = false;
        String value = requestCookie(req, cfg.cookieName());
        if (value == null) {
            return fail("missing session cookie");
        }
        String raw = Base64Codec.decodeBase64Url(value);
        if (raw == null || raw.length() < HEADER_LENGTH + SessionCrypto.MAC_LENGTH) {
            return fail("invalid session cookie");
        }
        byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.get() != VERSION) {
            return fail("invalid session cookie");
        }
        int flags = b.get();
        byte[] sid = new byte[SessionCrypto.ID_LENGTH];
        b.get(sid);
        long c = b.getLong();
        long r = b.getLong();
        long t = b.getLong();
        byte[] header = Arrays.copyOf(bytes, HEADER_LENGTH);
        byte[] mac = Arrays.copyOfRange(bytes, HEADER_LENGTH, HEADER_LENGTH + SessionCrypto.MAC_LENGTH);
        if (!SessionCrypto.macMatches(ikm, sid, header, mac)) {
            return fail("invalid session cookie");
        }
        boolean rem = (flags & FLAG_REMEMBER) != 0;
        String expired = expired(rem, c, r, t, now());
        if (expired != null) {
            return fail(expired);
        }
        byte[] data;
        if ((flags & FLAG_SERVER_STORAGE) != 0) {
            SharedDict dict = dict();
            SharedDict.Entry e = dict.get(storeKey(sid));
            if (e == null || !(e.value() instanceof String s)) {
                return fail("session not found");
            }
            data = s.getBytes(StandardCharsets.ISO_8859_1);
        } else {
            data = Arrays.copyOfRange(bytes, HEADER_LENGTH + SessionCrypto.MAC_LENGTH, bytes.length);
        }
        byte[] plain = SessionCrypto.open(ikm, sid, data, sid);
        Map<String, Object> content = plain == null ? null : JsonValues.parseObject(plain);
        if (content == null || !(content.get("aud") instanceof Map<?, ?> auds)) {
            return fail("invalid session cookie");
        }
        id = sid;
        created = c;
        rotated = r;
        touched = t;
        sealed = data;
        remember = rem;
        audiences.clear();
        auds.forEach((k, v) -> audiences.put(String.valueOf(k), v));
        if (!(audiences.get(audience) instanceof Map<?, ?> entry)) {
            return fail("session not found for audience " + audience);
        }
        exists = true;
        subject = entry.get("sub") instanceof String s ? s : null;
        Object d = entry.get("data");
        return new Object[] {d == null ? Map.of() : d, null};
    }

    private String expired(boolean rem, long c, long r, long t, long now) {
        long absolute = rem ? cfg.rememberAbsoluteTimeout() : cfg.absoluteTimeout();
        long rolling = rem ? cfg.rememberRollingTimeout() : cfg.rollingTimeout();
        if (absolute > 0 && now - c >= absolute) {
            return "session absolute timeout exceeded";
        }
        if (rolling > 0 && now - r >= rolling) {
            return "session rolling timeout exceeded";
        }
        if (!rem && cfg.idlingTimeout() > 0 && now - t >= cfg.idlingTimeout()) {
            return "session idling timeout exceeded";
        }
        return null;
    }

    private static Object[] fail(String err) {
        return new Object[] {null, err};
    }

    // ------------------------------------------------------------------ save, touch, refresh

    /** Saves {@code data} for the current audience as a new session (new id), and sets the cookie. */
    String save(RequestContext req, Object data) {
        if (!exists) {
            created = now();
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("data", data == null ? Map.of() : data);
        if (subject != null) {
            entry.put("sub", subject);
        }
        audiences.put(audience, entry);
        return persist(req);
    }

    /** Writes all audiences as a new session (new id, rotated now) and sets the cookie. */
    private String persist(RequestContext req) {
        long now = now();
        byte[] oldId = id;
        id = SessionCrypto.random(SessionCrypto.ID_LENGTH);
        rotated = now;
        touched = now;
        byte[] plain = JsonValues.write(Map.of("aud", audiences)).getBytes(StandardCharsets.UTF_8);
        sealed = SessionCrypto.seal(ikm, id, plain, id);
        String err = writeCookie(req);
        if (err != null) {
            return err;
        }
        if (serverStorage()) {
            SharedDict dict = dict();
            SharedDict.StoreResult r = dict.set(storeKey(id), new String(sealed, StandardCharsets.ISO_8859_1), lifetime(now), 0);
            if (!r.ok()) {
                return "unable to store session: " + r.err();
            }
            if (oldId != null) {
                dict.expire(storeKey(oldId), cfg.staleTtl()); // concurrent requests with the old cookie still work a moment
            }
        }
        exists = true;
        return null;
    }

    /** Re-issues the cookie with a new touched time (idling timeout restarts); data and id unchanged. */
    String touch(RequestContext req) {
        if (!exists) {
            return "unable to touch nonexistent session";
        }
        long now = now();
        touched = now;
        if (serverStorage()) {
            // the stored entry lives as long as the cookie now does, or a touched session would lose its data
            dict().expire(storeKey(id), lifetime(now));
        }
        return writeCookie(req);
    }

    /**
     * 4.x's refresh: saves (rotating the id) once three quarters of the rolling timeout have passed,
     * otherwise touches when a tenth of the idling timeout has; returns whether anything was sent.
     */
    Object[] refresh(RequestContext req, Object data) {
        if (!exists) {
            return new Object[] {null, "unable to refresh nonexistent session"};
        }
        long now = now();
        long rolling = remember ? cfg.rememberRollingTimeout() : cfg.rollingTimeout();
        String err;
        if (rolling > 0 && now - rotated >= rolling * 3 / 4) {
            err = save(req, data);
        } else if (!remember && cfg.idlingTimeout() > 0 && now - touched >= Math.max(1, cfg.idlingTimeout() / 10)) {
            err = touch(req);
        } else {
            return new Object[] {false, null};
        }
        return err == null ? new Object[] {true, null} : new Object[] {null, err};
    }

    /** Ends the current audience's session; the whole cookie goes when it was the last audience. */
    String logout(RequestContext req) {
        if (!exists) {
            return "unable to logout nonexistent session";
        }
        audiences.remove(audience);
        if (audiences.isEmpty()) {
            return destroy(req);
        }
        String err = persist(req); // the other audiences stay logged in, under a new id
        exists = false;
        return err;
    }

    /** Deletes the session: storage entry and cookie. */
    String destroy(RequestContext req) {
        if (id != null && serverStorage()) {
            dict().delete(storeKey(id));
        }
        audiences.clear();
        exists = false;
        setCookie(req, cfg.cookieName() + "=" + attributes(true, 0));
        return null;
    }

    // ------------------------------------------------------------------ accessors

    void audience(String a) {
        this.audience = a;
    }

    String audience() {
        return audience;
    }

    void subject(String s) {
        this.subject = s;
    }

    String subject() {
        return subject;
    }

    void remember(boolean r) {
        this.remember = r;
    }

    boolean remember() {
        return remember;
    }

    boolean exists() {
        return exists;
    }

    /** {@code session:get_property(name)}. */
    Object property(String name) {
        return switch (name) {
            case "id" -> id == null ? null : Base64Codec.encodeBase64Url(new String(id, StandardCharsets.ISO_8859_1));
            case "audience" -> audience;
            case "subject" -> subject;
            case "created-at" -> id == null ? null : (double) created;
            case "rotated-at" -> id == null ? null : (double) rotated;
            case "touched-at" -> id == null ? null : (double) touched;
            case "idling-timeout" -> (double) cfg.idlingTimeout();
            case "rolling-timeout" -> (double) (remember ? cfg.rememberRollingTimeout() : cfg.rollingTimeout());
            case "absolute-timeout" -> (double) (remember ? cfg.rememberAbsoluteTimeout() : cfg.absoluteTimeout());
            case "timeout" -> id == null ? null : (double) remaining(now());
            default -> throw new NgxApiException("unknown session property: " + name);
        };
    }

    // ------------------------------------------------------------------ cookie

    private boolean serverStorage() {
        return !cfg.storage().equals("cookie");
    }

    private SharedDict dict() {
        if (cfg.storage().equals("redis")) {
            return SessionStores.redis(resty, cfg.redisEndpoint(), cfg.redisTimeoutMs());
        }
        SharedDict d = resty.sharedDict(cfg.shmZone());
        if (d == null) {
            throw new NgxApiException("resty.session: shm storage needs 'lua_shared_dict " + cfg.shmZone() + " SIZE;'");
        }
        return d;
    }

    private String storeKey(byte[] sid) {
        return cfg.storePrefix() + ":" + Base64Codec.encodeBase64Url(new String(sid, StandardCharsets.ISO_8859_1));
    }

    /** Seconds until the first timeout ends the session. */
    private long remaining(long now) {
        long absolute = remember ? cfg.rememberAbsoluteTimeout() : cfg.absoluteTimeout();
        long rolling = remember ? cfg.rememberRollingTimeout() : cfg.rollingTimeout();
        long left = Long.MAX_VALUE;
        if (absolute > 0) {
            left = Math.min(left, created + absolute - now);
        }
        if (rolling > 0) {
            left = Math.min(left, rotated + rolling - now);
        }
        if (!remember && cfg.idlingTimeout() > 0) {
            left = Math.min(left, touched + cfg.idlingTimeout() - now);
        }
        return left == Long.MAX_VALUE ? 0 : Math.max(0, left);
    }

    /** Stored data outlives the cookie's timeouts by nothing: absolute (or rolling) bounds it. */
    private double lifetime(long now) {
        long left = remaining(now);
        return left == 0 ? 0 : left + cfg.staleTtl();
    }

    private String writeCookie(RequestContext req) {
        ByteBuffer h = ByteBuffer.allocate(HEADER_LENGTH);
        h.put(VERSION);
        h.put((byte) ((remember ? FLAG_REMEMBER : 0) | (serverStorage() ? FLAG_SERVER_STORAGE : 0)));
        h.put(id);
        h.putLong(created);
        h.putLong(rotated);
        h.putLong(touched);
        byte[] header = h.array();
        byte[] mac = SessionCrypto.mac(ikm, id, header);
        int len = header.length + mac.length + (serverStorage() ? 0 : sealed.length);
        byte[] value = Arrays.copyOf(header, len);
        System.arraycopy(mac, 0, value, header.length, mac.length);
        if (!serverStorage()) {
            System.arraycopy(sealed, 0, value, header.length + mac.length, sealed.length);
        }
        String cookie = cfg.cookieName() + "=" + Base64Codec.encodeBase64Url(new String(value, StandardCharsets.ISO_8859_1))
                + attributes(false, remember ? remaining(now()) : -1, req);
        if (cookie.length() > MAX_COOKIE) {
            return "session cookie too big (" + cookie.length() + " bytes): store less data or use storage = \"shm\" or \"redis\"";
        }
        setCookie(req, cookie);
        return null;
    }

    private String attributes(boolean delete, long maxAge) {
        return attributes(delete, delete ? 0 : maxAge, null);
    }

    private String attributes(boolean delete, long maxAge, RequestContext req) {
        StringBuilder sb = new StringBuilder();
        sb.append("; Path=").append(cfg.cookiePath());
        if (cfg.cookieDomain() != null) {
            sb.append("; Domain=").append(cfg.cookieDomain());
        }
        if (!cfg.cookieSameSite().equals("Default")) {
            sb.append("; SameSite=").append(cfg.cookieSameSite());
        }
        boolean secure = cfg.cookieSecure() != null ? cfg.cookieSecure()
                : req != null && "https".equals(req.scheme()) || cfg.cookieSameSite().equals("None");
        if (secure) {
            sb.append("; Secure");
        }
        if (cfg.cookieHttpOnly()) {
            sb.append("; HttpOnly");
        }
        if (delete) {
            sb.append("; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0");
        } else if (maxAge >= 0) {
            sb.append("; Expires=").append(NgxTime.cookieTime(now() + maxAge)).append("; Max-Age=").append(maxAge);
        }
        return sb.toString();
    }

    /** Adds a Set-Cookie header, replacing one this request already set for the same cookie. */
    private void setCookie(RequestContext req, String cookie) {
        List<String> all = new ArrayList<>();
        Object current = ResponseHeaders.get(req, "Set-Cookie");
        if (current instanceof String s) {
            all.add(s);
        } else if (current instanceof List<?> l) {
            l.forEach(o -> all.add(String.valueOf(o)));
        }
        all.removeIf(c -> c.startsWith(cfg.cookieName() + "="));
        all.add(cookie);
        ResponseHeaders.set(req, "Set-Cookie", all.size() == 1 ? all.get(0) : all);
    }

    /** The value of a request cookie, or null. */
    static String requestCookie(RequestContext req, String name) {
        for (String header : req.requestHeaders().getAll("Cookie")) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    return pair.substring(eq + 1).trim();
                }
            }
        }
        return null;
    }
}
