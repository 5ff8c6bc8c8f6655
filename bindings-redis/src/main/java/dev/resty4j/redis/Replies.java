package dev.resty4j.redis;

import dev.resty4j.spi.NativeNull;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis replies as lua-resty-redis returns them, in neutral values: status and bulk replies are byte
 * strings, integers numbers, a nil bulk or nil multi-bulk {@link NativeNull#NULL} ({@code ngx.null}),
 * multi-bulk replies lists, and an error reply nested in a multi-bulk (EXEC, pipelines) the pair
 * {@code {false, err}}. A top-level error reply is {@code false, err}, built by the caller.
 */
final class Replies {

    private Replies() {
    }

    static Object toNeutral(Response r) {
        if (r == null) {
            return NativeNull.NULL;
        }
        ResponseType type = r.type();
        switch (type) {
            case SIMPLE:
                return r.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            case BULK:
                return r.toBytes();
            case NUMBER:
                return r.toNumber();
            case ERROR:
                return errorPair(r.toString());
            case MULTI:
            case PUSH: {
                List<Object> list = new ArrayList<>(r.size());
                for (Response e : r) {
                    list.add(toNeutral(e));
                }
                return list;
            }
            case BOOLEAN:
                return r.toBoolean() ? 1L : 0L;
            default:
                // RESP3-only types never come on our RESP2 connections; keep their text
                return r.toString();
        }
    }

    static List<Object> errorPair(String message) {
        List<Object> pair = new ArrayList<>(2);
        pair.add(false);
        pair.add(message);
        return pair;
    }

    /** True for a Redis error reply (as opposed to a connection failure). */
    static boolean isRedisError(Throwable t) {
        // the Vert.x client fails pending commands of a connection that closed with an ERROR-typed
        // "CONNECTION_CLOSED": a socket failure ("closed" for scripts), not a reply from Redis
        return (t instanceof Response r && r.type() == ResponseType.ERROR && !"CONNECTION_CLOSED".equals(t.getMessage()))
                || t instanceof RedisSession.ErrorReply;
    }

    /** The reply's first element as text ({@code "message"}, {@code "subscribe"}, …), or null. */
    static String kind(Response r) {
        if (r == null || (r.type() != ResponseType.MULTI && r.type() != ResponseType.PUSH) || r.size() == 0
                || r.get(0) == null) {
            return null;
        }
        return r.get(0).toString();
    }
}
