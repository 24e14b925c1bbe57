package dev.proxyme.cimd;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jboss.logging.Logger;

import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oauth2.cimd.clientpolicy.executor.AbstractClientIdMetadataDocumentExecutor;
import org.keycloak.protocol.oauth2.cimd.clientpolicy.executor.ClientIdMetadataDocumentExecutorFactoryProviderConfig;
import org.keycloak.protocol.oauth2.cimd.provider.ClientIdMetadataDocumentProvider;
import org.keycloak.protocol.oidc.utils.RedirectUtils;
import org.keycloak.representations.oidc.OIDCClientRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyEvent;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.PreAuthorizationRequestContext;

import dev.proxyme.clients.Agent;
import dev.proxyme.clients.RedirectUris;

/**
 * Keycloak's Client ID Metadata Document executor, for agents: a client whose {@code client_id} is the https URL of a
 * document the realm allows becomes a public agent with the scopes and portals of its allow-list entry (see
 * {@link AllowedDocuments}); any other URL client id gets one refusal that names this policy. Keycloak's executor does
 * the client id's checks (https, a path, no query, fragment, user info or dot segments), the fetch through its own HTTP
 * client (the server's truststore, no redirects, its timeouts, {@code upper-limit-metadata-bytes}), the
 * {@code Cache-Control} bounds and the client's creation and refresh; this one adds the allow list, refuses hosts that
 * resolve to private, loopback or link-local addresses (unless the profile says {@code allow-private-addresses}, for
 * tests), reads the documents real clients publish, and makes the client an agent ({@link AgentDocumentProvider}).
 */
