package dev.proxyme.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import dasniko.testcontainers.keycloak.KeycloakContainer;

/**
 * Keycloak from the official image through Testcontainers, for machines with a Docker engine
 * ({@code -Dproxyme.it.backend=testcontainers}). Same server, same realms, same jar as the distribution backend.
 */
final class ContainerServer implements KeycloakServer {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    private static final String MASTER_ADMIN_PASSWORD =
            java.util.UUID.randomUUID().toString();

    private final KeycloakContainer container;
    private URI baseUri;

    private ContainerServer(KeycloakContainer container) {
        this.container = container;
        this.baseUri = URI.create(container.getAuthServerUrl().replaceAll("/$", ""));
    }

    static ContainerServer start(TestSettings settings) {
        KeycloakContainer container = new KeycloakContainer("quay.io/keycloak/keycloak:" + settings.keycloakVersion())
                .withProviderLibsFrom(List.of(settings.providerJar().toFile()))
                .withRealmImportFiles(settings.realmFiles().stream()
                        .map(realm -> "realms/" + realm.getFileName())
                        .toArray(String[]::new))
                .withAdminUsername("admin")
                .withAdminPassword(MASTER_ADMIN_PASSWORD)
                .withStartupTimeout(START_TIMEOUT);
        container.start();
        return new ContainerServer(container);
    }

    @Override
    public String masterAdminPassword() {
        return MASTER_ADMIN_PASSWORD;
    }

    @Override
    public URI baseUri() {
        return baseUri;
    }

    /** A restart of the same container keeps its file system, hence the H2 database, as a real restart would. */
    @Override
    public void restart() {
        container
                .getDockerClient()
                .restartContainerCmd(container.getContainerId())
                .exec();
        Ports.Binding[] bindings = container
                .getDockerClient()
                .inspectContainerCmd(container.getContainerId())
                .exec()
                .getNetworkSettings()
                .getPorts()
                .getBindings()
                .get(ExposedPort.tcp(container.getHttpPort()));
        baseUri = URI.create("http://" + container.getHost() + ":" + bindings[0].getHostPortSpec());
        awaitRealm();
    }

    @Override
    public void close() {
        container.stop();
    }

    private void awaitRealm() {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(URI.create(realmUrl(ProxymeClient.REALM)))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // restarting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("Keycloak container did not come back within " + START_TIMEOUT);
    }
}
