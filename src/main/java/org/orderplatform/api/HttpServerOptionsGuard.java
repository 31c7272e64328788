package org.orderplatform.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.impl.VertxInternal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The Vert.x instance platform-http builds its HTTP server on, with the server options Camel does not expose.
 * Camel's {@code VertxPlatformHttpServer} creates the server with {@code new HttpServerOptions()} plus TLS
 * settings and listens at once; the only way in before it listens is the {@link Vertx} it takes from the
 * registry. This one is a real Vert.x behind a proxy that hands every {@code createHttpServer} call options with:
 * <ul>
 *   <li>HTTP/2 cleartext off: Vert.x's default accepts {@code Upgrade: h2c} and the prior-knowledge preface on
 *   a plain port, an HTTP/2 nobody chose, with its own framing paths the API's tests do not cover;</li>
 *   <li>every connection decoding requests with {@link StrictFramingDecoder}, which refuses ambiguous framing
 *   and bounds the time a request's headers and body may take;</li>
 *   <li>an idle timeout, and a cap on the connections open at once ({@link HttpLimits}).</li>
 * </ul>
 * and lets {@code customizer} finish the server before Camel makes it listen, and {@code connected} see every
 * connection before its first request. Camel does not close a Vert.x it did not create: {@link HttpServerGuard}
 * does, after the context has stopped.
 */
final class HttpServerOptionsGuard {
    /** The name Vert.x gives its HTTP/1.x request decoder in a connection's pipeline. */
    private static final String DECODER = "httpDecoder";

    private HttpServerOptionsGuard() {
    }

    /** The answer to a connection over the cap, written before closing it. */
    private static final byte[] TOO_MANY_CONNECTIONS = rawResponse(
            "{\"error\":\"unavailable\",\"message\":\"too many open connections; retry shortly\"}");

    private static byte[] rawResponse(String body) {
        return ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
                + "Connection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A Vert.x whose HTTP servers speak HTTP/1.x only, apply {@code limits}, and pass through {@code customizer}
     * before listening.
     */
    static Vertx vertx(HttpLimits limits, Consumer<HttpServer> customizer,
                       BiConsumer<HttpServer, HttpConnection> connected) {
        Vertx real = Vertx.vertx();
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("createHttpServer") && method.getReturnType() == HttpServer.class) {
                HttpServerOptions given = args == null || args.length == 0 ? new HttpServerOptions() : (HttpServerOptions) args[0];
                HttpServerOptions options = restrict(new HttpServerOptions(given), limits);
                HttpServer server = real.createHttpServer(options);
                AtomicInteger open = new AtomicInteger();
                server.connectionHandler(connection -> {
                    open.incrementAndGet();
                    connection.closeHandler(closed -> open.decrementAndGet());
                    boolean refuse = open.get() > limits.maxConnections();
                    strictFraming(connection, options, limits, refuse);
                    if (!refuse) {
                        connected.accept(server, connection);
                    }
                });
                customizer.accept(server);
                return server;
            }
            return delegate(real, method, args);
        };
        return (Vertx) Proxy.newProxyInstance(HttpServerOptionsGuard.class.getClassLoader(),
                new Class<?>[] {VertxInternal.class}, handler);
    }

    static HttpServerOptions restrict(HttpServerOptions options, HttpLimits limits) {
        // Vert.x closes a connection that neither read nor wrote a byte for this long
        return options.setHttp2ClearTextEnabled(false)
                .setIdleTimeout((int) limits.idleTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    }

    /**
     * Puts {@link StrictFramingDecoder} in place of Vert.x's request decoder, or answers 503 and closes a connection
     * over the cap ({@code refuse}). Vert.x calls a connection handler while it sets the connection up, on its event
     * loop, before the first byte is decoded.
     */
    private static void strictFraming(HttpConnection connection, HttpServerOptions options, HttpLimits limits,
                                      boolean refuse) {
        if (connection instanceof Http1xServerConnection http1) {
            ChannelPipeline pipeline = http1.channelHandlerContext().pipeline();
            StrictFramingDecoder strict = new StrictFramingDecoder(options, limits);
            if (pipeline.get(DECODER) instanceof VertxHttpRequestDecoder) {
                pipeline.replace(DECODER, DECODER, strict);
            }
            if (refuse) {
                strict.discardInput();
                // written below the response encoder, straight to the socket: no request has been read, and
                // none will be (a slot freed by another connection is not this one's to take)
                ChannelHandlerContext decoder = pipeline.context(DECODER);
                decoder.writeAndFlush(Unpooled.wrappedBuffer(TOO_MANY_CONNECTIONS)).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    private static Object delegate(Vertx real, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