public class AgentDocumentExecutor
        extends AbstractClientIdMetadataDocumentExecutor<AgentDocumentExecutor.Configuration> {

    private static final Logger LOG = Logger.getLogger(AgentDocumentExecutor.class);

    /** The profile's configuration: the allow list, and whether documents on private addresses may be fetched. */
    public static class Configuration extends AbstractClientIdMetadataDocumentExecutor.Configuration {

        @JsonProperty(AgentDocumentExecutorFactory.ALLOWED_DOCUMENTS)
        protected List<String> allowedDocuments;

        @JsonProperty(AgentDocumentExecutorFactory.ALLOW_PRIVATE_ADDRESSES)
        protected boolean allowPrivateAddresses;

        public List<String> getAllowedDocuments() {
            return allowedDocuments;
        }

        public void setAllowedDocuments(List<String> allowedDocuments) {
            this.allowedDocuments = allowedDocuments;
            this.allowed = null;
        }

        public boolean isAllowPrivateAddresses() {
            return allowPrivateAddresses;
        }

        public void setAllowPrivateAddresses(boolean allowPrivateAddresses) {
            this.allowPrivateAddresses = allowPrivateAddresses;
        }

        /** Parsed once per configuration: Keycloak's checks ask for the trusted domains several times a request. */
        @JsonIgnore
        private AllowedDocuments allowed;

        @JsonIgnore
        public AllowedDocuments allowed() {
            if (allowed == null) {
                allowed = AllowedDocuments.parse(allowedDocuments);
            }
            return allowed;
        }

        /** Keycloak's check of a client id's host: the hosts the allow list names, nothing else. */
        @Override
        @JsonIgnore
        public List<String> getTrustedDomains() {
            return allowed().trustedDomains();
        }
    }

    private final DocumentFetch fetch;

    AgentDocumentExecutor(
            KeycloakSession session,
            ClientIdMetadataDocumentExecutorFactoryProviderConfig providerConfig,
            DocumentFetch fetch) {
        super(session, providerConfig);
        this.fetch = fetch;
    }

    @Override
    protected Logger getLogger() {
        return LOG;
    }

    @Override
    public String getProviderId() {
        return AgentDocumentExecutorFactory.PROVIDER_ID;
    }

    @Override
    public Class<Configuration> getExecutorConfigurationClass() {
        return Configuration.class;
    }

    @Override
    public void setupConfiguration(Configuration config) {
        this.configuration = config == null ? new Configuration() : config;
    }

    /** Only authorization requests whose client id is a URL, and not a client an administrator made with that name. */
    @Override
    public void executeOnEvent(ClientPolicyContext context) throws ClientPolicyException {
        if (context.getEvent() != ClientPolicyEvent.PRE_AUTHORIZATION_REQUEST) {
            return;
        }
        String clientId = ((PreAuthorizationRequestContext) context).getClientId();
        if (clientId == null || !isUrl(clientId)) {
            return;
        }
        ClientModel existing = session.getContext().getRealm().getClientByClientId(clientId);
        if (existing != null && !Boolean.parseBoolean(existing.getAttribute(Agent.DOCUMENT_ATTRIBUTE))) {
            return;
        }
        super.executeOnEvent(context);
    }

    @Override
    protected URI verifyClientId(String clientId) throws ClientPolicyException {
        // The client id is the requester's text: the error page names the policy, never echoes it.
        if (configuration.allowed().allowing(clientId).isEmpty()) {
            throw refused("This client_id is not a client metadata document this realm allows (client policy '"
                    + AgentDocumentExecutorFactory.POLICY
                    + "'): ask the administrator to allow it, or for a client id");
        }
        URI uri = super.verifyClientId(clientId);
        if (uri.getRawPath().contains("//")) {
            throw refused("A client metadata document's URL has no empty path segment");
        }
        if (!configuration.isAllowPrivateAddresses() && !PublicAddresses.allPublic(PublicAddresses.of(uri.getHost()))) {
            throw refused(
                    "The client metadata document's host does not resolve to public addresses only (client policy '"
                            + AgentDocumentExecutorFactory.POLICY + "')");
        }
        return uri;
    }

    @Override
    protected OIDCClientRepresentationWithCacheControl fetchClientMetadata(
            URI clientIdURI, boolean isUpdate, ClientIdMetadataDocumentProvider provider) throws ClientPolicyException {
        String clientId = clientIdURI.toString();
        DocumentFetch.Answer answer;
        try {
            answer = fetch.get(session, clientId, providerConfig.getUpperLimitMetadataBytes());
        } catch (DocumentFetch.Failed failed) {
            throw refused("The client metadata document could not be fetched or read: " + failed.getMessage());
        }
        ClientMetadataCacheControl cache = new ClientMetadataCacheControl(
                answer.cacheControl(), providerConfig.getMinCacheTime(), providerConfig.getMaxCacheTime());
        if (isUpdate && answer.status() == 304) {
            provider.setCacheExpiryTimeToClientMetadata(
                    session.getContext().getRealm().getClientByClientId(clientId), cache.getCacheExpiryTimeInSec());
            return null;
        }
        if (answer.status() != 200) {
            throw refused(
                    "The client metadata document answered HTTP " + answer.status() + " (redirects are not followed)");
        }
        OIDCClientRepresentation document = AgentDocument.read(answer.json());
        if (document == null) {
            throw refused("The client metadata document is not a JSON object");
        }
        return new OIDCClientRepresentationWithCacheControl(document, cache);
    }

    /**
     * The document is the client's: its {@code client_id} is its URL, it keeps no secret (the agent is public), and
     * the request's redirect URI is one it lists, each of them https or on a loopback interface (RFC 8252).
     */
    @Override
    protected URI verifyClientMetadata(URI clientIdURI, URI redirectUriURI, OIDCClientRepresentation document)
            throws ClientPolicyException {
        if (document.getClientId() == null || !document.getClientId().equals(clientIdURI.toString())) {
            throw refused("The client metadata document's client_id is not the URL it was fetched from");
        }
        String authMethod = document.getTokenEndpointAuthMethod();
        if (document.getClientSecret() != null || authMethod != null && !authMethod.equals("none")) {
            throw refused("A client identified by a metadata document is a public agent: its document must name no"
                    + " secret and token_endpoint_auth_method 'none' (or none at all)");
        }
        List<String> redirects = document.getRedirectUris();
        if (redirects == null || redirects.isEmpty() || redirects.size() > AgentDocument.MAX_REDIRECT_URIS) {
            throw refused("The client metadata document must list 1 to " + AgentDocument.MAX_REDIRECT_URIS
                    + " redirect_uris");
        }
        if (!redirects.stream().allMatch(RedirectUris::isAcceptable)) {
            throw refused("Each of the document's redirect_uris must be https, or http on a loopback interface");
        }
        if (RedirectUtils.verifyRedirectUri(session, null, redirectUriURI.toString(), Set.copyOf(redirects), true)
                == null) {
            throw refused("The request's redirect_uri is not one the client metadata document lists");
        }
        return clientIdURI;
    }

    private static boolean isUrl(String clientId) {
        String lower = clientId.toLowerCase(Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://");
    }

    private static ClientPolicyException refused(String detail) {
        return new ClientPolicyException("invalid_request", detail);
    }
}
