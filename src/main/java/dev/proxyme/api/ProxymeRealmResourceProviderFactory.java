package dev.proxyme.api;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import dev.proxyme.Proxyme;
import dev.proxyme.ProxymeSettings;

/** Mounts Proxyme's API at {@code /realms/{realm}/proxyme}. */
public class ProxymeRealmResourceProviderFactory implements RealmResourceProviderFactory {

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new ProxymeRealmResourceProvider(session);
    }

    @Override
    public String getId() {
        return Proxyme.PROVIDER_ID;
    }

    @Override
    public void init(Config.Scope config) {
        ProxymeSettings.configure(config);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
