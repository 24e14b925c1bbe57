package dev.proxyme.oauth;

import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProviderFactory;

import dev.proxyme.clients.ClientPolicies;

/**
 * Registers {@link AgentRequestPolicy} as a client policy executor; {@link #install} puts it in a realm's client
 * policies (Realm settings, Client policies): profile and policy {@value #NAME}, for any client (the executor itself
 * acts only on agents, so an edited condition cannot let an agent's request through unchecked).
 */
public class AgentRequestPolicyFactory implements ClientPolicyExecutorProviderFactory {

    public static final String PROVIDER_ID = "proxyme-agent-requests";
    public static final String NAME = "proxyme-agents";

    @Override
    public ClientPolicyExecutorProvider create(KeycloakSession session) {
        return new AgentRequestPolicy(session);
    }

    /** Adds Proxyme's profile and policy to the realm's own, unless there; what an administrator added stays. */
    public static void install(KeycloakSession session, RealmModel realm) throws ClientPolicyException {
        ClientPolicies.install(
                session,
                realm,
                NAME,
                "Proxyme: an agent's authorization and device requests name a portal and scopes it may be delegated",
                PROVIDER_ID,
                JsonNodeFactory.instance.objectNode());
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Checks the resource (a portal), scopes and purpose of Proxyme agents' authorization and device requests.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
