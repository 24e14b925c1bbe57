package dev.proxyme.delegation;

import java.util.Optional;

import org.keycloak.OAuthErrorException;
import org.keycloak.common.util.Time;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.dpop.DPoP;
import org.keycloak.services.util.DPoPUtil;

import dev.proxyme.Proxyme;
import dev.proxyme.ProxymeErrors;
import dev.proxyme.ProxymeException;
import dev.proxyme.ProxymeNode;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.clients.Agent;
import dev.proxyme.clients.AgentTerms;
import dev.proxyme.metrics.ProxymeMetrics;
import dev.proxyme.model.Actor;
import dev.proxyme.model.AuditAction;
import dev.proxyme.model.AuditRecord;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.IssuedToken;
import dev.proxyme.model.MintedToken;
import dev.proxyme.model.Scopes;
import dev.proxyme.revocation.LoginSessionEndings;
import dev.proxyme.store.DelegationProvider;
import dev.proxyme.token.DelegationTokenMinter;

import static dev.proxyme.ProxymeException.printable;

/**
 * Issuing tokens under delegations: renewals by the agent (by the delegation's id, or for a user), the tokens Keycloak
 * issues in a standard flow's client session ({@link #admitStandardFlowToken}), the DPoP binding, the per-node rate,
 * and the one record each token leaves. Every token is checked against the delegation and the agent's registration as
 * they are now; none takes a lock: a revocation committed meanwhile makes the token inactive at its first check.
 */
public class TokenIssuance {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final DelegationProvider delegations;

    public TokenIssuance(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.delegations = session.getProvider(DelegationProvider.class);
    }

