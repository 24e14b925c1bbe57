package dev.proxyme.agent;

import java.util.List;
import java.util.UUID;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.clientregistration.policy.AbstractClientRegistrationPolicyFactory;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicyManager;
import org.keycloak.services.clientregistration.policy.RegistrationAuth;

/**
 * The client registration policy {@link AgentRegistrationPolicy}. Keycloak runs only the policies configured as
 * components of a realm, so Proxyme adds it to the anonymous and the authenticated policies of every realm (see
 * {@code lifecycle.RealmSetup}). Administrators see it under
 * Clients, Client registration; removing it lets anyone allowed to register clients create agents.
 */
public class AgentRegistrationPolicyFactory extends AbstractClientRegistrationPolicyFactory {

    public static final String PROVIDER_ID = "proxyme-agents-by-admins-only";

    @Override
    public ClientRegistrationPolicy create(KeycloakSession session, ComponentModel model) {
        return new AgentRegistrationPolicy();
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Proxyme: only administrators make agents and portals. Refuses client attributes starting with 'proxyme.' "
                + "and any registration change to an agent or portal.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    /** Adds the policy to a realm's anonymous and authenticated client registration policies, unless it is there. */
    public static void install(RealmModel realm) {
        for (RegistrationAuth auth : RegistrationAuth.values()) {
            String subType = ClientRegistrationPolicyManager.getComponentTypeKey(auth);
            // One id per realm and kind: two nodes starting at once cannot add it twice.
            String id = UUID.nameUUIDFromBytes((PROVIDER_ID + ":" + realm.getId() + ":" + subType).getBytes())
                    .toString();
            if (realm.getComponent(id) != null) {
                continue;
            }
            ComponentModel model = new ComponentModel();
            model.setId(id);
            model.setName("Proxyme: agents and portals by administrators only");
            model.setParentId(realm.getId());
            model.setProviderId(PROVIDER_ID);
            model.setProviderType(ClientRegistrationPolicy.class.getName());
            model.setSubType(subType);
            realm.addComponentModel(model);
        }
    }
}
