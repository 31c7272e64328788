package org.orderplatform.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A recording HTTP proxy in front of an SQS endpoint (ElasticMQ here): every request is forwarded as it
 * came, and its API action and queue are recorded. The AWS SDK's SQS client speaks the AWS JSON protocol,
 * which names the action in the {@code X-Amz-Target: AmazonSQS.<Action>} header and the queue in the
 * body ({@code QueueName} or {@code QueueUrl}); a request of the older query protocol ({@code Action=...}
 * in a form body) is recorded as well, so that a change of protocol cannot hide a call.
 */
final class SqsRecorder implements AutoCloseable {
    /** One request: the API action (SendMessageBatch) and the queue's name, null when it names none. */
    record Call(String action, String queue) {
    }

    /** Headers the JDK client sets itself, or that describe the hop rather than the request. */
    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "expect",
            "transfer-encoding", "upgrade", "keep-alive");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient client = HttpClient.newHttpClient();
    private final String target;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private SqsRecorder(String target) throws IOException {
        this.target = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::forward);
        server.setExecutor(executor);
        server.start();
    }

    /** A recorder forwarding to {@code target} (e.g. http://127.0.0.1:9324). */
    static SqsRecorder start(String target) {
        try {
            return new SqsRecorder(target);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The endpoint to give the service instead of the target's. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            record(exchange.getRequestHeaders().getFirst("X-Amz-Target"), body);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void record(String amzTarget, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (amzTarget != null) {
            String action = amzTarget.substring(amzTarget.indexOf('.') + 1);
            String queue = null;
            try {
                JsonNode json = JSON.readTree(text.isEmpty() ? "{}" : text);
                queue = json.hasNonNull("QueueName") ? json.get("QueueName").asText()
                        : json.hasNonNull("QueueUrl") ? lastSegment(json.get("QueueUrl").asText()) : null;
            } catch (IOException e) {
                queue = null;
            }
            calls.add(new Call(action, queue));
            return;
        }
        String action = null;
        String queue = null;
        for (String pair : text.split("&")) {
            String[] kv = pair.split("=", 2);
            String value = kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
            switch (kv[0]) {
                case "Action" -> action = value;
                case "QueueName" -> queue = value;
                case "QueueUrl" -> queue = lastSegment(value);
                default -> { }
            }
        }
        calls.add(new Call(action == null ? "(unrecognised request)" : action, queue));
    }

    private static String lastSegment(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
