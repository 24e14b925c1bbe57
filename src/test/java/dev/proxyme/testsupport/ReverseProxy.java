package dev.proxyme.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A real reverse proxy (a Debian binary) running one of the repository's shipped configurations, its placeholders
 * filled in, on a free port of 127.0.0.1, in front of a portal and the test Keycloak.
 */
public abstract class ReverseProxy implements AutoCloseable {

    protected final int port = freePort();
    protected final Path prefix;
    private Process process;

    protected ReverseProxy(String name) {
        prefix = TestSettings.fromSystemProperties().buildDirectory().resolve(name + "-" + port);
        try {
            Files.createDirectories(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    protected static Path requireExecutable(String binary, String packageName) {
        Path path = Path.of(binary);
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(
                    "Proxy tests need " + binary + ": apt-get install " + packageName + " (.ci/run does)");
        }
        return path;
    }

    protected void start(ProcessBuilder command) {
        try {
            process = command.redirectErrorStream(true)
                    .redirectOutput(prefix.resolve("stdout.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The proxy exited with " + process.exitValue() + ": see " + prefix);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IllegalStateException("The proxy did not listen on " + port + ": see " + prefix);
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
