package dev.proxyme.cimd;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oauth2.cimd.provider.AbstractPersistentClientIdMetadataDocumentProviderFactory;
import org.keycloak.protocol.oauth2.cimd.provider.ClientIdMetadataDocumentProvider;

/** Keycloak's SPI {@code cimd}: the store Proxyme's metadata-document executor makes agents with. */
public class AgentDocumentProviderFactory extends AbstractPersistentClientIdMetadataDocumentProviderFactory {

    public static final String PROVIDER_ID = "proxyme-agents";

    @Override
    public ClientIdMetadataDocumentProvider create(KeycloakSession session) {
        return new AgentDocumentProvider(session);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
