package dev.proxyme.delegation;

import java.util.Optional;
import java.util.UUID;

import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import dev.proxyme.ProxymeNode;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.clients.Agent;
import dev.proxyme.clients.AgentTerms;
import dev.proxyme.model.Actor;
import dev.proxyme.model.AuditAction;
import dev.proxyme.model.AuditRecord;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.Envelope;
import dev.proxyme.model.Scopes;
import dev.proxyme.store.DelegationProvider;

/**
 * A trusted backend vouches that its user consented (the first Proxyme service's flow): the user's active delegation
 * to the agent that covers the request is reused, or one is created, and a token is minted under it.
 */
public class BackendGrants {

    private final KeycloakSession session;
    private final RealmModel realm;

    public BackendGrants(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    public DelegatedToken vouch(
            String backendClientId,
            UserModel user,
            Agent agent,
            Scopes scopes,
            String requestedPortal,
            Long requestedSeconds,
            Envelope envelope) {
        AgentTerms.checkMayDelegate(user);
        AgentTerms.Terms terms = AgentTerms.of(
                realm, agent, scopes, requestedPortal, ProxymeNode.of(session).settings(), requestedSeconds);
        Actor backend = Actor.backend(backendClientId);
        TokenIssuance issuance = new TokenIssuance(session, realm);
        // A delegation the agent bound to its DPoP key yields tokens only to that key: the backend's token would be
        // refused, so it vouches for a delegation of its own. A delegation with an envelope is a task of its own: it is
        // never reused for another.
        Optional<Delegation> covering = issuance.covering(user, agent, terms.portalClientId(), scopes)
                .filter(delegation ->
                        delegation.dpopJkt() == null && delegation.envelope().isEmpty() && envelope.isEmpty());
        if (covering.isPresent()) {
            return issuance.issue(covering.get(), agent, user, scopes, backend);
        }
        long now = Time.currentTimeMillis();
        long end = now + terms.delegationSeconds() * 1000;
        Delegation created = Delegation.builder()
                .id(UUID.randomUUID().toString())
                .realmId(realm.getId())
                .userId(user.getId())
                .agentClientId(agent.clientId())
                .portalClientId(terms.portalClientId())
                .scopes(scopes)
                .createdAt(now)
                .expiresAt(end)
                .grantedBy(backend)
                .envelope(ConsentGrants.withinDelegation(envelope, end / 1000))
                .build();
        session.getProvider(DelegationProvider.class).create(created);
        new AuditLog(session, realm).record(AuditRecord.of(AuditAction.DELEGATION_CREATED, backend, created));
        return issuance.issue(created, agent, user, scopes, backend);
    }
}
