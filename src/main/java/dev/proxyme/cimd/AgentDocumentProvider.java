package dev.proxyme.cimd;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OAuth2DeviceConfig;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oauth2.cimd.clientpolicy.executor.AbstractClientIdMetadataDocumentExecutor;
import org.keycloak.protocol.oauth2.cimd.provider.AbstractPersistentClientIdMetadataDocumentProvider;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyException;

import dev.proxyme.agent.AgentRegistration;
import dev.proxyme.clients.Agent;

/**
 * Keycloak's persistent store of clients made from metadata documents, making each a public agent: the document gives
 * its name and redirect URIs, the realm's allow-list entry its delegable scopes and portals (never the document's own
 * {@code scope}), and Proxyme's consent page is its consent.
 */
public class AgentDocumentProvider
        extends AbstractPersistentClientIdMetadataDocumentProvider<AgentDocumentExecutor.Configuration> {

    private static final Logger LOG = Logger.getLogger(AgentDocumentProvider.class);

    public AgentDocumentProvider(KeycloakSession session) {
        super(session);
    }

    @Override
    protected Logger getLogger() {
        return LOG;
    }

    @Override
    public AgentDocumentExecutor.Configuration getConfiguration() {
        return configuration;
    }

    @Override
    public void setConfiguration(AgentDocumentExecutor.Configuration configuration) {
        this.configuration = configuration;
    }

    @Override
    public void augmentClientMetadata(ClientRepresentation rep) {
        RealmModel realm = session.getContext().getRealm();
        AllowedDocuments.Entry entry =
                configuration.allowed().allowing(rep.getClientId()).orElseThrow();
        Set<String> portals = entry.portals().contains(Agent.ANY_PORTAL) ? Set.of() : entry.portals();
        AgentRegistration.shapeAsAgent(
                rep,
                entry.scopes(),
                portals,
                Agent.DEFAULT_TOKEN_LIFETIME_SECONDS,
                realm.getClientScopesStream().anyMatch(scope -> "basic".equals(scope.getName())));
        List<String> redirects = rep.getRedirectUris() == null ? List.of() : new ArrayList<>(rep.getRedirectUris());
        rep.setRedirectUris(redirects);
        rep.setStandardFlowEnabled(true);
        rep.setPublicClient(true);
        rep.setServiceAccountsEnabled(false);
        rep.setClientAuthenticatorType(null);
        rep.setDescription("AI agent identified by its client metadata document");
        rep.getAttributes().put(Agent.DOCUMENT_ATTRIBUTE, "true");
        // The document vouches for where the user returns; the device grant returns nowhere, so anyone could start one
        // under the client's name ("Visual Studio Code asks for access") from anywhere.
        rep.getAttributes().put(OAuth2DeviceConfig.OAUTH2_DEVICE_AUTHORIZATION_GRANT_ENABLED, "false");
    }

    @Override
    public ClientModel createClientMetadata(
            AbstractClientIdMetadataDocumentExecutor.OIDCClientRepresentationWithCacheControl document)
            throws ClientPolicyException {
        return withOpenIdConnectScopes(super.createClientMetadata(document));
    }

    @Override
    public ClientModel updateClientMetadata(
            AbstractClientIdMetadataDocumentExecutor.OIDCClientRepresentationWithCacheControl document)
            throws ClientPolicyException {
        return withOpenIdConnectScopes(super.updateClientMetadata(document));
    }

    /** As every agent: a request naming offline_access, profile or email is not refused (and grants none of them). */
    private ClientModel withOpenIdConnectScopes(ClientModel client) {
        Agent.holdOpenIdConnectScopes(session.getContext().getRealm(), client);
        return client;
    }
}
