package dev.resty4j.host.netty;

import dev.resty4j.core.phase.SpecialResponse;
import dev.resty4j.core.request.Headers;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.request.RequestFactory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One connection of the Netty host (see {@link NettyHost}). Sits after an {@code HttpServerCodec} and
 * works on the event loop: it turns the decoded request head into a {@link RequestContext}, collects the
 * body chunks (refusing more than {@code client_max_body_size} with 413), hands the request to a worker
 * and, while that request's response is being produced, keeps later pipelined requests in a backlog.
 * Everything but {@link NettySink}'s writes runs on the channel's event loop, so the fields need no locks.
 */
final class RestyChannelHandler extends ChannelDuplexHandler {

    private final NettyHost host;
    /** Front mode: requests resty4j does not answer go on to the next handler. */
    private final boolean passOn;
    private ChannelHandlerContext ctx;

    /** The request whose body is arriving, or null. */
    private Exchange receiving;
    /** The request dispatched (or passed on) whose response has not ended yet, or null. */
    private Exchange active;
    /** Decoded messages of pipelined requests that wait for {@link #active} to end. */
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();
    /** After refusing a request the connection closes: ignore whatever else arrives. */
    private boolean refused;
    /** Refused with its body still coming: dropped until its end, then closed (see {@link #refuse(int, boolean)}). */
    private boolean lingering;

