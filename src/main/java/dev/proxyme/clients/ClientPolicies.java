package dev.proxyme.clients;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.idm.ClientPoliciesRepresentation;
import org.keycloak.representations.idm.ClientPolicyConditionRepresentation;
import org.keycloak.representations.idm.ClientPolicyExecutorRepresentation;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.keycloak.representations.idm.ClientProfilesRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyException;

/**
 * Proxyme's entries in a realm's client policies (Realm settings, Client policies): a profile holding one executor and
 * a policy of the same name applying it to any client (each executor decides itself which requests are its own, so an
 * edited condition cannot let one through unchecked). Added once; what an administrator changed since stays.
 */
public final class ClientPolicies {

    private static final String ANY_CLIENT_CONDITION = "any-client";

    private ClientPolicies() {}

    /** The profile and policy {@code name}, with a new executor of {@code executorId} configured so, unless there. */
    public static void install(
            KeycloakSession session,
            RealmModel realm,
            String name,
            String description,
            String executorId,
            ObjectNode executorConfiguration)
            throws ClientPolicyException {
        ClientProfilesRepresentation profiles = session.clientPolicy().getClientProfiles(realm, false);
        List<ClientProfileRepresentation> ownProfiles =
                profiles.getProfiles() == null ? new ArrayList<>() : new ArrayList<>(profiles.getProfiles());
        if (ownProfiles.stream().noneMatch(profile -> name.equals(profile.getName()))) {
            ClientPolicyExecutorRepresentation executor = new ClientPolicyExecutorRepresentation();
            executor.setExecutorProviderId(executorId);
            executor.setConfiguration(executorConfiguration);
            ClientProfileRepresentation profile = new ClientProfileRepresentation();
            profile.setName(name);
            profile.setDescription(description);
            profile.setExecutors(List.of(executor));
            ownProfiles.add(profile);
            profiles.setProfiles(ownProfiles);
            profiles.setGlobalProfiles(null);
            session.clientPolicy().updateClientProfiles(realm, profiles);
        }
        ClientPoliciesRepresentation policies = session.clientPolicy().getClientPolicies(realm, false);
        List<ClientPolicyRepresentation> ownPolicies =
                policies.getPolicies() == null ? new ArrayList<>() : new ArrayList<>(policies.getPolicies());
        if (ownPolicies.stream().noneMatch(policy -> name.equals(policy.getName()))) {
            ClientPolicyConditionRepresentation anyClient = new ClientPolicyConditionRepresentation();
            anyClient.setConditionProviderId(ANY_CLIENT_CONDITION);
            anyClient.setConfiguration(JsonNodeFactory.instance.objectNode());
            ClientPolicyRepresentation policy = new ClientPolicyRepresentation();
            policy.setName(name);
            policy.setDescription(description + " (the executor ignores requests that are not its own)");
            policy.setEnabled(true);
            policy.setConditions(List.of(anyClient));
            policy.setProfiles(List.of(name));
            ownPolicies.add(policy);
            policies.setPolicies(ownPolicies);
            policies.setGlobalPolicies(null);
            session.clientPolicy().updateClientPolicies(realm, policies);
        }
    }
}
