package dev.proxyme.sessions;

import java.util.Optional;

import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;

import dev.proxyme.model.Delegation;

/**
 * The agent's client session in the user's Keycloak login session, which a delegation approved in a standard flow
 * (authorization code, device grant) lives in: the approval notes the delegation on the authentication session, Keycloak
 * copies it to the client session, and every token Keycloak issues there is issued under it. Keycloak keeps one client
 * session per agent in a login session and detaches it when the code is replayed, the refresh token revoked, the
 * session ended; a later approval in the same login session takes it over.
 */
public final class AgentClientSession {

    /** Client session note: the delegation the user approved in this flow (a contract: do not rename). */
    public static final String DELEGATION_NOTE = "proxyme.delegation_id";

    private AgentClientSession() {}

    /** The user approved in this flow: the agent's client session will be issued tokens under this delegation. */
    public static void noteApproval(AuthenticationSessionModel authSession, String delegationId) {
        authSession.setClientNote(DELEGATION_NOTE, delegationId);
    }

    /** The delegation approved in this client session, or null. */
    public static String delegationOf(AuthenticatedClientSessionModel clientSession) {
        return clientSession.getNote(DELEGATION_NOTE);
    }

    /** The agent's client session of the delegation's login session, while that session is valid and still names it. */
    public static Optional<AuthenticatedClientSessionModel> heldBy(
            KeycloakSession session, RealmModel realm, Delegation delegation) {
        if (delegation.grantedSessionId() == null) {
            return Optional.empty();
        }
        UserSessionModel userSession = session.sessions().getUserSession(realm, delegation.grantedSessionId());
        ClientModel agent = realm.getClientByClientId(delegation.agentClientId());
        if (userSession == null || agent == null || !AuthenticationManager.isSessionValid(realm, userSession)) {
            return Optional.empty();
        }
        return Optional.ofNullable(userSession.getAuthenticatedClientSessionByClient(agent.getId()))
                .filter(clientSession -> delegation.id().equals(delegationOf(clientSession)));
    }

    /** Whether a standard flow's delegation still holds its agent's client session (introspection asks the same). */
    public static boolean isHeld(KeycloakSession session, RealmModel realm, Delegation delegation) {
        return heldBy(session, realm, delegation).isPresent();
    }

    /**
     * Detaches the agent's client session of an ended delegation, so that Keycloak itself refuses its refresh token
     * and introspects its access tokens inactive, besides Proxyme's own checks.
     */
    public static void detach(KeycloakSession session, RealmModel realm, Delegation ended) {
        heldBy(session, realm, ended).ifPresent(AuthenticatedClientSessionModel::detachFromUserSession);
    }
}
