package org.orderplatform.api;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x's HTTP/1.x request decoder, refusing the framings RFC 9112 section 6 leaves ambiguous. Netty on its own
 * drops a Content-Length sent beside {@code Transfer-Encoding: chunked} and goes on, and takes any list that
 * contains {@code chunked} for chunked: behind a proxy that frames such a request differently, the rest of the
 * body is read as a second request (request smuggling). Refused here, so the request is marked failed:
 * <ul>
 *   <li>Content-Length together with Transfer-Encoding: 400 (section 6.1);</li>
 *   <li>a Transfer-Encoding whose last coding is not {@code chunked}, or that names {@code chunked} twice: 400
 *   (section 6.3: the length of the body cannot be determined);</li>
 *   <li>{@code chunked} after another coding ({@code gzip, chunked}): 501, a coding this server does not
 *   implement (section 6.1).</li>
 * </ul>
 * Vert.x hands a failed request to the server's invalid-request handler and closes the connection once it has
 * answered, without reading any pipelined request behind it.
 * <p>
 * It also bounds how long a request may take to arrive ({@link HttpLimits}): its line and headers within the
 * header timeout (from the connection's opening for the first request, from its first byte for later ones), its
 * body within the body timeout once the headers are in. A client slower than that (a slowloris sending a header a
 * byte at a time, a body that never completes) has its connection closed without an answer, as nginx does: no
 * request was dispatched, so nothing else could answer it. The wait between requests is the idle timeout's.
 */
final class StrictFramingDecoder extends VertxHttpRequestDecoder {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StrictFramingDecoder.class);

    /** Set once a request was refused: nothing after it on this connection is a request to decode. */
    private boolean refused;
    private final long headerTimeoutMs;
    private final long bodyTimeoutMs;
    /** Between requests (false), or reading one, from its first byte to its last (true). */
    private boolean reading;
    /** The deadline of the part being read (headers, then body), or null. */
    private ScheduledFuture<?> deadline;

    StrictFramingDecoder(HttpServerOptions options, HttpLimits limits) {
        super(options);
        this.headerTimeoutMs = limits.headerTimeout().toMillis();
        this.bodyTimeoutMs = limits.bodyTimeout().toMillis();
    }

    /** Reads nothing more from this connection as a request: it is being refused. */
    void discardInput() {
        refused = true;
    }

    /** Put in place when the connection opens, before its first byte: the first request's headers are due. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        reading = true;
        arm(ctx, headerTimeoutMs, "request line and headers");
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.handlerRemoved0(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (refused) {
            disarm();
            buffer.skipBytes(buffer.readableBytes());
            return;
        }
        if (!reading && buffer.isReadable()) {
            reading = true;
            arm(ctx, headerTimeoutMs, "request line and headers");
        }
        int before = out.size();
        super.decode(ctx, buffer, out);
        for (int i = before; i < out.size(); i++) {
            Object decoded = out.get(i);
            if (decoded instanceof HttpRequest) {
                arm(ctx, bodyTimeoutMs, "request body");
            }
            if (decoded instanceof LastHttpContent) {
                disarm();
                reading = false;
            }
        }
    }

    private void arm(ChannelHandlerContext ctx, long timeoutMs, String part) {
        disarm();
        if (timeoutMs > 0) {
            deadline = ctx.executor().schedule(() -> {
                // a client's slowness, not the service's fault: nothing above DEBUG (see HttpServerGuard)
                LOG.debug("Closed a connection from {}: its {} took longer than {} ms", ctx.channel().remoteAddress(),
                        part, timeoutMs);
                refused = true;
                ctx.close();
            }, timeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    /** Netty asks this once the headers are read, before it chooses how to read the body. */
    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage message) {
        FramingException problem = check(message.headers());
        if (problem != null) {
            message.setDecoderResult(DecoderResult.failure(problem));
            refused = true;
        }
        return super.isContentAlwaysEmpty(message);
    }

    static FramingException check(HttpHeaders headers) {
        List<String> fields = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (fields.isEmpty()) {
            return null;
        }
        if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            return new FramingException(400, "invalid_request", "Content-Length and Transfer-Encoding together are refused");
        }
        List<String> codings = new ArrayList<>();
        for (String field : fields) {
            for (String coding : field.split(",")) {
                // a transfer coding may carry parameters (";q=..."): only its name decides the framing
                String name = coding.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    codings.add(name);
                }
            }
        }
        if (codings.isEmpty() || !codings.get(codings.size() - 1).equals("chunked") || codings.indexOf("chunked") != codings.size() - 1) {
            return new FramingException(400, "invalid_request",
                    "Transfer-Encoding must end with chunked, given once; the length of the body cannot be determined");
        }
        if (codings.size() > 1) {
            return new FramingException(501, "not_implemented",
                    "Transfer-Encoding: only chunked is implemented, not " + printable(codings.get(0)));
        }
        return null;
    }

    private static String printable(String coding) {
        String clean = coding.replaceAll("[^a-z0-9!#$%&'*+.^_`|~-]", "?");
        return clean.length() > 32 ? clean.substring(0, 32) + "..." : clean;
    }

    /** Why a request's framing was refused: the status and error code to answer with. */
    static final class FramingException extends IllegalArgumentException {
        private final int status;
        private final String code;

        FramingException(int status, String code, String message) {
            super(message, null);
            this.status = status;
            this.code = code;
        }

        int status() {
            return status;
        }

        String code() {
            return code;
        }
    }
}
