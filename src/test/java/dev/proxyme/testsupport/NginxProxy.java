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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx running the repository's own {@code proxy/nginx.conf}, with its placeholders filled in, in front of a
 * portal and the test Keycloak.
 */
public final class NginxProxy implements AutoCloseable {

    private static final String NGINX = System.getProperty("proxyme.nginx", "/usr/sbin/nginx");

    private final Process process;
    private final int port;

    public NginxProxy(KeycloakServer keycloak, String realm, String portalClientId, String portalHostAndPort) {
        if (!Files.isExecutable(Path.of(NGINX))) {
            throw new IllegalStateException("Proxy tests need nginx at " + NGINX + ": apt-get install nginx (.ci/run does)");
        }
        TestSettings settings = TestSettings.fromSystemProperties();
        port = freePort();
        Path prefix = settings.buildDirectory().resolve("nginx-" + port);
        try {
            Files.createDirectories(prefix);
            String config = Files.readString(settings.repository().resolve("proxy/nginx.conf"));
            for (Map.Entry<String, String> value : Map.of(
                    "LISTEN", "127.0.0.1:" + port,
                    "KEYCLOAK", keycloak.baseUri().getAuthority(),
                    "PORTAL", portalHostAndPort,
                    "REALM", realm,
                    "PORTAL_CLIENT_ID", portalClientId,
                    "PREFIX", prefix.toString()).entrySet()) {
                config = config.replace("${" + value.getKey() + "}", value.getValue());
            }
            if (config.contains("${")) {
                throw new IllegalStateException("proxy/nginx.conf has a placeholder the tests do not fill");
            }
            Path conf = prefix.resolve("nginx.conf");
            Files.writeString(conf, config);
            process = new ProcessBuilder(NGINX, "-p", prefix.toString(), "-c", conf.toString(), "-g", "daemon off;")
                    .redirectErrorStream(true).redirectOutput(prefix.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitListening();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited with " + process.exitValue() + ": see target/nginx-" + port);
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
        throw new IllegalStateException("nginx did not listen on " + port);
    }

    @Override
    public void close() {
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
