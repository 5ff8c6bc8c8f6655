package dev.resty4j.host.netty;

import dev.resty4j.core.request.Headers;
import dev.resty4j.core.request.ResponseSink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Writes a response to the channel from the request's worker fiber. Writes through the handler's
 * context are thread-safe (Netty queues them to the event loop in call order). The head is held back
 * until the first body write or the end, so a response that is not streamed leaves as one
 * {@code FullHttpResponse} (one write, one flush).
 */
final class NettySink implements ResponseSink {

    private final RestyChannelHandler handler;
    private final ChannelHandlerContext ctx;
    private final RestyChannelHandler.Exchange ex;
    /** The head given to {@link #sendHead} and not written yet. */
    private HttpResponse head;
    /** The body's end is the connection's end (HTTP/1.0 without a length). */
    private boolean closeAfter;
    /** The last body write, for {@link #writable()}. */
    private ChannelFuture lastWrite;

    NettySink(RestyChannelHandler handler, ChannelHandlerContext ctx, RestyChannelHandler.Exchange ex) {
        this.handler = handler;
        this.ctx = ctx;
        this.ex = ex;
    }

    @Override
    public void sendHead(int status, Headers headers, long contentLength) {
        // The core validated names and values (no CR/LF); Netty's own check would only repeat it.
        HttpResponse r = new DefaultHttpResponse(ex.version, HttpResponseStatus.valueOf(status),
                DefaultHttpHeadersFactory.headersFactory().withValidation(false));
        HttpHeaders out = r.headers();
        for (int i = 0; i < headers.size(); i++) {
            out.add(headers.name(i), headers.value(i));
        }
        if (contentLength >= 0) {
            out.set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        } else if (contentLength == -1) {
            if (ex.version == HttpVersion.HTTP_1_0) {
                closeAfter = true;
            } else {
                out.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        if (!out.contains(HttpHeaderNames.CONNECTION)) {
            if (closeAfter || !ex.keepAlive) {
                out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            } else if (ex.version == HttpVersion.HTTP_1_0) {
                out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        }
        head = r;
    }

    @Override
    public void write(byte[] data) {
        if (head != null) {
            ctx.write(head);
            head = null;
        }
        lastWrite = ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(data)));
    }

    /** When the channel's outbound buffer is over its high-water mark: once the last write has gone out. */
    @Override
    public io.vertx.core.Future<Void> writable() {
        ChannelFuture last = lastWrite;
        if (last == null || last.isDone() || ctx.channel().isWritable()) {
            return io.vertx.core.Future.succeededFuture();
        }
        io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
        last.addListener(f -> p.tryComplete()); // also completes when the write fails (client gone)
        return p.future();
    }

    @Override
    public void end(byte[] last) {
        ByteBuf tail = last == null || last.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(last);
        ChannelFuture done;
        if (head != null) {
            done = ctx.writeAndFlush(new DefaultFullHttpResponse(head.protocolVersion(), head.status(), tail,
                    head.headers(), DefaultHttpHeadersFactory.trailersFactory().newHeaders()));
            head = null;
        } else {
            done = ctx.writeAndFlush(new DefaultLastHttpContent(tail));
        }
        boolean close = closeAfter;
        done.addListener(f -> handler.responseEnded(ex, close || !f.isSuccess()));
    }

    @Override
    public void abort() {
        ctx.channel().close();
    }

    @Override
    public boolean isConnected() {
        return ctx.channel().isActive();
    }
}
