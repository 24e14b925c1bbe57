package dev.proxyme.oauth;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.idm.ClientPoliciesRepresentation;
import org.keycloak.representations.idm.ClientPolicyConditionRepresentation;
import org.keycloak.representations.idm.ClientPolicyExecutorRepresentation;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.keycloak.representations.idm.ClientProfilesRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProviderFactory;

/**
 * Registers {@link AgentRequestPolicy} as a client policy executor; {@link #install} puts it in a realm's client
 * policies (Realm settings, Client policies): profile and policy {@value #NAME}, for any client (the executor itself
 * acts only on agents, so an edited condition cannot let an agent's request through unchecked).
 */
public class AgentRequestPolicyFactory implements ClientPolicyExecutorProviderFactory {

    public static final String PROVIDER_ID = "proxyme-agent-requests";
    public static final String NAME = "proxyme-agents";
    private static final String ANY_CLIENT_CONDITION = "any-client";

    @Override
    public ClientPolicyExecutorProvider create(KeycloakSession session) {
        return new AgentRequestPolicy(session);
    }

    /** Adds Proxyme's profile and policy to the realm's own, unless there; what an administrator added stays. */
    public static void install(KeycloakSession session, RealmModel realm) throws ClientPolicyException {
        ClientProfilesRepresentation profiles = session.clientPolicy().getClientProfiles(realm, false);
        List<ClientProfileRepresentation> ownProfiles =
                profiles.getProfiles() == null ? new ArrayList<>() : new ArrayList<>(profiles.getProfiles());
        if (ownProfiles.stream().noneMatch(profile -> NAME.equals(profile.getName()))) {
            ClientPolicyExecutorRepresentation executor = new ClientPolicyExecutorRepresentation();
            executor.setExecutorProviderId(PROVIDER_ID);
            executor.setConfiguration(JsonNodeFactory.instance.objectNode());
            ClientProfileRepresentation profile = new ClientProfileRepresentation();
            profile.setName(NAME);
            profile.setDescription(
                    "Proxyme: an agent's authorization and device requests name a portal and scopes it may be delegated");
            profile.setExecutors(List.of(executor));
            ownProfiles.add(profile);
            profiles.setProfiles(ownProfiles);
            profiles.setGlobalProfiles(null);
            session.clientPolicy().updateClientProfiles(realm, profiles);
        }
        ClientPoliciesRepresentation policies = session.clientPolicy().getClientPolicies(realm, false);
        List<ClientPolicyRepresentation> ownPolicies =
                policies.getPolicies() == null ? new ArrayList<>() : new ArrayList<>(policies.getPolicies());
        if (ownPolicies.stream().noneMatch(policy -> NAME.equals(policy.getName()))) {
            ClientPolicyConditionRepresentation anyClient = new ClientPolicyConditionRepresentation();
            anyClient.setConditionProviderId(ANY_CLIENT_CONDITION);
            anyClient.setConfiguration(JsonNodeFactory.instance.objectNode());
            ClientPolicyRepresentation policy = new ClientPolicyRepresentation();
            policy.setName(NAME);
            policy.setDescription(
                    "Proxyme: checks agents' requests (the executor ignores clients that are not agents)");
            policy.setEnabled(true);
            policy.setConditions(List.of(anyClient));
            policy.setProfiles(List.of(NAME));
            ownPolicies.add(policy);
            policies.setPolicies(ownPolicies);
            policies.setGlobalPolicies(null);
            session.clientPolicy().updateClientPolicies(realm, policies);
        }
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
