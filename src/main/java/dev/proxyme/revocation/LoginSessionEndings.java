package dev.proxyme.revocation;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.proxyme.Proxyme;
import dev.proxyme.model.Actor;
import dev.proxyme.model.Delegation;
import dev.proxyme.sessions.AgentClientSession;

/**
 * A delegation approved in a login session lasts as long as the session, unless the realm says otherwise
 * ({@value Proxyme#OUTLIVE_LOGIN_ATTRIBUTE}); one of a standard flow lasts as long as its agent's client session there,
 * whatever the realm says. Logout and sign-out end them at once (lifecycle events); a session that merely expires sends
 * no event, so every renewal asks ({@link #hasEnded}), and the expiry task ends such delegations ({@link #endIfEnded}).
 */
public class LoginSessionEndings {

    private final KeycloakSession session;
    private final RealmModel realm;

    public LoginSessionEndings(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** Whether the login session the delegation was approved in (if any) no longer carries it. */
    public boolean hasEnded(Delegation delegation) {
        if (delegation.grantedSessionId() == null) {
            return false;
        }
        if (delegation.isOfStandardFlow()) {
            return !AgentClientSession.isHeld(session, realm, delegation);
        }
        return !Boolean.parseBoolean(realm.getAttribute(Proxyme.OUTLIVE_LOGIN_ATTRIBUTE))
                && session.sessions().getUserSession(realm, delegation.grantedSessionId()) == null;
    }

    /** Ends the delegation when its login session has ended; true when it did. */
    public boolean endIfEnded(Delegation delegation) {
        if (!hasEnded(delegation)) {
            return false;
        }
        new DelegationRevocation(session, realm).revoke(delegation.id(), Actor.SYSTEM, "login_session_ended");
        return true;
    }
}
