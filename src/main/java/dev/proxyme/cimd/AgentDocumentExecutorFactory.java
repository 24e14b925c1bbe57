package dev.proxyme.cimd;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.keycloak.Config;
import org.keycloak.common.Profile;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oauth2.cimd.clientpolicy.executor.AbstractClientIdMetadataDocumentExecutorFactory;
import org.keycloak.protocol.oauth2.cimd.clientpolicy.executor.ClientIdMetadataDocumentExecutorFactoryProviderConfig;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;

import dev.proxyme.clients.ClientPolicies;

/**
 * Registers {@link AgentDocumentExecutor} (with Keycloak's {@code cimd} feature on, as Keycloak's own CIMD executor);
 * {@link #install} puts it in a realm's client policies: profile and policy {@value #POLICY}, its allow list empty,
 * so that a URL client id is refused, by name, until an administrator allows documents (Realm settings, Client
 * policies, Profiles, {@value #POLICY}). Keycloak's server-wide CIMD limits apply
 * ({@code --spi-client-policy-executor--proxyme-agent-documents--upper-limit-metadata-bytes}, {@code min-cache-time},
 * {@code max-cache-time}); the store is Proxyme's.
 */
public class AgentDocumentExecutorFactory extends AbstractClientIdMetadataDocumentExecutorFactory {

    public static final String PROVIDER_ID = "proxyme-agent-documents";
    public static final String POLICY = "proxyme-agent-documents";
    public static final String ALLOWED_DOCUMENTS = "allowed-documents";
    public static final String ALLOW_PRIVATE_ADDRESSES = "allow-private-addresses";

    /** Server-wide options of this executor: the deadline of one document's fetch, and fetches at once per node. */
    public static final String FETCH_DEADLINE_SECONDS = "fetch-deadline-seconds";

    public static final String CONCURRENT_FETCHES = "concurrent-fetches";

    private DocumentFetch fetch;

    @Override
    public void init(Config.Scope config) {
        fetch = new DocumentFetch(
                java.time.Duration.ofSeconds(Math.max(1, config.getInt(FETCH_DEADLINE_SECONDS, 10))),
                Math.max(1, config.getInt(CONCURRENT_FETCHES, 8)));
        providerConfig = new ClientIdMetadataDocumentExecutorFactoryProviderConfig(config) {
            @Override
            public String getCimdProviderName() {
                return AgentDocumentProviderFactory.PROVIDER_ID;
            }
        };
    }

    @Override
    public ClientPolicyExecutorProvider<AgentDocumentExecutor.Configuration> create(KeycloakSession session) {
        return new AgentDocumentExecutor(session, providerConfig, fetch);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Proxyme: a client whose client_id is the https URL of an allowed client metadata document becomes a"
                + " public agent with the scopes and portals of its entry; any other URL client id is refused.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        List<ProviderConfigProperty> properties = new ArrayList<>();
        properties.add(new ProviderConfigProperty(
                ALLOWED_DOCUMENTS,
                "Allowed documents",
                "One entry each: DOCUMENT SCOPES PORTALS. DOCUMENT is a document's exact https URL, or https://HOST/*"
                        + " (every document of a host) or https://*.DOMAIN/* (a domain and its subdomains); SCOPES and"
                        + " PORTALS are comma-separated (PORTALS * for any portal). Example:"
                        + " https://vscode.dev/oauth/client-metadata.json read demo-portal",
                ProviderConfigProperty.MULTIVALUED_STRING_TYPE,
                null));
        properties.add(new ProviderConfigProperty(
                ALLOW_PRIVATE_ADDRESSES,
                "Allow private addresses",
                "Fetch documents from hosts that resolve to loopback, private or link-local addresses. For tests"
                        + " only: in production a client id must not make Keycloak reach what only it can reach.",
                ProviderConfigProperty.BOOLEAN_TYPE,
                false));
        return properties;
    }

    @Override
    public boolean isSupported(Config.Scope config) {
        return Profile.isFeatureEnabled(Profile.Feature.CIMD);
    }

    /** Adds the profile and the policy to the realm's own, unless there; what an administrator set stays. */
    public static void install(KeycloakSession session, RealmModel realm) throws ClientPolicyException {
        if (!Profile.isFeatureEnabled(Profile.Feature.CIMD)) {
            return;
        }
        ObjectNode configuration = JsonNodeFactory.instance.objectNode();
        configuration.putArray(ALLOWED_DOCUMENTS);
        configuration.put(ALLOW_PRIVATE_ADDRESSES, false);
        ClientPolicies.install(
                session,
                realm,
                POLICY,
                "Proxyme: the client metadata documents (CIMD) whose clients may be agents",
                PROVIDER_ID,
                configuration);
    }
}
