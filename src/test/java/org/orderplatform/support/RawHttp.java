package org.orderplatform.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A raw HTTP/1.1 client on a socket, for what {@link Http} (the JDK client) cannot send or see: any method, any
 * bytes, headers the JDK refuses, pipelined or half-sent requests, connections held open or reset, and whether
 * the server closed the connection.
 */
public final class RawHttp {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final int port;

    public RawHttp(int port) {
        this.port = port;
    }

    /** A new connection to the server. */
    public Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return socket;
    }

    /** Sends {@code request} as it is on a new connection and reads the answer until the server closes it. */
    public String exchange(String request) throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return readUntilClosed(socket, 10_000);
        }
    }

    /** Sends {@code request} as it is and hangs up at once with a reset, as a crashed client or a dropped network does. */
    public void sendAndReset(String request) throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.setSoLinger(true, 0);
        }
    }

    /**
     * The whole answer to a GET on a new connection, or null when nothing listens on the port yet (the connection
     * is refused). A connection accepted and then reset fails, even while connecting.
     */
    public String getOrNull(String path) throws IOException {
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            } catch (ConnectException notListening) {
                return null;
            }
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** Reads until the server closes the connection; fails when it is still open after {@code timeoutMs}. */
    public static String readUntilClosed(Socket socket, int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                read.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open for " + timeoutMs + " ms; read so far: "
                    + read.toString(StandardCharsets.US_ASCII), e);
        } catch (SocketException reset) {
            // closed with unread input: a reset, as good as a close here
        }
        return read.toString(StandardCharsets.US_ASCII);
    }

    /** What arrives within {@code timeoutMs} of the first byte's wait, on a connection that stays open. */
    public static String readAvailable(Socket socket, int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        byte[] buffer = new byte[4096];
        int n = socket.getInputStream().read(buffer);
        return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
    }

    /** Whether the server closes the connection within {@code waitMs}. */
    public static boolean closedByServer(Socket socket, int waitMs) throws IOException {
        socket.setSoTimeout(waitMs);
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** An HTTP request, written byte for byte. */
    public record Req(String method, String path, String contentType, byte[] body, List<String> headerLines, boolean isChunked) {
        public static Req of(String method, String path, String contentType, byte[] body) {
            return new Req(method, path, contentType, body, List.of(), false);
        }

        public static Req of(String method, String path, String contentType, String body) {
            return of(method, path, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        }

        public static Req get(String path) {
            return of("GET", path, null, (byte[]) null);
        }

        public static Req post(String path, String contentType, String body) {
            return of("POST", path, contentType, body);
        }

        public static Req post(String path, String contentType, byte[] body) {
            return of("POST", path, contentType, body);
        }

        public Req header(String name, String value) {
            return rawHeaderLine(name + ": " + value);
        }

        public Req rawHeaderLine(String line) {
            List<String> lines = new ArrayList<>(headerLines);
            lines.add(line);
            return new Req(method, path, contentType, body, List.copyOf(lines), isChunked);
        }

        public Req chunked() {
            return new Req(method, path, contentType, body, headerLines, true);
        }

        byte[] head(int port) {
            StringBuilder h = new StringBuilder();
            h.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            h.append("Host: 127.0.0.1:").append(port).append("\r\n");
            h.append("Connection: close\r\n");
            if (contentType != null) {
                h.append("Content-Type: ").append(contentType).append("\r\n");
            }
            for (String line : headerLines) {
                h.append(line).append("\r\n");
            }
            if (isChunked) {
                h.append("Transfer-Encoding: chunked\r\n");
            } else if (body != null) {
                h.append("Content-Length: ").append(body.length).append("\r\n");
            } else if (!method.equals("GET")) {
                h.append("Content-Length: 0\r\n");
            }
            h.append("\r\n");
            return h.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** An HTTP response: status, headers by lower-case name, body. */
    public record Reply(int status, Map<String, List<String>> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text(), e);
            }
        }

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /** Sends a raw request; operator paths get the test platform's admin token unless the request names one. */
    public Reply send(Req request) {
        boolean operatorPath = request.path().startsWith("/dlq");
        boolean hasAuthorization = request.headerLines().stream().anyMatch(h -> h.regionMatches(true, 0, "Authorization:", 0, 14));
        Req req = operatorPath && !hasAuthorization ? request.header("Authorization", "Bearer " + Http.ADMIN_TOKEN) : request;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            // written by another thread: the server may answer (413) before it has read the whole body
            Thread writer = new Thread(() -> write(out, req), "raw-http-writer");
            writer.setDaemon(true);
            writer.start();
            Reply reply = read(socket.getInputStream());
            writer.join(30_000);
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void write(OutputStream out, Req req) {
        try {
            out.write(req.head(port));
            byte[] body = req.body() == null ? new byte[0] : req.body();
            int chunk = 16 * 1024;
            for (int offset = 0; offset < body.length; offset += chunk) {
                int length = Math.min(chunk, body.length - offset);
                if (req.isChunked()) {
                    out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write(body, offset, length);
                if (req.isChunked()) {
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
            if (req.isChunked()) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        } catch (IOException e) {
            // the server answered and closed before reading everything: the reader has the answer
        }
    }

    private static Reply read(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        boolean eof = false;
        while (true) {
            byte[] data = received.toByteArray();
            Parsed parsed = parse(data, 0, eof);
            if (parsed != null) {
                return parsed.reply();
            }
            if (eof) {
                throw new IOException("connection closed before a complete response: "
                        + new String(data, StandardCharsets.ISO_8859_1));
            }
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketException e) {
                n = -1;
            }
            if (n < 0) {
                eof = true;
            } else {
                received.write(buffer, 0, n);
            }
        }
    }

    /** What came back on one connection: every complete response, and whether the server closed it. */
    public record Conversation(List<Reply> replies, boolean closedByServer, String rest) {
    }

    /**
     * Writes {@code wire} as it is (no Host or Connection header added, pipelined requests allowed) and reads
     * until the server closes the connection or {@code quiet} passes without a byte.
     */
    public Conversation converse(String wire, Duration quiet) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout((int) quiet.toMillis());
            socket.getOutputStream().write(wire.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            boolean closed = false;
            while (true) {
                int n;
                try {
                    n = socket.getInputStream().read(buffer);
                } catch (SocketTimeoutException e) {
                    break;
                } catch (SocketException e) {
                    n = -1;
                }
                if (n < 0) {
                    closed = true;
                    break;
                }
                received.write(buffer, 0, n);
            }
            byte[] data = received.toByteArray();
            List<Reply> replies = new ArrayList<>();
            int at = 0;
            Parsed parsed;
            while (at < data.length && (parsed = parse(data, at, closed)) != null) {
                replies.add(parsed.reply());
                at = parsed.end();
            }
            return new Conversation(replies, closed, new String(data, at, data.length - at, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Parsed(Reply reply, int end) {
    }

    /** The response starting at {@code from}, or null while it is incomplete. */
    private static Parsed parse(byte[] data, int from, boolean eof) {
        int headEnd = indexOf(Arrays.copyOfRange(data, from, data.length), "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (headEnd < 0) {
            return null;
        }
        headEnd += from;
        String[] lines = new String(data, from, headEnd - from, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
        }
        long contentLength = headers.containsKey("content-length") ? Long.parseLong(headers.get("content-length").get(0)) : -1;
        boolean chunked = headers.getOrDefault("transfer-encoding", List.of()).stream()
                .anyMatch(v -> v.equalsIgnoreCase("chunked"));
        int bodyStart = headEnd + 4;
        if (contentLength >= 0 && data.length - bodyStart >= contentLength) {
            int end = bodyStart + (int) contentLength;
            return new Parsed(new Reply(status, headers, Arrays.copyOfRange(data, bodyStart, end)), end);
        }
        if (chunked) {
            byte[] decoded = dechunk(data, bodyStart);
            if (decoded != null) {
                return new Parsed(new Reply(status, headers, decoded), data.length);
            }
        }
        if (eof) {
            return new Parsed(new Reply(status, headers, Arrays.copyOfRange(data, bodyStart, data.length)), data.length);
        }
        return null;
    }

    /** The decoded body when all chunks have arrived, else null. */
    private static byte[] dechunk(byte[] data, int start) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int pos = start;
        while (true) {
            int lineEnd = indexOf(Arrays.copyOfRange(data, pos, data.length), "\r\n".getBytes(StandardCharsets.US_ASCII));
            if (lineEnd < 0) {
                return null;
            }
            String sizeText = new String(data, pos, lineEnd, StandardCharsets.US_ASCII).split(";")[0].trim();
            int size = Integer.parseInt(sizeText, 16);
            pos += lineEnd + 2;
            if (size == 0) {
                return body.toByteArray();
            }
            if (data.length < pos + size + 2) {
                return null;
            }
            body.write(data, pos, size);
            pos += size + 2;
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
