package dev.proxyme.api;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

import dev.proxyme.proxy.AssertionCache;

public class ProxymeRealmResourceProvider implements RealmResourceProvider {

    private final KeycloakSession session;
    private final AssertionCache assertions;

    public ProxymeRealmResourceProvider(KeycloakSession session, AssertionCache assertions) {
        this.session = session;
        this.assertions = assertions;
    }

    @Override
    public Object getResource() {
        return new ProxymeResource(session, assertions);
    }

    @Override
    public void close() {}
}
