package dev.resty4j.host.vertx;

import dev.resty4j.Resty;
import dev.resty4j.core.ServerConfig;
import dev.resty4j.core.request.Headers;
import dev.resty4j.core.request.RequestContext;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * resty4j as a Vert.x Web route handler: {@code router.route().handler(resty.routeHandler())}. Requests
 * whose location produces content (content_by_lua, return, …) are answered by resty4j; requests whose
 * location only has rewrite/access scripts — or that match no location — go on to the router's next
 * handler once those scripts let them through, carrying the request headers the scripts set
 * ({@code ngx.req.set_header}) and the response headers and status they set ({@code ngx.header},
 * {@code ngx.status}). So access-phase Lua (auth, rate limits) sits in front of Java handlers. The log phase
 * runs when the application's response ends. Header and body filters apply only to responses resty4j
 * produced itself.
 *
 * <p>The body: if a {@code BodyHandler} ran before this handler, its body is used; otherwise resty4j reads
 * it (bounded by client_max_body_size) and the next handlers find it in {@code ctx.body()}.
 */
public final class RestyRouteHandler implements Handler<RoutingContext> {

    private final Resty resty;
    private final VertxHost host;

    public RestyRouteHandler(Resty resty, ServerConfig server) {
        this.resty = resty;
        this.host = new VertxHost(resty, server);
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        RequestContext req = host.prepare(request);
        Context vertxContext = Vertx.currentContext();
        req.contentFallback(() -> vertxContext.runOnContext(v -> next(ctx, req)));
        ctx.addEndHandler(ar -> {
            if (req.handedOff()) {
                req.worker().spawn(() -> {
                    req.worker().current(req);
                    resty.pipeline().runLogPhase(req);
                });
            }
        });
        Buffer parsed = ctx.body() == null ? null : ctx.body().buffer();
        if (parsed != null) {
            req.body(parsed.getBytes());
            host.dispatch(req);
            return;
        }
        host.receiveAndDispatch(request, req, body -> {
            if (ctx instanceof io.vertx.ext.web.impl.RoutingContextInternal internal) {
                internal.setBody(body);
            }
        });
    }

    /** Hands the request to the router's next handler with what the scripts changed (on the event loop). */
    private static void next(RoutingContext ctx, RequestContext req) {
        MultiMap in = ctx.request().headers();
        in.clear();
        for (Headers.Field f : req.requestHeaders()) {
            in.add(f.name(), f.value());
        }
        MultiMap out = ctx.response().headers();
        for (Headers.Field f : req.responseHeaders()) {
            out.add(f.name(), f.value());
        }
        if (req.status() > 0) {
            ctx.response().setStatusCode(req.status());
        }
        ctx.next();
    }
}
