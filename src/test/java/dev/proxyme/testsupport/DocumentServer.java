package dev.proxyme.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * An https server on 127.0.0.1 for documents Keycloak fetches (client ID metadata documents), with the test run's
 * certificate ({@link TestTls}): each path answers what the test set, and counts how often it was asked.
 */
public final class DocumentServer implements AutoCloseable {

    /** What a path answers; a slow answer sends its body a byte at a time, {@code pause} apart, as a slow host. */
    public record Answer(int status, Map<String, String> headers, String body, java.time.Duration pause) {

        public Answer(int status, Map<String, String> headers, String body) {
            this(status, headers, body, java.time.Duration.ZERO);
        }

        public static Answer json(String body) {
            return new Answer(200, Map.of("Content-Type", "application/json", "Cache-Control", "max-age=300"), body);
        }

        public Answer slowly(java.time.Duration pauseBetweenBytes) {
            return new Answer(status, headers, body, pauseBetweenBytes);
        }
    }

    private final HttpsServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    public DocumentServer() {
        try {
            server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(TestTls.serverContext()));
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Answer answer = answers.getOrDefault(path, new Answer(404, Map.of(), ""));
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            answer.headers()
                    .forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (answer.pause().isZero()) {
                    out.write(body);
                } else {
                    for (byte b : body) {
                        out.write(b);
                        out.flush();
                        java.util.concurrent.locks.LockSupport.parkNanos(
                                answer.pause().toNanos());
                    }
                }
            } catch (IOException closedByTheClient) {
                // a slow answer's reader gave up
            }
        });
        // A slow answer must not hold up the others.
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    /** The https URL of a path on this server. */
    public String url(String path) {
        return "https://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public String authority() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public void serve(String path, Answer answer) {
        answers.put(path, answer);
    }

    public int requests(String path) {
        AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
