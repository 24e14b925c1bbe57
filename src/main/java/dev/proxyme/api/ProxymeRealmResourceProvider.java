package dev.proxyme.api;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

public class ProxymeRealmResourceProvider implements RealmResourceProvider {

    private final KeycloakSession session;

    public ProxymeRealmResourceProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Object getResource() {
        return new ProxymeResource(session);
    }

    @Override
    public void close() {}
}