    RestyChannelHandler(NettyHost host, boolean passOn) {
        this.host = host;
        this.passOn = passOn;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (active != null || !backlog.isEmpty()) {
            // Pipelined: answer in order. Stop reading until the current response has ended, so the
            // backlog holds at most what one read decoded.
            backlog.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        handle(msg);
    }

    private void handle(Object msg) {
        try {
            if (refused) {
                if (lingering && msg instanceof LastHttpContent) {
                    ctx.close(); // the refused body is in: now the close cannot reset the response
                }
                return;
            }
            if (msg instanceof HttpRequest head) {
                begin(head);
            }
            if (msg instanceof HttpContent content && !refused) {
                receive(content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** A request head: builds its context, checks the declared body size, answers Expect: 100-continue. */
    private void begin(HttpRequest head) {
        if (head.decoderResult().isFailure()) {
            refuse(decoderStatus(head.decoderResult().cause()));
            return;
        }
        Exchange ex = new Exchange(head);
        ex.req = prepare(head, ex);
        long declared = HttpUtil.getContentLength(head, -1L);
        if (declared >= 0 || HttpUtil.isTransferEncodingChunked(head)) {
            if (host.requests().bodyTooLarge(ex.req, declared, false)) {
                refuse(413, !(head instanceof LastHttpContent));
                return;
            }
            ex.hasBody = true;
            ex.maxBody = host.requests().maxBodySize(ex.req);
            if (HttpUtil.is100ContinueExpected(head)) {
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                        Unpooled.EMPTY_BUFFER));
            }
        }
        receiving = ex;
    }

    /** A body chunk (the codec sends an empty last one for requests without a body). */
    private void receive(HttpContent content) {
        Exchange ex = receiving;
        if (ex == null) {
            return;
        }
        if (content.decoderResult().isFailure()) {
            refuse(decoderStatus(content.decoderResult().cause()));
            return;
        }
        ByteBuf data = content.content();
        int n = data.readableBytes();
        if (n > 0) {
            ex.received += n;
            // A chunked body has no declared length: refuse it as soon as it passes the limit.
            if (ex.maxBody > 0 && ex.received > ex.maxBody && host.requests().bodyTooLarge(ex.req, ex.received, true)) {
                refuse(413, !(content instanceof LastHttpContent));
                return;
            }
            if (ex.body == null) {
                ex.body = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
            }
            ex.body.addComponent(true, data.retain());
        }
        if (content instanceof LastHttpContent) {
            receiving = null;
            if (ex.hasBody) {
                ex.req.body(ex.takeBody());
            }
            start(ex);
        }
    }

    /** Hands a complete request to a worker; its response ends in {@link #responseEnded}. */
    private void start(Exchange ex) {
        active = ex;
        if (passOn) {
            ex.req.contentFallback(() -> ctx.executor().execute(() -> passOn(ex)));
        }
        host.requests().dispatch(ex.req);
    }

    /** Builds the request context of a decoded request head (line, headers, addresses, sink). */
    private RequestContext prepare(HttpRequest head, Exchange ex) {
        HttpHeaders in = head.headers();
        Headers headers = new Headers(in.size() + 2);
        for (Iterator<Map.Entry<String, String>> it = in.iteratorAsString(); it.hasNext(); ) {
            Map.Entry<String, String> e = it.next();
            headers.add(e.getKey(), e.getValue());
        }
        boolean ssl = ctx.pipeline().get(SslHandler.class) != null;
        RequestContext req = host.requests().create(head.method().name(), head.uri(),
                head.protocolVersion() == HttpVersion.HTTP_1_0 ? "1.0" : "1.1", headers, ssl);
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote) {
            req.remoteAddr(remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress());
            req.remotePort(remote.getPort());
        }
        if (ctx.channel().localAddress() instanceof InetSocketAddress local) {
            req.serverAddr(local.getAddress() == null ? local.getHostString() : local.getAddress().getHostAddress());
            req.serverPort(local.getPort());
        }
        req.sink(new NettySink(this, ctx, ex));
        return req;
    }

    /**
     * The scripts let the request through without producing content: the next handler gets it as a
     * {@code FullHttpRequest} with the request headers as the scripts left them (event loop).
     */
    private void passOn(Exchange ex) {
        if (active != ex || !ctx.channel().isActive()) {
            return;
        }
        ex.passedOn = true;
        RequestContext req = ex.req;
        byte[] body = req.body();
        DefaultFullHttpRequest full = new DefaultFullHttpRequest(ex.head.protocolVersion(), ex.head.method(),
                ex.head.uri(), body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body),
                DefaultHttpHeadersFactory.headersFactory().withValidation(false),
                DefaultHttpHeadersFactory.trailersFactory());
        HttpHeaders h = full.headers();
        for (Headers.Field f : req.requestHeaders()) {
            h.add(f.name(), f.value());
        }
        ctx.fireChannelRead(full);
    }

    /** Watches the next handler's response to a passed-on request: adds the scripts' headers, notes its end. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        Exchange ex = active;
        if (ex != null && ex.passedOn && msg instanceof HttpObject) {
            if (msg instanceof HttpResponse resp && resp.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
                HttpHeaders out = resp.headers();
                for (Headers.Field f : ex.req.responseHeaders()) {
                    if (!out.contains(f.name())) {
                        out.add(f.name(), f.value());
                    }
                }
                ex.appKeepsAlive = HttpUtil.isKeepAlive(resp)
                        && (HttpUtil.isContentLengthSet(resp) || HttpUtil.isTransferEncodingChunked(resp));
            }
            if (msg instanceof LastHttpContent) {
                ex.passedOn = false;
                promise = promise.unvoid();
                promise.addListener(f -> {
                    RequestContext req = ex.req;
                    req.worker().spawn(() -> {
                        req.worker().current(req);
                        req.resty().pipeline().runLogPhase(req);
                    });
                    responseEnded(ex, !f.isSuccess() || !ex.appKeepsAlive);
                });
            }
        }
        ctx.write(msg, promise);
    }

    /**
     * The response to {@code ex} has gone out (event loop): closes the connection when it cannot be kept
     * alive, else serves the next pipelined request, if any, and resumes reading.
     */
    void responseEnded(Exchange ex, boolean close) {
        if (active != ex) {
            return;
        }
        active = null;
        if (close || !ex.keepAlive || !ctx.channel().isActive()) {
            ctx.close();
            return;
        }
        while (active == null && !refused && !backlog.isEmpty()) {
            handle(backlog.poll());
        }
        if (backlog.isEmpty()) {
            ctx.channel().config().setAutoRead(true); // reads at once if it was off
        }
    }

    /** Answers a request resty4j will not run (bad request, body too large) and closes, as nginx does. */
    private void refuse(int status) {
        refuse(status, false);
    }

    /**
     * Answers {@code status} and closes the connection. With {@code bodyFollows} (a refused body still on
     * its way), as nginx's lingering close: the rest of the body is read and dropped, and the connection
     * closes at its end, or after {@link RequestFactory#LINGERING_TIMEOUT_MS}.
     */
    private void refuse(int status, boolean bodyFollows) {
        refused = true;
        if (receiving != null) {
            receiving.releaseBody();
            receiving = null;
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(SpecialResponse.page(status)));
        r.headers().set(HttpHeaderNames.SERVER, "resty4j")
                .set(HttpHeaderNames.CONTENT_TYPE, "text/html")
                .set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (!bodyFollows) {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        lingering = true;
        ctx.writeAndFlush(r);
        ctx.executor().schedule(() -> {
            ctx.close();
        }, RequestFactory.LINGERING_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * nginx's answers to requests it cannot parse: 414 for a long request line, else 400 (nginx also
     * answers too large headers with 400, "Request Header Or Cookie Too Large").
     */
    private static int decoderStatus(Throwable cause) {
        return cause instanceof TooLongHttpLineException ? 414 : 400;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // keepalive_timeout: an idle connection between requests is closed; one with a request in flight is not.
        if (evt instanceof IdleStateEvent && active == null && receiving == null) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (receiving != null) {
            receiving.releaseBody();
            receiving = null;
        }
        Object m;
        while ((m = backlog.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and broken pipes are the client's business; the request's fiber notices through isConnected().
        ctx.close();
    }

    /** One request/response on the connection. */
    static final class Exchange {
        final HttpRequest head;
        final HttpVersion version;
        final boolean keepAlive;
        RequestContext req;
        boolean hasBody;
        long maxBody;
        long received;
        CompositeByteBuf body;
        /** Given to the next handler, whose response is not over yet. */
        boolean passedOn;
        boolean appKeepsAlive;

        Exchange(HttpRequest head) {
            this.head = head;
            this.version = head.protocolVersion();
            this.keepAlive = HttpUtil.isKeepAlive(head);
        }

        byte[] takeBody() {
            if (body == null) {
                return new byte[0];
            }
            byte[] bytes = ByteBufUtil.getBytes(body);
            releaseBody();
            return bytes;
        }

        void releaseBody() {
            if (body != null) {
                body.release();
                body = null;
            }
        }
    }
}
