package dev.proxyme.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.proxyme.testsupport.ProxymeClient.Reply;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A realm of a test class's own, made from the integration tests' realm (the same clients, users and settings under
 * another name) and removed when the class is done: what its tests change realm-wide (session lifetimes, required
 * actions, keys) reaches no other class, so no test depends on another restoring what it changed.
 */
public final class TestRealm implements AutoCloseable {

    private final KeycloakServer server;
    private final ProxymeClient client;

    private TestRealm(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    /** A copy of the integration tests' realm, named {@code <purpose>-<random>}. */
    public static TestRealm copyOfTheTestRealm(KeycloakServer server, ProxymeClient client, String purpose) {
        String name = purpose + "-" + Long.toString(System.nanoTime(), 36);
        ObjectNode realm;
        try {
            realm = (ObjectNode) ProxymeClient.JSON.readTree(Files.readString(TestSettings.fromSystemProperties()
                    .repository()
                    .resolve("src/test/resources/realms/proxyme-it-realm.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        realm.put("realm", name);
        realm.remove("id");
        Reply created = client.send(
                URI.create(server.baseUri() + "/admin/realms"),
                "POST",
                "application/json",
                realm.toString(),
                masterAdmin(server, client));
        assertEquals(201, created.status(), created::toString);
        return new TestRealm(server, client.inRealm(name));
    }

    /** A client speaking to this realm by default. */
    public ProxymeClient client() {
        return client;
    }

    public String name() {
        return client.realm();
    }

    @Override
    public void close() {
        Reply deleted = client.send(
                URI.create(server.baseUri() + "/admin/realms/" + name()),
                "DELETE",
                null,
                null,
                masterAdmin(server, client));
        assertEquals(204, deleted.status(), deleted::toString);
    }

    private static String masterAdmin(KeycloakServer server, ProxymeClient client) {
        return ProxymeClient.bearer(client.userToken("master", "admin", server.masterAdminPassword()));
    }
}
