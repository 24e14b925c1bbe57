package dev.proxyme.agent;

import java.util.Locale;
import java.util.Map;

import dev.proxyme.Proxyme;
import org.keycloak.models.ClientModel;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.services.clientregistration.ClientRegistrationContext;
import org.keycloak.services.clientregistration.ClientRegistrationProvider;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicyException;

/**
 * Only administrators make agents and portals. Keycloak's client registration (anonymous, or authenticated with a
 * bearer token holding {@code create-client}, an initial access token or a registration access token) accepts any
 * client attribute: without this policy anyone allowed to register clients could mark one as an agent or a portal
 * and set its token lifetime. Registration may not carry Proxyme's attributes, and may not update or delete a client
 * that is an agent or a portal.
 */
public class AgentRegistrationPolicy implements ClientRegistrationPolicy {

    static final String RESERVED_PREFIX = "proxyme.";

    @Override
    public void beforeRegister(ClientRegistrationContext context) throws ClientRegistrationPolicyException {
        checkNoReservedAttribute(context.getClient());
    }

    @Override
    public void afterRegister(ClientRegistrationContext context, ClientModel client) {
    }

    @Override
    public void beforeUpdate(ClientRegistrationContext context, ClientModel client) throws ClientRegistrationPolicyException {
        checkNotManagedByProxyme(client);
        checkNoReservedAttribute(context.getClient());
    }

    @Override
    public void afterUpdate(ClientRegistrationContext context, ClientModel client) {
    }

    @Override
    public void beforeView(ClientRegistrationProvider provider, ClientModel client) {
    }

    @Override
    public void beforeDelete(ClientRegistrationProvider provider, ClientModel client) throws ClientRegistrationPolicyException {
        checkNotManagedByProxyme(client);
    }

    private static void checkNoReservedAttribute(ClientRepresentation client) throws ClientRegistrationPolicyException {
        Map<String, String> attributes = client == null ? null : client.getAttributes();
        if (attributes != null && attributes.keySet().stream()
                .anyMatch(name -> name != null && name.toLowerCase(Locale.ROOT).startsWith(RESERVED_PREFIX))) {
            throw new ClientRegistrationPolicyException("Attributes starting with '" + RESERVED_PREFIX
                    + "' are set by administrators only");
        }
    }

    private static void checkNotManagedByProxyme(ClientModel client) throws ClientRegistrationPolicyException {
        if (Agent.isAgent(client) || Boolean.parseBoolean(client.getAttribute(Proxyme.PORTAL_ATTRIBUTE))) {
            throw new ClientRegistrationPolicyException("Agents and portals are managed by administrators only");
        }
    }
}
