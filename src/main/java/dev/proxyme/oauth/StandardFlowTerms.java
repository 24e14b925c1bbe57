package dev.proxyme.oauth;

import java.net.URI;
import java.util.Optional;

import dev.proxyme.ProxymeException;
import dev.proxyme.model.Agent;
import dev.proxyme.model.Portals;
import dev.proxyme.model.Scopes;
import org.keycloak.OAuthErrorException;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpoint;
import org.keycloak.protocol.oidc.grants.device.DeviceGrantType;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * What an agent asks a user for in a standard flow (authorization code, device grant), as Keycloak's authentication
 * session holds it: the scopes it requested that it is registered for, the portal its {@code resource} names (RFC 8707;
 * none: the agent's only portal), the {@code purpose} it gave, and where the user returns.
 */
record StandardFlowTerms(Agent agent, ClientModel portal, Scopes scopes, String purpose, String redirectUri, boolean deviceFlow) {

    static final String RESOURCE_PARAM = "resource";
    static final String PURPOSE_PARAM = "purpose";
    static final int MAX_PURPOSE_LENGTH = 200;

    /** The terms of the session's request; refuses what no delegation may be made of (RFC 6749, RFC 8707 error codes). */
    static StandardFlowTerms of(RealmModel realm, AuthenticationSessionModel authSession) {
        Agent agent = Agent.of(authSession.getClient()).orElseThrow(() -> ProxymeException.badRequest(
                OAuthErrorException.UNAUTHORIZED_CLIENT, "Not an agent"));
        String resource = Optional.ofNullable(authSession.getClientNote(RESOURCE_PARAM))
                .orElse(authSession.getClientNote(AuthorizationEndpoint.LOGIN_SESSION_NOTE_ADDITIONAL_REQ_PARAMS_PREFIX + RESOURCE_PARAM));
        ClientModel portal = portalOf(realm, agent, resource);
        Scopes scopes = requestedScopes(agent, authSession.getClientNote("scope"));
        String purpose = checkPurpose(authSession.getClientNote(
                AuthorizationEndpoint.LOGIN_SESSION_NOTE_ADDITIONAL_REQ_PARAMS_PREFIX + PURPOSE_PARAM));
        return new StandardFlowTerms(agent, portal, scopes, purpose, authSession.getRedirectUri(),
                DeviceGrantType.isOAuth2DeviceVerificationFlow(authSession));
    }

    /** The portal a request names by its resource URI; without one, the agent's only portal. */
    static ClientModel portalOf(RealmModel realm, Agent agent, String resource) {
        ClientModel portal;
        if (resource == null) {
            if (agent.anyPortal() || agent.allowedPortals().size() != 1) {
                throw ProxymeException.badRequest(OAuthErrorException.INVALID_TARGET,
                        "'resource' is required: the agent may access more than one portal");
            }
            portal = Portals.find(realm, agent.allowedPortals().iterator().next()).orElse(null);
        } else {
            portal = Portals.byResource(realm, resource).orElse(null);
        }
        if (portal == null || !agent.allowsPortal(portal.getClientId())) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_TARGET,
                    "Unknown resource, or one the agent is not registered for: " + ProxymeException.printable(resource));
        }
        return portal;
    }

    /** The requested scopes the agent is registered for; OpenID Connect's own scopes are not delegated. */
    static Scopes requestedScopes(Agent agent, String scopeParam) {
        Scopes scopes = Scopes.parse(scopeParam).intersection(agent.allowedScopes());
        if (scopes.isEmpty()) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_SCOPE,
                    "Ask for at least one scope the agent is registered for: " + agent.allowedScopes());
        }
        return scopes;
    }

    static String checkPurpose(String purpose) {
        if (purpose == null || purpose.isBlank()) {
            return null;
        }
        if (purpose.length() > MAX_PURPOSE_LENGTH || purpose.chars().anyMatch(Character::isISOControl)) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST,
                    "'purpose' must be at most " + MAX_PURPOSE_LENGTH + " printable characters");
        }
        return purpose.strip();
    }

    /** The host the user returns to; null in the device flow, which returns nowhere. */
    String redirectHost() {
        if (deviceFlow || redirectUri == null) {
            return null;
        }
        try {
            return URI.create(redirectUri).getHost();
        } catch (IllegalArgumentException unreadable) {
            return redirectUri;
        }
    }

    /** Whether the user returns to a program on their own computer (RFC 8252 loopback redirect). */
    boolean loopbackRedirect() {
        String host = redirectHost();
        return host != null && (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]") || host.equals("::1"));
    }
}
