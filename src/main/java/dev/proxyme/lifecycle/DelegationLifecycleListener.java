package dev.proxyme.lifecycle;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import dev.proxyme.Proxyme;
import dev.proxyme.admin.AdminConsoleForms;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.clients.Agent;
import dev.proxyme.model.Actor;
import dev.proxyme.revocation.DelegationRevocation;
import dev.proxyme.sessions.KeycloakConsentMirror;

/**
 * Ends delegations when what they stood on ends, in the same transaction as the event:
 * <ul>
 *   <li>the user revokes the agent under "Applications" in the Account Console ({@code REVOKE_GRANT});</li>
 *   <li>the agent revokes its refresh token at the realm's revocation endpoint (RFC 7009; {@code REVOKE_GRANT} with
 *       the token's session): the delegation approved in that session;</li>
 *   <li>the user logs out of the Keycloak session in which they approved ({@code LOGOUT}), unless the realm attribute
 *       {@value Proxyme#OUTLIVE_LOGIN_ATTRIBUTE} is true;</li>
 *   <li>an administrator signs the user out, signs out one of the user's sessions or all sessions of the realm,
 *       disables the user, or disables the agent (admin events).</li>
 * </ul>
 * Deletions are handled by {@link DelegationLifecycleListenerFactory} through model events.
 */
public class DelegationLifecycleListener implements EventListenerProvider {

    private static final Pattern USER_PATH = Pattern.compile("^users/([^/]+)$");
    private static final Pattern USER_LOGOUT_PATH = Pattern.compile("^users/([^/]+)/logout$");
    /** A client, or one of its default or optional client scope assignments. */
    private static final Pattern AGENT_CHANGE_PATH =
            Pattern.compile("^clients/([^/]+)(?:/(?:default|optional)-client-scopes/[^/]+)?$");

    private static final Pattern SESSION_PATH = Pattern.compile("^sessions/([^/]+)$");
    private static final String LOGOUT_ALL_PATH = "logout-all";
    private static final Pattern CONSENT_PATH = Pattern.compile("^users/([^/]+)/consents/([^/]+)$");

    private final KeycloakSession session;

