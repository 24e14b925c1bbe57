package dev.proxyme.consent;

import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserConsentModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import dev.proxyme.model.Scopes;

/**
 * Mirrors an approved delegation into Keycloak's own consent record for the agent client, so the user sees the agent
 * under "Applications" in the Account Console and can revoke it there. Keycloak keeps one consent per user and client:
 * it accumulates the scopes of the user's delegations to that agent.
 */
public final class KeycloakConsentMirror {

    private KeycloakConsentMirror() {}

    public static void mirror(
            KeycloakSession session, RealmModel realm, UserModel user, ClientModel agent, Scopes scopes) {
        UserConsentModel consent = session.users().getConsentByClient(realm, user.getId(), agent.getId());
        boolean existing = consent != null;
        if (!existing) {
            consent = new UserConsentModel(agent);
        }
        for (String name : scopes.names()) {
            ClientScopeModel scope = KeycloakModelUtils.getClientScopeByName(realm, name);
            if (scope != null && !consent.isClientScopeGranted(scope)) {
                consent.addGrantedClientScope(scope);
            }
        }
        if (existing) {
            session.users().updateConsent(realm, user.getId(), consent);
        } else {
            session.users().addConsent(realm, user.getId(), consent);
        }
    }
}
