package org.orderplatform.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * The service's HTTP edge, in front of every route. Every request first passes {@link #entry}, on the server's root
 * router: a missing or repeated Host and a path or query that cannot be decoded are refused with JSON errors, and
 * nothing from the query string or a form body may pass for a request header. Then two things platform-http-vertx
 * does not do for us: it only warns when its port is taken (the process would run with no API), and its own
 * 404/405/413 answers are HTML, empty or plain text. This fails the start on a taken port and makes those answers
 * JSON errors like every other, with an X-Correlation-Id. While the context starts or stops, such a request gets
 * a 503: the routes are not there yet, or any more.
 * <p>
 * Before the server exists, {@link #onCamelContextStarting} gives platform-http the Vert.x it builds the server on
 * ({@link HttpServerOptionsGuard}): HTTP/1.x only, ambiguous framing refused ({@link StrictFramingDecoder}) by the
 * invalid-request handler here. The handlers on the routers are installed by {@link #connected}, when the API
 * port's first connection is set up and before its first request is read: Camel opens the port before its routes
 * are in, and a request in between must get the 503 too, not Vert.x's HTML 404, nor reach a route that has
 * started before the query parameters are emptied. Not covered: a request Netty cannot decode at all (e.g. a bare
 * CR in a header) keeps Vert.x's own answer (400, empty body).
 */
public final class HttpServerGuard implements StartupListener {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServerGuard.class);
    private static final OrderRequestParser CONTENT_TYPES = new OrderRequestParser();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code uri-host [ ":" port ]} of RFC 3986: an IP literal, or a registered name or IPv4 address (maybe empty). */
    private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._~%!$&'()*+,;=-]*)(:[0-9]*)?");
    /** Where liveness and readiness answer on the API port, as on the management port. */
    private static final String PUBLIC_HEALTH = "/observe/health";
    private final int port;
    private final HttpLimits limits;
    private final AtomicBoolean installed = new AtomicBoolean();
    private final ClientMistakes mistakes;
    private volatile CamelContext context;

    /** @param reportIntervalMs at most one report of client mistakes per interval (orders.poll.report-interval-ms) */
    public HttpServerGuard(int port, HttpLimits limits, long reportIntervalMs) {
        this.port = port;
        this.limits = limits;
        this.mistakes = new ClientMistakes(reportIntervalMs);
    }

    /**
     * Fails the start when another process already listens on the HTTP port. The check binds a plain socket and
     * never listens: a listening probe would let the kernel accept a client's connection in the moment it is
     * open, and closing the probe would then reset that connection with nothing answered (a client retrying
     * while the service starts saw exactly that). A bind conflicts with a listener, not with connections left in
     * TIME_WAIT (SO_REUSEADDR).
     */
    public static void checkPortFree(int port) {
        if (port == 0) {
            return;
        }
        try (Socket socket = new Socket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new IllegalStateException("HTTP port " + port + " (camel.server.port) is already in use", e);
        }
    }

    /**
     * Before platform-http starts its server: hands it a Vert.x whose HTTP servers are built with the options
     * {@link HttpServerOptionsGuard} sets (HTTP/1.x only), and closes that Vert.x once the context has stopped.
     */
    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        if (!context.getRegistry().findByType(Vertx.class).isEmpty()) {
            LOG.warn("A Vert.x instance is already bound: the HTTP server keeps Vert.x's default options (h2c on)");
            return;
        }
        this.context = context;
        Vertx vertx = HttpServerOptionsGuard.vertx(limits,
                server -> server.invalidRequestHandler(HttpServerGuard::invalidRequest), this::connected);
        context.getRegistry().bind("httpServerVertx", vertx);
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                vertx.close();
            }
        });
    }

    /**
     * A request the decoder marked failed, before any router. Framing refused by {@link StrictFramingDecoder} gets
     * its status and a JSON error; anything else Vert.x's own answer (414 or 431 for an oversized request line or
     * headers, else 400, with an empty body). Either way the connection is closed once answered: the decoder's
     * position in the byte stream can no longer be trusted.
     */
    private static void invalidRequest(HttpServerRequest request) {
        if (request.decoderResult().cause() instanceof StrictFramingDecoder.FramingException refused) {
            request.response().putHeader("Connection", "close");
            json(request, refused.status(), refused.code(), refused.getMessage());
        } else {
            HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
        }
    }

    /** Nothing to do once the context has started: {@link #connected} has installed, or will, the handlers. */
    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    /**
     * Every connection to a server of this Vert.x, on its event loop, before its first request is read: the first
     * one to the API port installs the handlers. Camel has set the server's root router by then, and bound the
     * router its routes are added to, but maybe not started a single route yet.
     */
    private void connected(HttpServer server, HttpConnection connection) {
        if (connection.localAddress() == null || connection.localAddress().port() != port || installed.get()) {
            return;
        }
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null || !(server.requestHandler() instanceof Router root) || !installed.compareAndSet(false, true)) {
            return;
        }
        install(context, root, router);
    }

    private void install(CamelContext context, Router root, VertxPlatformHttpRouter router) {
        // on the server's root router, which Camel mounts its routes' router under: a request whose path cannot be
        // decoded fails there, while mounting, before any handler of the routes' router could answer it
        root.route().order(Integer.MIN_VALUE).handler(HttpServerGuard::entry);
        // The Camel routes live in a sub-router: error handlers registered on it are never consulted (Vert.x
        // uses those of the root router, which Camel does not expose), so its 404 (HTML), 405 (empty) and
        // 413 (plain text) came out as Vert.x wrote them. A last catch-all route answers instead: its handler
        // sees every request no route took (404, or 405 when the path exists), its failure handler every
        // failure (413 from the body handler, anything else as 500).
        Route fallback = router.route().last();
        fallback.handler(ctx -> {
            if (context.getStatus().isStarted()) {
                unmatched(ctx, router, fallback);
            } else {
                // the port listens before the routes start and after they stop: a request then finds no
                // route, which is not a missing resource but a service that cannot answer yet (or any more)
                ctx.response().putHeader("Retry-After", "1");
                json(ctx, 503, "unavailable", "the service is starting or stopping; retry shortly");
            }
        });
        fallback.failureHandler(this::failed);
        publicHealth(context, router);
    }

    /**
     * Liveness and readiness on the API port, for load balancers and container health checks: the management
     * endpoints (metrics, info, health with its details) are on a port of their own (camel.management.port),
     * which a load balancer checking the traffic port cannot reach. Only the verdict is given here,
     * {@code {"status":"UP"}} or 503 {@code {"status":"DOWN"}}: which check failed, and why, is for the management
     * port ({@code /observe/health?exposureLevel=full}).
     */
    private static void publicHealth(CamelContext context, VertxPlatformHttpRouter router) {
        for (boolean readiness : new boolean[] {false, true}) {
            String path = PUBLIC_HEALTH + (readiness ? "/ready" : "/live");
            // the checks borrow a database connection, or call SQS: not on the event loop
            router.route(path).method(HttpMethod.GET).blockingHandler(ctx -> {
                boolean up = HealthCheckHelper.isResultsUp(readiness
                        ? HealthCheckHelper.invokeReadiness(context) : HealthCheckHelper.invokeLiveness(context), readiness);
                ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json")
                        .end(up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
            }, false);
        }
    }

    /**
     * The first handler of every request, for every route present and future. platform-http copies the decoded
     * query parameters, and the fields of a form body, into the message headers beside the request's own
     * headers, so {@code ?Authorization=...} would authenticate and {@code ?Content-Type=...} would pass for
     * the content type. Here the query parameters are emptied before Camel copies them (routes read the query
     * from the raw query string, {@code CamelHttpRawQuery}), and form bodies are refused: the API takes JSON only.
     */
    private static void entry(RoutingContext ctx) {
        if (refusedAtEntry(ctx)) {
            return;
        }
        // decoded by refusedAtEntry and cached by the routing context: Camel reads this very map
        ctx.queryParams().clear();
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType != null && isForm(contentType)) {
            try {
                CONTENT_TYPES.checkContentType(contentType);
            } catch (ApiException refused) {
                json(ctx, refused.status(), refused.code(), refused.getMessage());
                return;
            }
        }
        ctx.next();
    }

    /**
     * Answers a request the HTTP layer must refuse whatever its route: a missing, repeated or malformed Host, a
     * path or query string that is not properly percent-encoded. True when it did. Also asked by {@link #failed}:
     * Vert.x itself fails such a request (400) before {@link #entry} when it cannot even route it.
     */
    private static boolean refusedAtEntry(RoutingContext ctx) {
        String hostProblem = hostProblem(ctx.request());
        if (hostProblem != null) {
            json(ctx, 400, "invalid_request", hostProblem);
            return true;
        }
        try {
            ctx.normalizedPath();
        } catch (RuntimeException badEscape) {
            json(ctx, 400, "invalid_request", "the path is not properly percent-encoded");
            return true;
        }
        try {
            ctx.queryParams();
        } catch (RuntimeException badEscape) {
            json(ctx, 400, "invalid_parameter", "the query string is not properly percent-encoded");
            return true;
        }
        return false;
    }

    /**
     * RFC 9112 section 3.2: an HTTP/1.1 request needs exactly one Host, no request may carry two, and the value
     * must be a URI host with an optional port. Netty accepts all three; a proxy and this server could then
     * disagree about which site a request is for.
     */
    private static String hostProblem(HttpServerRequest request) {
        List<String> hosts = request.headers().getAll("Host");
        if (hosts.size() > 1) {
            return "the request has " + hosts.size() + " Host headers; exactly one is allowed";
        }
        if (hosts.isEmpty()) {
            return request.version() == HttpVersion.HTTP_1_1 ? "an HTTP/1.1 request needs a Host header" : null;
        }
        return HOST.matcher(hosts.get(0)).matches() ? null : "the Host header is not a host name with an optional port";
    }

    private static boolean isForm(String contentType) {
        String type = contentType.strip().toLowerCase(java.util.Locale.ROOT);
        return type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/");
    }

    private static void unmatched(RoutingContext ctx, VertxPlatformHttpRouter router, Route fallback) {
        String path = relativePath(ctx);
        Set<String> allowed = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            if (route != fallback && route.getPath() != null && pathMatches(route.getPath(), path)) {
                route.methods().forEach(m -> allowed.add(m.name()));
            }
        }
        if (allowed.isEmpty()) {
            json(ctx, 404, "not_found", "no such resource: " + safePath(ctx));
        } else {
            ctx.response().putHeader("Allow", String.join(", ", allowed));
            json(ctx, 405, "method_not_allowed", safeMethod(ctx) + " is not allowed on " + safePath(ctx)
                    + "; allowed: " + String.join(", ", allowed));
        }
    }

    private void failed(RoutingContext ctx) {
        int status = ctx.statusCode();
        Throwable failure = ctx.failure();
        if (status < 400 && ClientMistakes.isHangUp(failure)) {
            // the client hung up in the middle of its request: nobody is left to answer
            mistakes.report(safeMethod(ctx) + " " + safePath(ctx) + ": connection closed before the request was read",
                    failure);
            return;
        }
        if (status < 400 && ClientMistakes.isUndecodable(failure)) {
            mistakes.report(safeMethod(ctx) + " " + safePath(ctx) + ": body framing could not be decoded", failure);
            // the decoder's position in the byte stream can no longer be trusted: answer, then close
            ctx.response().putHeader("Connection", "close");
            json(ctx, 400, "invalid_request", "the request body's framing could not be decoded");
            return;
        }
        if (status == 413) {
            json(ctx, 413, "payload_too_large", "request body is too large");
        } else if (status == 404 || status == 405) {
            json(ctx, status, status == 404 ? "not_found" : "method_not_allowed", "no such resource: " + safePath(ctx));
        } else if (status >= 400 && status < 500) {
            if (refusedAtEntry(ctx)) {
                return;
            }
            // the body handler parses form and multipart bodies before any route runs, and refuses broken
            // ones: the API takes JSON only, so that is the answer a route would have given
            try {
                CONTENT_TYPES.checkContentType(ctx.request().getHeader("Content-Type"));
                json(ctx, 400, "invalid_request", "the request could not be read");
            } catch (ApiException refused) {
                json(ctx, refused.status(), refused.code(), refused.getMessage());
            }
        } else {
            LOG.error("Unexpected failure answering {} {} (status {})", safeMethod(ctx), safePath(ctx), status, ctx.failure());
            json(ctx, 500, "internal_error", "unexpected error; see the server log");
        }
    }

    private static String relativePath(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String mount = ctx.mountPoint();
        if (mount != null && !mount.equals("/") && path.startsWith(mount)) {
            path = path.substring(mount.endsWith("/") ? mount.length() - 1 : mount.length());
        }
        return path;
    }

    /** Vert.x path matching, as far as Camel's routes use it: literal segments, :params and a trailing *. */
    static boolean pathMatches(String routePath, String requestPath) {
        if (routePath.endsWith("*")) {
            return requestPath.startsWith(routePath.substring(0, routePath.length() - 1));
        }
        String[] expected = trimSlash(routePath).split("/", -1);
        String[] actual = trimSlash(requestPath).split("/", -1);
        if (expected.length != actual.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            boolean parameter = expected[i].startsWith(":");
            if (parameter ? actual[i].isEmpty() : !expected[i].equals(actual[i])) {
                return false;
            }
        }
        return true;
    }

    private static String trimSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String safeMethod(RoutingContext ctx) {
        return ctx.request().method().name().replaceAll("[^A-Z]", "?");
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
        json(ctx.request(), status, code, message);
    }

    private static void json(HttpServerRequest request, int status, String code, String message) {
        HttpServerResponse response = request.response();
        if (response.ended()) {
            return;
        }
        String body;
        try {
            body = JSON.writeValueAsString(new ApiError(code, message));
        } catch (JsonProcessingException e) {
            body = "{\"error\":\"" + code + "\",\"message\":\"\"}";
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json");
        response.putHeader(HttpRequests.CORRELATION_HEADER,
                HttpRequests.correlationId(request.getHeader(HttpRequests.CORRELATION_HEADER)));
        if (status == 413) {
            // the rest of an oversized body is not read: close rather than drain it
            response.putHeader("Connection", "close");
        }
        response.end(body);
    }
}
