package org.orderplatform.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy hosted by the test JVM between the service and a server (PostgreSQL, ElasticMQ) that can
 * blackhole traffic as a network partition does: nothing is refused or closed, bytes simply stop arriving.
 * <p>
 * {@link #blackhole()} silences every open connection for good (it stays open, both ways, and never carries
 * another byte, as after a failover or a lost NAT entry, where a healed network does not bring the old
 * flows back), and connections opened while it lasts are accepted (the kernel completes the handshake)
 * but silent too. {@link #heal()} lets new connections through. A client whose thread waits on a silent
 * connection without a timeout therefore waits for ever; one with timeouts gives the connection up and
 * opens another, which works once the partition has healed. When a client closes a silenced connection
 * the proxy closes the server's side only then, as the server would notice at last.
 */
final class BlackholeProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger silenced = new AtomicInteger();
    private volatile boolean blackholed;
    private volatile boolean closed;

    BlackholeProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "blackhole-proxy-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Starts the partition: every open connection goes silent for good, new ones are silent while it lasts. */
    void blackhole() {
        blackholed = true;
        for (Link link : links) {
            if (!link.silent) {
                link.silent = true;
                silenced.incrementAndGet();
            }
        }
    }

    /** Ends the partition for new connections; the silenced ones stay silent until their client closes them. */
    void heal() {
        blackholed = false;
    }

    /** Connections silenced by partitions so far. */
    int silencedConnections() {
        return silenced.get();
    }

    /** Silenced connections their client has not closed yet. */
    long silentOpen() {
        return links.stream().filter(l -> l.silent).count();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Link link = new Link(client);
                links.add(link);
                if (blackholed) {
                    link.silent = true;
                    silenced.incrementAndGet();
                    // the client is connected and hears nothing: watch only for it closing
                    start(() -> link.drainUntilClosed(), "blackhole-silent");
                } else {
                    start(link::open, "blackhole-link");
                }
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("blackhole proxy: " + e);
                }
            }
        }
    }

    private static void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        links.forEach(Link::close);
    }

    /** One client connection and its connection to the server. */
    private final class Link {
        final Socket client;
        volatile Socket upstream;
        volatile boolean silent;

        Link(Socket client) {
            this.client = client;
        }

        void open() {
            try {
                upstream = new Socket(targetHost, targetPort);
                upstream.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
            } catch (IOException e) {
                close();
                return;
            }
            start(() -> pump(client, upstream), "blackhole-up");
            start(() -> pump(upstream, client), "blackhole-down");
        }

        /** Copies bytes while the link is not silent; a silent link swallows them and never answers. */
        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!silent) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side went away
            }
            if (!silent || from == client) {
                // a silent link's server never learns that its peer closed, until the client's side closes
                close();
            }
        }

        void drainUntilClosed() {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = client.getInputStream();
                while (in.read(buffer) >= 0) {
                    // swallowed
                }
            } catch (IOException ignored) {
                // gone
            }
            close();
        }

        void close() {
            links.remove(this);
            closeQuietly(client);
            closeQuietly(upstream);
        }

        private void closeQuietly(Socket s) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
