package dev.proxyme.lifecycle;

import dev.proxyme.agent.Agent;
import dev.proxyme.audit.Actor;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.delegation.DelegationService;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * When a user revokes an agent under "Applications" in the Account Console, Keycloak removes its consent record and
 * reports {@code REVOKE_GRANT} with the agent as {@code revoked_client}: every delegation of that user to that agent
 * ends with it, in the same transaction.
 */
public class AccountConsentListener implements EventListenerProvider {

    static final String REASON = "consent_revoked_in_keycloak";

    private final KeycloakSession session;

    public AccountConsentListener(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void onEvent(Event event) {
        // Proxyme's own REVOKE_GRANT events carry its actor detail: they report a revocation, they do not ask for one.
        if (event.getType() != EventType.REVOKE_GRANT || event.getError() != null || event.getDetails() == null
                || event.getDetails().containsKey(AuditLog.DETAIL_ACTOR)) {
            return;
        }
        String revokedClient = event.getDetails().get(Details.REVOKED_CLIENT);
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        if (revokedClient == null || realm == null || event.getUserId() == null
                || !Agent.isAgent(realm.getClientByClientId(revokedClient))) {
            return;
        }
        new DelegationService(session, realm).revokeAll(event.getUserId(), revokedClient, Actor.user(event.getUserId()), REASON);
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
    }

    @Override
    public void close() {
    }
}
