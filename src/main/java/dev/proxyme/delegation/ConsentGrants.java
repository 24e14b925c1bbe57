package dev.proxyme.delegation;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.keycloak.OAuthErrorException;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import dev.proxyme.ProxymeException;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.clients.AgentTerms;
import dev.proxyme.clients.AgentTerms.Terms;
import dev.proxyme.model.Actor;
import dev.proxyme.model.AuditAction;
import dev.proxyme.model.AuditRecord;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.Envelope;
import dev.proxyme.model.Scopes;
import dev.proxyme.model.StepUp;
import dev.proxyme.revocation.DelegationRevocation;
import dev.proxyme.store.DelegationProvider;

/**
 * Delegations a user approves on Proxyme's consent page (its own requests, or Keycloak's authorization and device
 * endpoints): a step-up covers what was granted and what is asked for now, and replaces the delegations it covers.
 * Whatever can refuse the new delegation is checked before the ones it replaces end.
 */
public class ConsentGrants {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final DelegationProvider delegations;

    public ConsentGrants(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.delegations = session.getProvider(DelegationProvider.class);
    }

    /** The step-up an approval of these terms would be: the user's current delegations to the agent for the portal. */
    public StepUp stepUpOf(UserModel user, String agentClientId, String portalClientId, Envelope asked) {
        return new StepUp(
                asked,
                delegations.findCurrent(realm, user.getId(), agentClientId, portalClientId, Time.currentTimeMillis()));
    }

    /**
     * The user approved: a delegation of what was granted and what is asked for now, replacing the ones it covers,
     * bound to the key the replaced access was bound to; a kept budget counted again once they have ended, so that
     * calls made while the user decided come off it.
     */
    public Delegation grant(Approval approval) {
        UserModel user = approval.user();
        AgentTerms.checkMayDelegate(user);
        AgentTerms.checkEnabled(approval.agent());
        Terms terms = approval.terms();
        Actor actor = Actor.user(user.getId());
        Scopes scopes = approval.scopes();
        long end = Time.currentTimeMillis() + terms.delegationSeconds() * 1000;
        Envelope envelope = withinDelegation(approval.envelope(), end / 1000);
        DelegationRevocation revocation = new DelegationRevocation(session, realm);
        checkStillCurrent(user, approval.agent().clientId(), terms.portalClientId(), approval.stepUp());
        List<Delegation> ended = new ArrayList<>();
        for (Delegation replaced : approval.stepUp().replaced()) {
            ended.add(revocation.revoke(replaced.id(), actor, "superseded"));
        }
        if (approval.grantFlow() != null && approval.loginSessionId() != null) {
            // Keycloak keeps one client session per agent in a login session: an approval there takes it over, so the
            // standard-flow delegation it held (for another portal, say) can no longer be renewed, and ends now.
            revocation.revokeTakenOverClientSession(
                    approval.loginSessionId(), approval.agent().clientId(), actor);
        }
        Delegation created = Delegation.builder()
                .id(UUID.randomUUID().toString())
                .realmId(realm.getId())
                .userId(user.getId())
                .agentClientId(approval.agent().clientId())
                .portalClientId(terms.portalClientId())
                .scopes(scopes)
                .createdAt(end - terms.delegationSeconds() * 1000)
                .expiresAt(end)
                .grantedBy(actor)
                .purpose(approval.purpose())
                .grantedSessionId(approval.loginSessionId())
                .grantFlow(approval.grantFlow())
                .dpopJkt(approval.stepUp().boundKey())
                .envelope(approval.stepUp().recounted(envelope, ended))
                .build();
        delegations.create(created);
        new AuditLog(session, realm)
                .record(AuditRecord.of(AuditAction.DELEGATION_CREATED, actor, created)
                        .detail(approval.purpose()));
        return created;
    }

    /**
     * The user unchecked every scope of a step-up: nothing new is granted, and what they had delegated to the agent for
     * the portal ends as well, as unchecking one of those scopes would have ended it.
     */
    public void endReplaced(UserModel user, StepUp stepUp) {
        if (stepUp.replaced().isEmpty()) {
            return;
        }
        Delegation any = stepUp.replaced().get(0);
        checkStillCurrent(user, any.agentClientId(), any.portalClientId(), stepUp);
        DelegationRevocation revocation = new DelegationRevocation(session, realm);
        stepUp.replaced()
                .forEach(replaced -> revocation.revoke(replaced.id(), Actor.user(user.getId()), "unchecked_by_user"));
    }

    /**
     * The access a decision replaces is still exactly the user's current access to the agent for the portal, read
     * under the user's lock on grants until the decision commits: another decision, a revocation or an expiry in
     * between (another tab, the user's page, an administrator, a second approval at once) makes this one refer to
     * access that is no more, so nothing is done and the page says so. Never two accesses side by side.
     *
     * @throws ProxymeException 409 when the current access is no longer what the decision replaces
     */
    private void checkStillCurrent(UserModel user, String agentClientId, String portalClientId, StepUp stepUp) {
        delegations.lockGrantsOf(realm, user.getId());
        StepUp current = new StepUp(
                stepUp.asked(),
                delegations.findCurrent(realm, user.getId(), agentClientId, portalClientId, Time.currentTimeMillis()));
        if (!current.replacedIds().equals(stepUp.replacedIds())) {
            throw changedMeanwhile();
        }
    }

    /** What a decision answers when what it was shown is no longer so. */
    public static ProxymeException changedMeanwhile() {
        return ProxymeException.conflict(
                OAuthErrorException.ACCESS_DENIED,
                "The agent's access changed since the page was shown: nothing was changed, look again");
    }

    /** The user refused an agent's request: nothing is granted, the refusal is audited. */
    public void recordDenial(UserModel user, String agentClientId, Terms terms, String detail) {
        new AuditLog(session, realm)
                .record(AuditRecord.of(AuditAction.CONSENT_DENIED, Actor.user(user.getId()))
                        .delegation(
                                null,
                                user.getId(),
                                agentClientId,
                                terms.portalClientId(),
                                terms.scopes().toString())
                        .detail(detail));
    }

    /** An envelope inside the delegation's end; a window that would open only after it ends is refused. */
    static Envelope withinDelegation(Envelope envelope, long delegationEndSeconds) {
        try {
            return envelope.endingBy(delegationEndSeconds);
        } catch (IllegalArgumentException opensTooLate) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, opensTooLate.getMessage());
        }
    }
}