    /** The agent asks for a fresh token under a delegation it holds, optionally narrowed to fewer scopes. */
    public DelegatedToken renew(Agent agent, String delegationId, Scopes narrowedScopes, String requestedPortal) {
        AgentTerms.checkEnabled(agent);
        Delegation delegation = delegations.find(realm, delegationId).orElseThrow(TokenIssuance::unknownDelegation);
        if (!delegation.agentClientId().equals(agent.clientId())) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.ACCESS_DENIED, "The delegation was granted to another agent");
        }
        checkStillActive(delegation);
        checkRenewableByItsId(delegation);
        boolean narrowed = narrowedScopes != null && !narrowedScopes.isEmpty();
        if (narrowed) {
            AgentTerms.checkRegisteredFor(agent, narrowedScopes);
        }
        // An administrator may have taken scopes from the agent since the user granted them: those are gone.
        Scopes scopes = narrowed ? narrowedScopes : stillRegisteredScopesOf(agent, delegation);
        if (!delegation.scopes().covers(scopes)) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.INVALID_SCOPE,
                    "The delegation does not grant: "
                            + printable(String.join(" ", delegation.scopes().missingFrom(scopes))));
        }
        if (requestedPortal != null && !requestedPortal.equals(delegation.portalClientId())) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.INVALID_TARGET, "The delegation is for another portal");
        }
        UserModel user = session.users().getUserById(realm, delegation.userId());
        if (user == null || !user.isEnabled()) {
            throw ProxymeException.forbidden(ProxymeErrors.CONSENT_REQUIRED, "The delegating user is no longer active");
        }
        return issue(delegation, agent, user, scopes, Actor.agent(agent.clientId()));
    }

    /** The agent asks for a token for a user without naming the delegation: one active delegation must cover it. */
    public DelegatedToken renewForUser(Agent agent, UserModel user, Scopes scopes, String requestedPortal) {
        AgentTerms.checkMayDelegate(user);
        AgentTerms.checkEnabled(agent);
        AgentTerms.checkRegisteredFor(agent, scopes);
        String portal = AgentTerms.portalNamed(realm, agent, requestedPortal);
        Delegation covering = covering(user, agent, portal, scopes)
                .orElseThrow(() -> ProxymeException.forbidden(
                        ProxymeErrors.CONSENT_REQUIRED,
                        "No active delegation of this user covers the requested scopes and portal"));
        return issue(covering, agent, user, scopes, Actor.agent(agent.clientId()));
    }

    /**
     * Keycloak is about to issue a token in the agent's client session of a standard flow (authorization code, refresh,
     * device code), under the delegation the user approved there: the same rules as a renewal, against the delegation
     * as it is now. The token's scopes are those of the delegation the agent is still registered for.
     */
    public Delegation admitStandardFlowToken(Agent agent, UserModel user, String delegationId) {
        AgentTerms.checkEnabled(agent);
        Delegation delegation = delegations
                .find(realm, delegationId)
                .orElseThrow(() -> ProxymeException.forbidden(
                        ProxymeErrors.CONSENT_REQUIRED, "The delegation approved in this session no longer exists"));
        if (!delegation.agentClientId().equals(agent.clientId())
                || !delegation.userId().equals(user.getId())) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.ACCESS_DENIED, "The delegation was granted to another party");
        }
        checkStillActive(delegation);
        if (!user.isEnabled()) {
            throw ProxymeException.forbidden(ProxymeErrors.CONSENT_REQUIRED, "The delegating user is no longer active");
        }
        AgentTerms.checkStillRegistered(
                realm, agent, delegation.portalClientId(), stillRegisteredScopesOf(agent, delegation));
        checkTokenRate(delegation.id());
        return checkKeyBinding(delegation);
    }

    /**
     * Mints under a delegation and writes the token's one record: no lock, no update of the delegation's row, no audit
     * row besides it (the trail shows the record as TOKEN_ISSUED).
     */
    DelegatedToken issue(Delegation delegation, Agent agent, UserModel user, Scopes scopes, Actor actor) {
        AgentTerms.checkStillRegistered(realm, agent, delegation.portalClientId(), scopes);
        if (new LoginSessionEndings(session, realm).hasEnded(delegation)) {
            throw ProxymeException.forbidden(
                    ProxymeErrors.CONSENT_REQUIRED, "The login session in which the delegation was approved has ended");
        }
        checkTokenRate(delegation.id());
        Delegation bound = checkKeyBinding(delegation);
        EventBuilder event =
                new EventBuilder(realm, session, session.getContext().getConnection()).event(EventType.TOKEN_EXCHANGE);
        MintedToken token = new DelegationTokenMinter(session, realm).mint(agent.client(), user, bound, scopes, event);
        recordIssuedToken(bound, token.tokenId(), token.expiresAt(), token.scope(), actor);
        return new DelegatedToken(bound, token);
    }

    /**
     * The one record of a token issued under a delegation. A Keycloak event per token only where the realm asks
     * ({@value Proxyme#TOKEN_EVENTS_ATTRIBUTE}): with events stored, it would be a second write.
     */
    public void recordIssuedToken(
            Delegation delegation, String tokenId, long expiresAtSeconds, String scope, Actor actor) {
        String sourceAddress = session.getContext().getConnection() == null
                ? null
                : session.getContext().getConnection().getRemoteAddr();
        delegations.recordIssuedToken(new IssuedToken(
                tokenId, delegation.id(), Time.currentTimeMillis(), expiresAtSeconds, scope, actor, sourceAddress));
        ProxymeMetrics.tokenIssued(
                realm.getName(), delegation.grantFlow() == null ? "proxyme" : delegation.grantFlow());
        if (Boolean.parseBoolean(realm.getAttribute(Proxyme.TOKEN_EVENTS_ATTRIBUTE))) {
            new AuditLog(session, realm)
                    .report(AuditRecord.of(AuditAction.TOKEN_ISSUED, actor, delegation)
                            .scope(scope));
        }
    }

    /** The user's newest active delegation to the agent for the portal that covers the scopes, of the JSON operations. */
    Optional<Delegation> covering(UserModel user, Agent agent, String portal, Scopes scopes) {
        return delegations.findCurrent(realm, user.getId(), agent.clientId(), portal, Time.currentTimeMillis()).stream()
                .filter(candidate -> !candidate.isOfStandardFlow())
                .filter(candidate -> candidate.scopes().covers(scopes))
                .findFirst();
    }

    /** The delegation's scopes the agent is still registered for; none left is a refusal. */
    private static Scopes stillRegisteredScopesOf(Agent agent, Delegation delegation) {
        Scopes scopes = delegation.scopes().intersection(agent.allowedScopes());
        if (scopes.isEmpty()) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.INVALID_SCOPE,
                    "The agent is no longer registered for any scope of the delegation");
        }
        return scopes;
    }

    /**
     * A delegation approved in a standard flow renews only with its refresh token, in its login session: Keycloak's
     * safeguards there (a replayed code ends the session, the session's own end) must not be bypassed by the JSON
     * operations or the extension grant.
     */
    private static void checkRenewableByItsId(Delegation delegation) {
        if (delegation.isOfStandardFlow()) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.INVALID_GRANT,
                    "The delegation was approved in a standard OAuth flow: renew it with its refresh token");
        }
    }

    private static void checkStillActive(Delegation delegation) {
        if (!delegation.isActiveAt(Time.currentTimeMillis())) {
            throw ProxymeException.forbidden(ProxymeErrors.CONSENT_REQUIRED, "The delegation has ended");
        }
    }

    /**
     * DPoP (RFC 9449): the proof Keycloak's token endpoint, or Proxyme's {@code delegate}, validated for this request.
     * The first token issued with one binds the delegation to its key; from then on every token under the delegation
     * is issued only with a proof made with that key, so a leaked client secret or refresh token alone mints nothing
     * the proxy would accept. Keycloak's own DPoP mapper puts the key's thumbprint into the token ({@code cnf.jkt}).
     */
    private Delegation checkKeyBinding(Delegation delegation) {
        DPoP proof = session.getAttribute(DPoPUtil.DPOP_SESSION_ATTRIBUTE, DPoP.class);
        String presented = proof == null ? null : proof.getThumbprint();
        String bound = delegation.dpopJkt();
        if (bound == null && presented != null) {
            bound = delegations.bindDpopKey(realm, delegation.id(), presented);
            delegation = delegation.boundTo(bound);
        }
        if (bound != null && !bound.equals(presented)) {
            throw ProxymeException.badRequest(
                    ProxymeErrors.INVALID_DPOP_PROOF,
                    presented == null
                            ? "The delegation is bound to a DPoP key: send a DPoP proof made with it (RFC 9449)"
                            : "The DPoP proof was made with another key than the one the delegation is bound to");
        }
        return delegation;
    }

    /** A misbehaving agent renewing in a loop must not fill the database with token records. */
    private void checkTokenRate(String delegationId) {
        ProxymeNode.of(session)
                .tokensPerDelegation()
                .acquire(delegationId, "Too many tokens under this delegation", "tokens live minutes: reuse them");
    }

    static ProxymeException unknownDelegation() {
        return ProxymeException.notFound(ProxymeErrors.NOT_FOUND, "Unknown delegation");
    }
}
