package dev.proxyme.testsupport;

import java.net.URI;

/** A running Keycloak with Proxyme, whichever backend started it. */
public interface KeycloakServer extends AutoCloseable {

    /** Base URL without a trailing slash, e.g. {@code http://127.0.0.1:38123}. */
    URI baseUri();

    /** Keycloak's management interface (health, {@code /metrics}), where the backend has one. */
    default URI managementUri() {
        throw new IllegalStateException(getClass().getSimpleName() + " has no management interface for tests");
    }

    /** The master realm's administrator password (user {@code admin}), random for each run. */
    String masterAdminPassword();

    /** Stops the server and starts it again on the same data: what survives is what a real restart keeps. */
    void restart();

    @Override
    void close();

    default String realmUrl(String realm) {
        return baseUri() + "/realms/" + realm;
    }
}
