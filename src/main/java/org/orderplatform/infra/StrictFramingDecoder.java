package org.orderplatform.infra;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
 */
final class StrictFramingDecoder extends VertxHttpRequestDecoder {

    /** Set once a request was refused: nothing after it on this connection is a request to decode. */
    private boolean refused;

    StrictFramingDecoder(HttpServerOptions options) {
        super(options);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (refused) {
            buffer.skipBytes(buffer.readableBytes());
            return;
        }
        super.decode(ctx, buffer, out);
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
