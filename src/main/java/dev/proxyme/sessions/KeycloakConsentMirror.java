package dev.proxyme.sessions;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserConsentModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import dev.proxyme.model.Delegation;
import dev.proxyme.model.Scopes;
import dev.proxyme.store.DelegationProvider;

/**
 * Mirrors the user's delegations to an agent into Keycloak's own consent record for the agent client, so that the
 * Account Console's "Applications" and the admin's "Consents" tab show what Proxyme would let the agent do, and the
 * user can revoke it there: created on approval, its scopes the union of the user's active delegations to the agent,
 * narrowed when one ends, removed when the last one has ended (any ending: revoked, expired, superseded, a logout).
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

    /** After a delegation ended: the consent keeps the scopes of the user's delegations to the agent still active. */
    public static void follow(KeycloakSession session, RealmModel realm, Delegation ended) {
        ClientModel agent = realm.getClientByClientId(ended.agentClientId());
        if (agent == null) {
            return;
        }
        UserConsentModel consent = session.users().getConsentByClient(realm, ended.userId(), agent.getId());
        if (consent == null) {
            return;
        }
        List<Delegation> active = session.getProvider(DelegationProvider.class)
                .findActiveOfUserToAgent(realm, ended.userId(), agent.getClientId());
        if (active.isEmpty()) {
            session.users().revokeConsentForClient(realm, ended.userId(), agent.getId());
            return;
        }
        Set<String> granted = new TreeSet<>();
        active.forEach(delegation -> granted.addAll(delegation.scopes().names()));
        UserConsentModel narrowed = new UserConsentModel(agent);
        for (String name : granted) {
            ClientScopeModel scope = KeycloakModelUtils.getClientScopeByName(realm, name);
            if (scope != null) {
                narrowed.addGrantedClientScope(scope);
            }
        }
        session.users().updateConsent(realm, ended.userId(), narrowed);
    }
}
