package org.orderplatform.infra;

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
import java.util.function.Consumer;

/**
 * The Vert.x instance platform-http builds its HTTP server on, with the server options Camel does not expose.
 * Camel's {@code VertxPlatformHttpServer} creates the server with {@code new HttpServerOptions()} plus TLS
 * settings and listens at once; the only way in before it listens is the {@link Vertx} it takes from the
 * registry. This one is a real Vert.x behind a proxy that hands every {@code createHttpServer} call options with:
 * <ul>
 *   <li>HTTP/2 cleartext off: Vert.x's default accepts {@code Upgrade: h2c} and the prior-knowledge preface on
 *   a plain port, an HTTP/2 nobody chose, with its own framing paths the API's tests do not cover;</li>
 *   <li>every connection decoding requests with {@link StrictFramingDecoder}, which refuses ambiguous framing.</li>
 * </ul>
 * and lets {@code customizer} finish the server before Camel makes it listen. Camel does not close a Vert.x it
 * did not create: {@link #close} does, after the context has stopped.
 */
final class HttpServerOptionsGuard {
    /** The name Vert.x gives its HTTP/1.x request decoder in a connection's pipeline. */
    private static final String DECODER = "httpDecoder";

    private HttpServerOptionsGuard() {
    }

    /** A Vert.x whose HTTP servers speak HTTP/1.x only and pass through {@code customizer} before listening. */
    static Vertx vertx(Consumer<HttpServer> customizer) {
        Vertx real = Vertx.vertx();
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("createHttpServer") && method.getReturnType() == HttpServer.class) {
                HttpServerOptions given = args == null || args.length == 0 ? new HttpServerOptions() : (HttpServerOptions) args[0];
                HttpServerOptions options = restrict(new HttpServerOptions(given));
                HttpServer server = real.createHttpServer(options);
                server.connectionHandler(connection -> strictFraming(connection, options));
                customizer.accept(server);
                return server;
            }
            return delegate(real, method, args);
        };
        return (Vertx) Proxy.newProxyInstance(HttpServerOptionsGuard.class.getClassLoader(),
                new Class<?>[] {VertxInternal.class}, handler);
    }

    static HttpServerOptions restrict(HttpServerOptions options) {
        return options.setHttp2ClearTextEnabled(false);
    }

    /**
     * Puts {@link StrictFramingDecoder} in place of Vert.x's request decoder. Vert.x calls a connection handler
     * while it sets the connection up, on its event loop, before the first byte is decoded.
     */
    private static void strictFraming(HttpConnection connection, HttpServerOptions options) {
        if (connection instanceof Http1xServerConnection http1) {
            ChannelPipeline pipeline = http1.channelHandlerContext().pipeline();
            if (pipeline.get(DECODER) instanceof VertxHttpRequestDecoder) {
                pipeline.replace(DECODER, DECODER, new StrictFramingDecoder(options));
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
