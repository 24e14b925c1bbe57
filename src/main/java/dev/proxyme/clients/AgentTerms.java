package dev.proxyme.clients;

import org.keycloak.OAuthErrorException;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import dev.proxyme.ProxymeException;
import dev.proxyme.ProxymeSettings;
import dev.proxyme.model.Scopes;

import static dev.proxyme.ProxymeException.printable;

/**
 * What an agent may ask for and be given, as its registration says now: the one home of the rule "the agent is still
 * registered for this portal and these scopes". Every request for a delegation is checked against it when it is made
 * ({@link #portalNamed}, {@link #portalForResource}, {@link #checkRegisteredFor}); every token is checked against it
 * again when it is minted or checked ({@link #checkStillRegistered}, {@link #stillCovers}), since an administrator may
 * have taken a portal or a scope from the agent, or the portal's status from the client, since the user approved.
 */
public final class AgentTerms {

    private AgentTerms() {}

    /** The portal and scopes an agent asks a user for, checked against its registration, and how long for. */
    public record Terms(String portalClientId, Scopes scopes, long delegationSeconds) {}

    /**
     * What an agent asks a user for, checked against its registration: enabled, registered for the scopes, the portal
     * resolved ({@link #portalNamed}), for the length asked (within the server's bounds) or the default.
     */
    public static Terms of(
            RealmModel realm,
            Agent agent,
            Scopes scopes,
            String portalClientId,
            ProxymeSettings settings,
            Long requestedSeconds) {
        checkEnabled(agent);
        checkRegisteredFor(agent, scopes);
        String portal = portalNamed(realm, agent, portalClientId);
        return new Terms(portal, scopes, settings.delegationSeconds(requestedSeconds));
    }

    /** An agent that may act at all: enabled. */
    public static void checkEnabled(Agent agent) {
        if (!agent.client().isEnabled()) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "The agent is disabled");
        }
    }

    /** A user who may delegate: enabled, and a person (a service account speaks for no one). */
    public static void checkMayDelegate(UserModel user) {
        if (!user.isEnabled()) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "The user is disabled");
        }
        if (user.getServiceAccountClientLink() != null) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "A service account cannot delegate");
        }
    }

    /** At least one scope, each one the agent is registered for. */
    public static void checkRegisteredFor(Agent agent, Scopes scopes) {
        if (scopes.isEmpty()) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_SCOPE, "At least one scope is required");
        }
        if (!agent.allowedScopes().covers(scopes)) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_SCOPE,
                    "The agent is not registered for: "
                            + printable(String.join(" ", agent.allowedScopes().missingFrom(scopes))));
        }
    }

    /**
     * The portal a request names by client id (RFC 8707-style target), or the agent's only portal when it names none
     * and the agent may reach exactly one.
     */
    public static String portalNamed(RealmModel realm, Agent agent, String portalClientId) {
        if (portalClientId == null) {
            if (agent.allowedPortals().size() == 1) {
                return agent.allowedPortals().iterator().next();
            }
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_TARGET,
                    "'portal' is required: the agent may access more than one portal");
        }
        if (Portals.find(realm, portalClientId).isEmpty()) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_TARGET, "Unknown portal: " + printable(portalClientId));
        }
        if (!agent.allowsPortal(portalClientId)) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_TARGET,
                    "The agent is not registered for portal: " + printable(portalClientId));
        }
        return portalClientId;
    }

    /** The portal a standard flow's {@code resource} (RFC 8707) names, or the agent's only one when it names none. */
    public static ClientModel portalForResource(RealmModel realm, Agent agent, String resource) {
        ClientModel portal;
        if (resource == null || resource.isBlank()) {
            if (agent.anyPortal() || agent.allowedPortals().size() != 1) {
                throw ProxymeException.badRequest(
                        OAuthErrorException.INVALID_TARGET,
                        "'resource' is required: the agent may access more than one portal");
            }
            portal = Portals.find(realm, agent.allowedPortals().iterator().next())
                    .orElse(null);
        } else {
            portal = Portals.byResource(realm, resource).orElse(null);
        }
        if (portal == null || !agent.allowsPortal(portal.getClientId())) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_TARGET,
                    "Unknown resource, or one the agent is not registered for: " + printable(resource));
        }
        return portal;
    }

    /** Whether an agent client may still have a token for the portal with these scopes (the check of every token). */
    public static boolean stillCovers(RealmModel realm, ClientModel agentClient, String portalClientId, Scopes scopes) {
        return agentClient != null
                && Portals.find(realm, portalClientId).isPresent()
                && Agent.allowsPortal(agentClient, portalClientId)
                && Agent.scopesOf(agentClient).covers(scopes);
    }

    /** The same, refusing what the agent is no longer registered for (every renewal). */
    public static void checkStillRegistered(RealmModel realm, Agent agent, String portalClientId, Scopes scopes) {
        if (Portals.find(realm, portalClientId).isEmpty() || !agent.allowsPortal(portalClientId)) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.INVALID_TARGET,
                    "The agent is no longer registered for the delegation's portal: " + printable(portalClientId));
        }
        if (!agent.allowedScopes().covers(scopes)) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.INVALID_SCOPE,
                    "The agent is no longer registered for: "
                            + printable(String.join(" ", agent.allowedScopes().missingFrom(scopes))));
        }
    }
}
