package dev.proxyme.revocation;

import java.util.List;
import java.util.Optional;

import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.proxyme.Proxyme;
import dev.proxyme.ProxymeErrors;
import dev.proxyme.ProxymeException;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.model.Actor;
import dev.proxyme.model.AuditAction;
import dev.proxyme.model.AuditRecord;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.DelegationStatus;
import dev.proxyme.sessions.AgentClientSession;
import dev.proxyme.sessions.KeycloakConsentMirror;
import dev.proxyme.store.DelegationProvider;

/**
 * How delegations end: revoked (by the user, the agent, an administrator, or an event of Keycloak's such as a logout)
 * or expired. Ending is a state change of the delegation's row, which every check reads, so it takes effect at the next
 * request on every node and survives a restart; each ending leaves an audit record.
 */
public class DelegationRevocation {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final DelegationProvider delegations;
    private final AuditLog audit;

    public DelegationRevocation(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.delegations = session.getProvider(DelegationProvider.class);
        this.audit = new AuditLog(session, realm);
    }

    /**
     * Ends a delegation: every token minted under it is inactive at its next check, on every node, because every check
     * reads the delegation's row. Idempotent: revoking an ended delegation changes nothing and succeeds.
     */
    public Delegation revoke(String delegationId, Actor actor, String reason) {
        return endNow(delegationId, actor, reason)
                .orElseGet(() -> delegations.find(realm, delegationId).orElseThrow());
    }

    /**
     * Ends the delegation if it is active, under its row's lock: the delegation this call ended, or empty when it had
     * ended already (another revocation at once, say), so that only one caller reports the ending.
     */
    public Optional<Delegation> endNow(String delegationId, Actor actor, String reason) {
        Delegation delegation =
                delegations.lock(realm, delegationId).orElseThrow(DelegationRevocation::unknownDelegation);
        if (delegation.status() != DelegationStatus.ACTIVE) {
            return Optional.empty();
        }
        delegation = delegation.endedAs(DelegationStatus.REVOKED, Time.currentTimeMillis(), reason);
        delegations.end(delegation);
        AgentClientSession.detach(session, realm, delegation);
        KeycloakConsentMirror.followOnCommit(session, realm, delegation.userId(), delegation.agentClientId());
        audit.record(AuditRecord.of(AuditAction.DELEGATION_REVOKED, actor, delegation)
                .detail(reason));
        return Optional.of(delegation);
    }

    /** Ends every active delegation of the user to the agent, e.g. when the user revokes the agent in Keycloak. */
    public List<Delegation> revokeAllOfUserToAgent(String userId, String agentClientId, Actor actor, String reason) {
        return revokeEach(delegations.findActiveOfUserToAgent(realm, userId, agentClientId), actor, reason);
    }

    /** Ends every active delegation of a user: signed out by an admin, disabled, deleted, or their own "revoke all". */
    public List<Delegation> revokeAllOfUser(String userId, Actor actor, String reason) {
        return revokeEach(delegations.findActiveOfUser(realm, userId), actor, reason);
    }

    /** Ends every active delegation to an agent: the kill switch, and what disabling or deleting the agent does. */
    public List<Delegation> revokeAllOfAgent(String agentClientId, Actor actor, String reason) {
        return revokeEach(delegations.findActiveOfAgent(realm, agentClientId), actor, reason);
    }

    /** Ends the delegations a user approved in a Keycloak login session that an administrator signed out. */
    public List<Delegation> revokeAllGrantedInSession(String loginSessionId, Actor actor, String reason) {
        return revokeEach(inThisRealm(delegations.findActiveOfSession(loginSessionId)), actor, reason);
    }

    /**
     * The user logged out of a Keycloak session: what they approved in it ends, unless the realm lets delegations
     * outlive the login ({@value Proxyme#OUTLIVE_LOGIN_ATTRIBUTE}); those of standard flows end regardless, their
     * refresh tokens having ended with the session.
     */
    public List<Delegation> endWithLoginSession(String loginSessionId, Actor actor, String reason) {
        boolean outlive = Boolean.parseBoolean(realm.getAttribute(Proxyme.OUTLIVE_LOGIN_ATTRIBUTE));
        return revokeEach(
                inThisRealm(delegations.findActiveOfSession(loginSessionId)).stream()
                        .filter(delegation -> delegation.isOfStandardFlow() || !outlive)
                        .toList(),
                actor,
                reason);
    }

    /** Ends what a user approved to one agent in a Keycloak login session (the agent revoked its grant there). */
    public List<Delegation> revokeAgentsGrantsInSession(
            String loginSessionId, String agentClientId, Actor actor, String reason) {
        return revokeEach(
                inThisRealm(delegations.findActiveOfSession(loginSessionId)).stream()
                        .filter(delegation -> delegation.agentClientId().equals(agentClientId))
                        .toList(),
                actor,
                reason);
    }

    /**
     * Keycloak keeps one client session per agent in a login session: an approval there takes it over, so the
     * standard-flow delegation it held (for another portal, say) can no longer be renewed, and ends.
     */
    public List<Delegation> revokeTakenOverClientSession(String loginSessionId, String agentClientId, Actor actor) {
        return revokeEach(
                inThisRealm(delegations.findActiveOfSession(loginSessionId)).stream()
                        .filter(delegation -> delegation.isOfStandardFlow()
                                && delegation.agentClientId().equals(agentClientId))
                        .toList(),
                actor,
                "superseded");
    }

    private List<Delegation> inThisRealm(List<Delegation> found) {
        return found.stream()
                .filter(delegation -> delegation.realmId().equals(realm.getId()))
                .toList();
    }

    /** Ends the delegations approved in any Keycloak login session: an administrator signed out every session. */
    public List<Delegation> revokeAllGrantedInSessions(Actor actor, String reason) {
        return revokeEach(delegations.findActiveGrantedInSessions(realm), actor, reason);
    }

    /**
     * Marks a delegation past its end time as expired. Its tokens need no revocation: none outlives its delegation.
     * False when it had already ended some other way.
     */
    public boolean expire(String delegationId) {
        Optional<Delegation> locked = delegations.lock(realm, delegationId);
        if (locked.isEmpty()
                || locked.get().status() != DelegationStatus.ACTIVE
                || locked.get().expiresAt() > Time.currentTimeMillis()) {
            return false;
        }
        Delegation expired =
                locked.get().endedAs(DelegationStatus.EXPIRED, locked.get().expiresAt(), "expired");
        delegations.end(expired);
        AgentClientSession.detach(session, realm, expired);
        KeycloakConsentMirror.followOnCommit(session, realm, expired.userId(), expired.agentClientId());
        audit.record(AuditRecord.of(AuditAction.DELEGATION_EXPIRED, Actor.SYSTEM, expired)
                .detail("expired"));
        return true;
    }

    private List<Delegation> revokeEach(List<Delegation> active, Actor actor, String reason) {
        return active.stream()
                .map(delegation -> revoke(delegation.id(), actor, reason))
                .toList();
    }

    private static ProxymeException unknownDelegation() {
        return ProxymeException.notFound(ProxymeErrors.NOT_FOUND, "Unknown delegation");
    }
}
