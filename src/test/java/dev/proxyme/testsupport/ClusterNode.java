package dev.proxyme.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One Keycloak node in production mode ({@code kc.sh start --optimized}) on PostgreSQL, clustered with the others
 * through embedded Infinispan (JGroups bound to 127.0.0.1, nodes found through the database: {@code jdbc-ping}).
 * All nodes share one {@code --hostname}, so tokens minted on one node carry the issuer the others expect.
 */
public final class ClusterNode implements KeycloakServer {

    public static final String HOSTNAME = "http://proxyme-cluster.test";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    private final String name;
    private final Path home;
    private final String jdbcUrl;
    private final boolean importRealm;
    private final int httpPort = freePort();
    private final int managementPort = freePort();
    private final int clusterPort = freePort();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    private ClusterNode(String name, Path home, String jdbcUrl, boolean importRealm) {
        this.name = name;
        this.home = home;
        this.jdbcUrl = jdbcUrl;
        this.importRealm = importRealm;
    }

    /** Builds one production-mode installation for PostgreSQL and clustering, and copies it for each node. */
    public static List<ClusterNode> install(String jdbcUrl, String... names) {
        TestSettings settings = TestSettings.fromSystemProperties();
        Path cluster = settings.buildDirectory().resolve("cluster");
        try {
            deleteRecursively(cluster);
            Path built = cluster.resolve("built");
            copyTree(settings.keycloakDistribution(), built);
            deleteRecursively(built.resolve("data"));
            Files.createDirectories(built.resolve("data/import"));
            Files.copy(
                    settings.providerJar(),
                    built.resolve("providers/proxyme-keycloak.jar"),
                    StandardCopyOption.REPLACE_EXISTING);
            Files.copy(
                    settings.repository().resolve("src/test/resources/realms/proxyme-it-realm.json"),
                    built.resolve("data/import/proxyme-it-realm.json"));
            exec(
                    built,
                    built.resolve("build.log"),
                    built.resolve("bin/kc.sh").toString(),
                    "build",
                    "--db=postgres",
                    "--cache=ispn",
                    "--health-enabled=true");
            List<ClusterNode> nodes = new ArrayList<>();
            for (int i = 0; i < names.length; i++) {
                Path home = cluster.resolve(names[i]);
                copyTree(built, home);
                nodes.add(new ClusterNode(names[i], home, jdbcUrl, i == 0));
            }
            return nodes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void start() {
        if (isServing()) {
            throw new IllegalStateException(
                    "Port " + httpPort + " of node " + name + " is still in use: an old process survived");
        }
        List<String> command = new ArrayList<>(List.of(
                home.resolve("bin/kc.sh").toString(),
                "start",
                "--optimized",
                "--db-url=" + jdbcUrl,
                "--db-username=postgres",
                "--db-password=unused",
                "--hostname=" + HOSTNAME,
                "--http-enabled=true",
                "--http-host=127.0.0.1",
                "--http-port=" + httpPort,
                "--http-management-port=" + managementPort,
                "--cache-embedded-network-bind-address=127.0.0.1",
                "--cache-embedded-network-bind-port=" + clusterPort,
                "--log-level=INFO",
                // Short limits, as on the single test server.
                "--spi-realm-restapi-extension--proxyme--min-delegation-seconds=5"));
        if (importRealm) {
            command.add("--import-realm");
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        home.resolve("server.log").toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("JAVA_OPTS_APPEND", "-Djava.net.preferIPv4Stack=true");
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
    }

    /**
     * SIGKILL to the whole process tree (kc.sh runs Keycloak's JVM as its child): the node dies without leaving the
     * cluster or finishing anything.
     */
    public void kill() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        awaitGone(tree);
    }

    public void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        try {
            awaitGone(tree);
        } catch (IllegalStateException stuck) {
            tree.forEach(ProcessHandle::destroyForcibly);
            awaitGone(tree);
        }
    }

    /** Whether anything still answers on this node's HTTP port. */
    public boolean isServing() {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort), 500);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static void awaitGone(List<ProcessHandle> tree) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (tree.stream().anyMatch(ProcessHandle::isAlive)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Keycloak processes still alive: " + tree);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The server log says the cluster has this many members. */
    public boolean seesClusterOf(int members) {
        try {
            return Files.readString(home.resolve("server.log"))
                    .matches("(?s).*ISPN000094: Received new cluster view.*\\(" + members + "\\).*");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    @Override
    public String masterAdminPassword() {
        throw new UnsupportedOperationException("cluster nodes have no master admin");
    }

    @Override
    public void restart() {
        stop();
        start();
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        URI ready = URI.create("http://127.0.0.1:" + managementPort + "/health/ready");
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak node " + name + " exited; see " + home.resolve("server.log"));
            }
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("Keycloak node " + name + " not ready; see " + home.resolve("server.log"));
    }

    private static void exec(Path directory, Path log, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        try {
            Process build = builder.start();
            if (!build.waitFor(5, TimeUnit.MINUTES) || build.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
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