    public DelegationLifecycleListener(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void onEvent(Event event) {
        // Proxyme's own events carry its actor detail: they report an ending, they do not ask for one.
        if (event.getError() != null
                || event.getDetails() != null && event.getDetails().containsKey(AuditLog.DETAIL_ACTOR)) {
            return;
        }
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        if (realm == null || event.getUserId() == null) {
            return;
        }
        Actor user = Actor.user(event.getUserId());
        if (event.getType() == EventType.REVOKE_GRANT && event.getDetails() != null) {
            String revokedClient = event.getDetails().get(Details.REVOKED_CLIENT);
            if (revokedClient == null || !Agent.isAgent(realm.getClientByClientId(revokedClient))) {
                return;
            }
            if (event.getDetails().containsKey(Details.REFRESH_TOKEN_ID) && event.getSessionId() != null) {
                // The agent revoked its refresh token (RFC 7009 section 2.1: the grant ends with it): the delegation
                // approved in that session ends, the user's other delegations to the agent stay.
                new DelegationRevocation(session, realm)
                        .revokeAgentsGrantsInSession(
                                event.getSessionId(), revokedClient, Actor.agent(revokedClient), "revoked_by_agent");
            } else {
                new DelegationRevocation(session, realm)
                        .revokeAllOfUserToAgent(event.getUserId(), revokedClient, user, "consent_revoked_in_keycloak");
            }
            // Whatever ended: the record Keycloak just changed follows what is still delegated (an approval at once).
            KeycloakConsentMirror.followOnCommit(session, realm, event.getUserId(), revokedClient);
        } else if ((event.getType() == EventType.GRANT_CONSENT || event.getType() == EventType.UPDATE_CONSENT)
                && event.getDetails() != null
                && Agent.isAgent(realm.getClientByClientId(event.getDetails().get(Details.GRANTED_CLIENT)))) {
            // Keycloak's account API wrote an agent's consent record itself: it shows what the delegations give.
            KeycloakConsentMirror.followOnCommit(
                    session, realm, event.getUserId(), event.getDetails().get(Details.GRANTED_CLIENT));
        } else if (event.getType() == EventType.LOGOUT && event.getSessionId() != null) {
            new DelegationRevocation(session, realm).endWithLoginSession(event.getSessionId(), user, "user_logged_out");
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        if (event.getError() != null) {
            return;
        }
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        if (realm == null) {
            return;
        }
        if (event.getResourceType() == ResourceType.REALM && event.getOperationType() == OperationType.UPDATE) {
            // The realm's attributes may have changed (the admin REST API): the Admin Console's tab follows.
            AdminConsoleForms.followRealmAttributes(realm);
            return;
        }
        if (event.getResourcePath() == null) {
            return;
        }
        Actor admin = Actor.admin(
                event.getAuthDetails() == null ? null : event.getAuthDetails().getUserId());
        if (event.getResourceType() == ResourceType.USER) {
            Matcher logout = USER_LOGOUT_PATH.matcher(event.getResourcePath());
            Matcher updated = USER_PATH.matcher(event.getResourcePath());
            Matcher consent = CONSENT_PATH.matcher(event.getResourcePath());
            if (event.getOperationType() == OperationType.ACTION
                    && consent.matches()
                    && Agent.isAgent(realm.getClientByClientId(consent.group(2)))) {
                // An administrator revoked the user's consent to the agent, as the user can in the Account Console.
                new DelegationRevocation(session, realm)
                        .revokeAllOfUserToAgent(consent.group(1), consent.group(2), admin, "consent_revoked_by_admin");
                KeycloakConsentMirror.followOnCommit(session, realm, consent.group(1), consent.group(2));
            } else if (event.getOperationType() == OperationType.ACTION && logout.matches()) {
                new DelegationRevocation(session, realm)
                        .revokeAllOfUser(logout.group(1), admin, "user_signed_out_by_admin");
            } else if (event.getOperationType() == OperationType.UPDATE && updated.matches()) {
                UserModel user = session.users().getUserById(realm, updated.group(1));
                if (user != null && !user.isEnabled()) {
                    new DelegationRevocation(session, realm).revokeAllOfUser(user.getId(), admin, "user_disabled");
                }
            }
        } else if (event.getResourceType() == ResourceType.USER_SESSION
                && event.getOperationType() == OperationType.DELETE) {
            // The Admin Console's "Sign out" of one session: what the user approved in it ends with it.
            Matcher signedOut = SESSION_PATH.matcher(event.getResourcePath());
            if (signedOut.matches()) {
                new DelegationRevocation(session, realm)
                        .revokeAllGrantedInSession(signedOut.group(1), admin, "user_signed_out_by_admin");
            }
        } else if (event.getOperationType() == OperationType.ACTION
                && LOGOUT_ALL_PATH.equals(event.getResourcePath())) {
            // "Sign out all active sessions" of the realm.
            new DelegationRevocation(session, realm).revokeAllGrantedInSessions(admin, "user_signed_out_by_admin");
        } else if (event.getResourceType() == ResourceType.CLIENT
                || event.getResourceType() == ResourceType.CLIENT_SCOPE_CLIENT_MAPPING) {
            // A client an administrator made (the admin API, a partial import), changed, or gave client scopes,
            // perhaps offline_access as a default to an agent: the Admin Console shows what Proxyme enforces.
            Matcher changed = AGENT_CHANGE_PATH.matcher(event.getResourcePath());
            ClientModel client = changed.matches() ? realm.getClientById(changed.group(1)) : null;
            if (client == null) {
                return;
            }
            if (Agent.isAgent(client)) {
                followAgent(realm, client, event, admin);
            }
            AdminConsoleForms.followClient(session, realm, client.getClientId());
        }
    }

    private void followAgent(RealmModel realm, ClientModel client, AdminEvent event, Actor admin) {
        Agent.holdOpenIdConnectScopes(realm, client);
        if (event.getOperationType() == OperationType.DELETE || event.getOperationType() == OperationType.UPDATE) {
            // A scope or a portal taken from the agent: the users' consent records no longer name what it gave.
            KeycloakConsentMirror.followAgentOnCommit(session, realm, client.getClientId());
        }
        if (event.getOperationType() == OperationType.UPDATE && !client.isEnabled()) {
            new DelegationRevocation(session, realm).revokeAllOfAgent(client.getClientId(), admin, "agent_disabled");
        }
    }

    @Override
    public void close() {}
}
