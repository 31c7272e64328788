package org.orderplatform.infra;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Two things platform-http-vertx does not do for us: it only warns when its port is taken (the process
 * would run with no API), and its own 404/405/413 answers are plain text. This fails the start on a taken
 * port and makes those answers JSON errors like every other.
 */
public final class HttpServerGuard implements StartupListener {
    private final int port;

    public HttpServerGuard(int port) {
        this.port = port;
    }

    /** Fails the start when another process already listens on the HTTP port. */
    public static void checkPortFree(int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new IllegalStateException("HTTP port " + port + " (camel.server.port) is already in use", e);
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            return;
        }
        router.errorHandler(404, ctx -> json(ctx, 404, "not_found", "no such resource: " + safePath(ctx)));
        router.errorHandler(405, ctx -> json(ctx, 405, "method_not_allowed",
                ctx.request().method() + " is not allowed on " + safePath(ctx)));
        router.errorHandler(413, ctx -> json(ctx, 413, "payload_too_large", "request body is too large"));
        router.errorHandler(500, ctx -> json(ctx, 500, "internal_error", "unexpected error; see the server log"));
    }

    private static String safePath(RoutingContext ctx) {
        String path = ctx.request().path();
        if (path == null) {
            return "";
        }
        String clean = path.replaceAll("[^A-Za-z0-9/._~%-]", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "..." : clean;
    }

    private static void json(RoutingContext ctx, int status, String code, String message) {
        HttpServerResponse response = ctx.response();
        if (response.ended()) {
            return;
        }
        String body = "{\"error\":\"" + code + "\",\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        response.setStatusCode(status).putHeader("Content-Type", "application/json");
        if (status == 413) {
            // the rest of an oversized body is not read: close rather than drain it
            response.putHeader("Connection", "close");
        }
        response.end(body);
    }
}
