package dev.proxyme.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/** A tiny portal for proxy tests: answers every request with the method, URI and headers it received, as JSON. */
public final class EchoPortal implements AutoCloseable {

    private final HttpServer server;
    private final Queue<String> received = new ConcurrentLinkedQueue<>();

    public EchoPortal() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            Map<String, Object> echo = new TreeMap<>();
            echo.put("method", exchange.getRequestMethod());
            echo.put("uri", exchange.getRequestURI().toString());
            // What a portal's framework routes on: the path decoded.
            echo.put("path", exchange.getRequestURI().getPath());
            received.add(exchange.getRequestURI().toString());
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders()
                    .forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
            echo.put("headers", headers);
            byte[] body = ProxymeClient.json(echo).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** The raw request URIs the portal received, in order. */
    public List<String> received() {
        return List.copyOf(received);
    }

    public String hostAndPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
