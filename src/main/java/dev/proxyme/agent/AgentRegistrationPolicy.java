package dev.proxyme.agent;

import java.util.Locale;
import java.util.Map;

import org.keycloak.models.ClientModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.services.clientregistration.ClientRegistrationContext;
import org.keycloak.services.clientregistration.ClientRegistrationProvider;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicyException;

import dev.proxyme.clients.Agent;
import dev.proxyme.clients.Portals;
import dev.proxyme.token.DelegationTokenId;

/**
 * Only administrators make agents and portals. Keycloak's client registration (anonymous, or authenticated with a
 * bearer token holding {@code create-client}, an initial access token or a registration access token) accepts any
 * client attribute: without this policy anyone allowed to register clients could mark one as an agent or a portal
 * and set its token lifetime. Registration may not carry Proxyme's attributes, and may not read, update or delete a
 * client that is an agent or a portal (reading would hand the registrant the secret an administrator set since). A
 * delegation token never authenticates a registration: it speaks for its user only towards its portal.
 */
public class AgentRegistrationPolicy implements ClientRegistrationPolicy {

    static final String RESERVED_PREFIX = "proxyme.";

    @Override
    public void beforeRegister(ClientRegistrationContext context) throws ClientRegistrationPolicyException {
        checkNotDelegated(context.getProvider());
        checkNoReservedAttribute(context.getClient());
    }

    @Override
    public void afterRegister(ClientRegistrationContext context, ClientModel client) {}

    @Override
    public void beforeUpdate(ClientRegistrationContext context, ClientModel client)
            throws ClientRegistrationPolicyException {
        checkNotDelegated(context.getProvider());
        checkNotManagedByProxyme(client);
        checkNoReservedAttribute(context.getClient());
    }

    @Override
    public void afterUpdate(ClientRegistrationContext context, ClientModel client) {}

    @Override
    public void beforeView(ClientRegistrationProvider provider, ClientModel client)
            throws ClientRegistrationPolicyException {
        checkNotDelegated(provider);
        checkNotManagedByProxyme(client);
    }

    @Override
    public void beforeDelete(ClientRegistrationProvider provider, ClientModel client)
            throws ClientRegistrationPolicyException {
        checkNotDelegated(provider);
        checkNotManagedByProxyme(client);
    }

    /** Keycloak's client registration checks a bearer token's roles, not its grant: a delegation token is refused here. */
    private static void checkNotDelegated(ClientRegistrationProvider provider)
            throws ClientRegistrationPolicyException {
        AccessToken token =
                provider.getAuth() == null ? null : provider.getAuth().getJwt();
        if (token != null && DelegationTokenId.delegationIdOf(token.getId()).isPresent()) {
            throw new ClientRegistrationPolicyException("A delegation token cannot register clients");
        }
    }

    private static void checkNoReservedAttribute(ClientRepresentation client) throws ClientRegistrationPolicyException {
        Map<String, String> attributes = client == null ? null : client.getAttributes();
        if (attributes != null
                && attributes.keySet().stream()
                        .anyMatch(name ->
                                name != null && name.toLowerCase(Locale.ROOT).startsWith(RESERVED_PREFIX))) {
            throw new ClientRegistrationPolicyException(
                    "Attributes starting with '" + RESERVED_PREFIX + "' are set by administrators only");
        }
    }

    private static void checkNotManagedByProxyme(ClientModel client) throws ClientRegistrationPolicyException {
        if (Agent.isAgent(client) || Portals.isMarked(client)) {
            throw new ClientRegistrationPolicyException("Agents and portals are managed by administrators only");
        }
    }
}
