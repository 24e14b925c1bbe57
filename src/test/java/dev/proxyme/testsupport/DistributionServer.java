package dev.proxyme.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Keycloak from the official distribution zip (unpacked by Maven into target/), started as a child process with
 * {@code kc.sh start-dev}: embedded H2 in a file, so a restart keeps the data. The server log is kept in
 * {@code target/keycloak-server.log}.
 */
final class DistributionServer implements KeycloakServer {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Path home;
    private final Path log;
    private final int httpPort;
    private final int managementPort;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String masterAdminPassword = java.util.UUID.randomUUID().toString();
    private Process process;

    private DistributionServer(Path home, Path log, int httpPort, int managementPort) {
        this.home = home;
        this.log = log;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    static DistributionServer start(TestSettings settings) {
        checkJava();
        Path home = settings.keycloakDistribution();
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException(
                    "No Keycloak distribution at " + home + ": run the tests with 'mvn verify', "
                            + "which unpacks org.keycloak:keycloak-quarkus-dist there before the integration tests");
        }
        int httpPort = settings.httpPort().orElseGet(DistributionServer::freePort);
        int managementPort = settings.managementPort().orElseGet(DistributionServer::freePort);
        checkPortFree(httpPort);
        checkPortFree(managementPort);

        DistributionServer server = new DistributionServer(
                home, settings.buildDirectory().resolve("keycloak-server.log"), httpPort, managementPort);
        server.install(settings);
        server.launch();
        return server;
    }

    @Override
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    @Override
    public URI managementUri() {
        return URI.create("http://127.0.0.1:" + managementPort);
    }

    @Override
    public String masterAdminPassword() {
        return masterAdminPassword;
    }

    @Override
    public void restart() {
        stopProcess();
        checkPortFree(httpPort);
        launch();
    }

    @Override
    public void close() {
        stopProcess();
    }

    /** A fresh server per test run: Proxyme's jar in providers/, the realms to import, and no data of earlier runs. */
    private void install(TestSettings settings) {
        try {
            deleteRecursively(home.resolve("data"));
            Files.createDirectories(home.resolve("data/import"));
            for (Path realm : settings.realmFiles()) {
                Files.copy(
                        realm,
                        home.resolve("data/import").resolve(realm.getFileName()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            Files.copy(
                    settings.providerJar(),
                    home.resolve("providers/proxyme-keycloak.jar"),
                    StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare the Keycloak distribution at " + home, e);
        }
    }

    /**
     * Keycloak 26.7's build races Quarkus's over the persistence unit's class list when an extension brings entities
     * (keycloak/keycloak#47482, fixed in 26.8): the build then fails at once, and a second build is unaffected.
     */
    private static final String BUILD_RACE =
            "contributePersistenceXmlToJpaModel threw an exception: java.util.ConcurrentModificationException";

    /** Keycloak's build failed in {@link #BUILD_RACE}. */
    private static final class BuildRace extends IllegalStateException {
        BuildRace(String message) {
            super(message);
        }
    }

    private void launch() {
        try {
            start();
        } catch (BuildRace raced) {
            start();
        }
    }

    private void start() {
        List<String> command = List.of(
                home.resolve("bin/kc.sh").toString(),
                "start-dev",
                "--http-host=127.0.0.1",
                "--http-port=" + httpPort,
                "--http-management-port=" + managementPort,
                "--health-enabled=true",
                // Keycloak's /metrics, with Proxyme's meters beside its own (MetricsIT).
                "--metrics-enabled=true",
                "--import-realm",
                "--log-level=INFO",
                // Client ID metadata documents (Keycloak's experimental CIMD), fetched from the tests' https server.
                "--features=cimd,declarative-ui",
                "--truststore-paths=" + TestTls.certificate(),
                // A slow document host is given up on in 2 s, not 10, so that the test of it takes 2.
                "--spi-client-policy-executor--proxyme-agent-documents--fetch-deadline-seconds=2",
                // Short limits so that expiry can be tested in seconds, through the same SPI options admins use.
                "--spi-realm-restapi-extension--proxyme--min-delegation-seconds=5",
                "--spi-realm-restapi-extension--proxyme--expiry-interval-seconds=2",
                // The activity log writes only when read or stopped: a restart test then proves the stop loses nothing.
                "--spi-proxyme-activity--jpa--flush-interval-seconds=3600");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("KEYCLOAK_ADMIN");
        builder.environment().remove("KEYCLOAK_ADMIN_PASSWORD");
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", masterAdminPassword);
        try {
            Files.writeString(
                    log,
                    "==== starting Keycloak at " + Instant.now() + ": " + String.join(" ", command) + "\n",
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + command.get(0), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopProcess));
        awaitReady();
    }

    private void awaitReady() {
        URI ready = URI.create("http://127.0.0.1:" + managementPort + "/health/ready");
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                String message = "Keycloak exited with code " + process.exitValue() + " while starting. "
                        + "Last lines of " + log + ":\n" + tail(60);
                throw message.contains(BUILD_RACE) ? new BuildRace(message) : new IllegalStateException(message);
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(ready)
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
            }
            pause();
        }
        stopProcess();
        throw new IllegalStateException(
                "Keycloak was not ready within " + START_TIMEOUT + ". Last lines of " + log + ":\n" + tail(60));
    }

    private synchronized void stopProcess() {
        if (process == null || !process.isAlive()) {
            return;
        }
        // SIGTERM: Keycloak shuts down cleanly and closes the H2 file.
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private String tail(int lines) {
        try (Stream<String> all = Files.lines(log)) {
            List<String> list = all.toList();
            return String.join("\n", list.subList(Math.max(0, list.size() - lines), list.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void checkJava() {
        if (Runtime.version().feature() < 21) {
            throw new IllegalStateException("Keycloak 26.7 needs Java 21 or newer, but the tests run on Java "
                    + Runtime.version() + ". Run them with a JDK 21+ (bin/test finds one).");
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on 127.0.0.1", e);
        }
    }

    private static void checkPortFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " on 127.0.0.1 is already in use: stop what holds it, "
                    + "or leave the port unset so the tests pick a free one");
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
