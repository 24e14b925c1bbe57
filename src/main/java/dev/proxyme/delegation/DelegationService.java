package dev.proxyme.delegation;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

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
import dev.proxyme.ProxymeSettings;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.model.Actor;
import dev.proxyme.model.Agent;
import dev.proxyme.model.AuditAction;
import dev.proxyme.model.AuditRecord;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.DelegationStatus;
import dev.proxyme.model.Envelope;
import dev.proxyme.model.IssuedToken;
import dev.proxyme.model.Portals;
import dev.proxyme.model.Scopes;
import dev.proxyme.revocation.DelegationRevocation;
import dev.proxyme.store.DelegationProvider;
import dev.proxyme.token.DelegationTokenMinter;
import dev.proxyme.token.DelegationTokenVerifier;
import dev.proxyme.token.MintedToken;

import static dev.proxyme.ProxymeException.printable;

/**
 * The rules of delegation: who may obtain a token for whom, under which delegation. Every path that creates or renews
 * a delegation goes through here, and each leaves an audit record; how one ends is {@link DelegationRevocation}.
 */
public class DelegationService {

    private static final RateLimit TOKENS_PER_DELEGATION = new RateLimit();

    private final KeycloakSession session;
    private final RealmModel realm;
    private final DelegationProvider delegations;
    private final AuditLog audit;
    private final DelegationRevocation revocation;

    public DelegationService(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.delegations = session.getProvider(DelegationProvider.class);
        this.audit = new AuditLog(session, realm);
        this.revocation = new DelegationRevocation(session, realm);
    }

    /** A token issued under a delegation. */
    public record Grant(Delegation delegation, MintedToken token) {}

    /** What an agent may ask a user for: checked against its registration, with the portal resolved. */
    public record Terms(String portalClientId, Scopes scopes, long delegationSeconds) {}

    /** Checks an agent's request for consent against what the agent was registered for. */
    public Terms checkTerms(Agent agent, Scopes scopes, String requestedPortal, Long requestedSeconds) {
        checkAgentEnabled(agent);
        checkRegisteredScopes(agent, scopes);
        return new Terms(resolvePortal(agent, requestedPortal), scopes, checkDelegationLength(requestedSeconds));
    }

    /** The user's active delegations to the agent for the portal: what a new approval replaces. */
    public List<Delegation> activeOf(UserModel user, String agentClientId, String portalClientId) {
        return delegations.findActive(realm, user.getId(), agentClientId, portalClientId, Time.currentTimeMillis());
    }

    /** The scopes the user's active delegations to the agent for the portal grant together. */
    public Scopes grantedScopes(UserModel user, String agentClientId, String portalClientId) {
        Set<String> granted = new LinkedHashSet<>();
        for (Delegation active :
                delegations.findActive(realm, user.getId(), agentClientId, portalClientId, Time.currentTimeMillis())) {
            granted.addAll(active.scopes().names());
        }
        return Scopes.of(granted);
    }

    /**
     * The user approved in Keycloak's UI: one delegation covering the union of what was requested and what active
     * delegations to the agent for that portal granted, which it replaces.
     */
    /**
     * The user approved: a delegation of what was granted and what is asked for now, replacing the ones it covers.
     * {@code keepsReplacedLimits}: the page kept what was left of their envelopes (the agent proposed none), counted
     * again here once they are ended, so that calls made while the user decided come off the new budget.
     */
    public Delegation grantByConsent(
            UserModel user,
            Agent agent,
            Terms terms,
            String purpose,
            String loginSessionId,
            String grantFlow,
            Envelope envelope,
            boolean keepsReplacedLimits) {
        checkUser(user);
        checkAgentEnabled(agent);
        Actor actor = Actor.user(user.getId());
        // Step-up: the new delegation covers what was granted and what is asked for now, and replaces the old ones.
        Scopes scopes =
                grantedScopes(user, agent.clientId(), terms.portalClientId()).union(terms.scopes());
        // Whatever can refuse the new delegation is checked before the ones it replaces end.
        Envelope bounded = withinDelegation(envelope, Time.currentTimeMillis() / 1000 + terms.delegationSeconds());
        // A key the replaced access was bound to binds the new one: a step-up never yields tokens without that key.
        String boundKey = null;
        for (Delegation replaced : delegations.findActive(
                realm, user.getId(), agent.clientId(), terms.portalClientId(), Time.currentTimeMillis())) {
            boundKey = boundKey == null ? replaced.dpopJkt() : boundKey;
            Delegation ended = revocation.revoke(replaced.id(), actor, "superseded");
            Integer budget = ended.envelope().budget();
            if (keepsReplacedLimits && budget != null && bounded.budget() != null) {
                bounded = bounded.withBudget(Math.min(bounded.budget(), Math.max(0, budget - ended.callsUsed())));
            }
        }
        if (grantFlow != null && loginSessionId != null) {
            // Keycloak keeps one client session per agent in a login session: an approval there takes it over, so the
            // standard-flow delegation it held (for another portal, say) can no longer be renewed, and ends now.
            for (Delegation heldSession : delegations.findActiveOfSession(loginSessionId)) {
                if (heldSession.isOfStandardFlow()
                        && heldSession.agentClientId().equals(agent.clientId())
                        && heldSession.realmId().equals(realm.getId())) {
                    revocation.revoke(heldSession.id(), actor, "superseded");
                }
            }
        }
        Delegation created = create(
                user,
                agent,
                terms.portalClientId(),
                scopes,
                terms.delegationSeconds(),
                actor,
                purpose,
                loginSessionId,
                grantFlow,
                bounded,
                boundKey);
        audit.record(
                AuditRecord.of(AuditAction.DELEGATION_CREATED, actor, created).detail(purpose));
        return created;
    }

    /** The user refused an agent's request: nothing is granted, the refusal is audited. */
    public void recordDenial(UserModel user, String agentClientId, Terms terms, String detail) {
        audit.record(AuditRecord.of(AuditAction.CONSENT_DENIED, Actor.user(user.getId()))
                .delegation(
                        null,
                        user.getId(),
                        agentClientId,
                        terms.portalClientId(),
                        terms.scopes().toString())
                .detail(detail));
    }

    /**
     * A trusted backend vouches that its user consented (the first Proxyme service's flow): reuses the user's active
     * delegation to the agent that covers the request, or creates one, and mints a token under it.
     */
    public Grant delegateForBackend(
            String backendClientId,
            UserModel user,
            Agent agent,
            Scopes scopes,
            String requestedPortal,
            Long requestedSeconds,
            Envelope envelope) {
        checkUser(user);
        checkAgentEnabled(agent);
        checkRegisteredScopes(agent, scopes);
        String portal = resolvePortal(agent, requestedPortal);
        long seconds = checkDelegationLength(requestedSeconds);
        Actor backend = Actor.backend(backendClientId);
        // A delegation the agent bound to its DPoP key yields tokens only to that key: the backend's token would be
        // refused, so it vouches for a delegation of its own.
        // A delegation with an envelope is a task of its own: it is never reused for another.
        Optional<Delegation> covering = covering(user, agent, portal, scopes)
                .filter(delegation ->
                        delegation.dpopJkt() == null && delegation.envelope().isEmpty() && envelope.isEmpty());
        if (covering.isPresent()) {
            return issue(covering.get(), agent, user, scopes, backend);
        }
        Delegation created = create(user, agent, portal, scopes, seconds, backend, null, null, null, envelope, null);
        audit.record(AuditRecord.of(AuditAction.DELEGATION_CREATED, backend, created));
        return issue(created, agent, user, scopes, backend);
    }

    /**
     * The agent asks for a fresh token under a delegation it holds, optionally narrowed to fewer scopes. Reads the
     * delegation without a lock: a revocation committed meanwhile makes the token inactive at its first check.
     */
    public Grant renew(Agent agent, String delegationId, Scopes narrowedScopes, String requestedPortal) {
        checkAgentEnabled(agent);
        Delegation delegation = delegations.find(realm, delegationId).orElseThrow(DelegationService::unknownDelegation);
        if (!delegation.agentClientId().equals(agent.clientId())) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.ACCESS_DENIED, "The delegation was granted to another agent");
        }
        checkStillActive(delegation);
        checkRenewableByItsId(delegation);
        boolean narrowed = narrowedScopes != null && !narrowedScopes.isEmpty();
        if (narrowed) {
            checkRegisteredScopes(agent, narrowedScopes);
        }
        // An administrator may have taken scopes from the agent since the user granted them: those are gone.
        Scopes scopes = narrowed ? narrowedScopes : delegation.scopes().intersection(agent.allowedScopes());
        if (scopes.isEmpty()) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.INVALID_SCOPE,
                    "The agent is no longer registered for any scope of the delegation");
        }
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
    public Grant renew(Agent agent, UserModel user, Scopes scopes, String requestedPortal) {
        checkUser(user);
        checkAgentEnabled(agent);
        checkRegisteredScopes(agent, scopes);
        String portal = resolvePortal(agent, requestedPortal);
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
        checkAgentEnabled(agent);
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
        Scopes scopes = delegation.scopes().intersection(agent.allowedScopes());
        if (scopes.isEmpty()) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.INVALID_SCOPE,
                    "The agent is no longer registered for any scope of the delegation");
        }
        checkStillRegistered(agent, delegation.portalClientId(), scopes);
        checkTokenRate(delegation.id());
        return checkKeyBinding(delegation);
    }

    /** The one record of a token Keycloak issued under a delegation (see {@link #issue}). */
    public void recordIssuedToken(
            Delegation delegation, String tokenId, long expiresAtSeconds, String scope, Actor actor) {
        String sourceAddress = session.getContext().getConnection() == null
                ? null
                : session.getContext().getConnection().getRemoteAddr();
        delegations.recordIssuedToken(new IssuedToken(
                tokenId, delegation.id(), Time.currentTimeMillis(), expiresAtSeconds, scope, actor, sourceAddress));
        if (Boolean.parseBoolean(realm.getAttribute(Proxyme.TOKEN_EVENTS_ATTRIBUTE))) {
            audit.report(AuditRecord.of(AuditAction.TOKEN_ISSUED, actor)
                    .delegation(
                            delegation.id(),
                            delegation.userId(),
                            delegation.agentClientId(),
                            delegation.portalClientId(),
                            scope));
        }
    }

    public Delegation find(String delegationId) {
        return delegations.find(realm, delegationId).orElseThrow(DelegationService::unknownDelegation);
    }

    /** The user's newest active delegation to the agent for the portal that covers the scopes. */
    private Optional<Delegation> covering(UserModel user, Agent agent, String portal, Scopes scopes) {
        return delegations.findActive(realm, user.getId(), agent.clientId(), portal, Time.currentTimeMillis()).stream()
                .filter(candidate -> !candidate.isOfStandardFlow())
                .filter(candidate -> candidate.scopes().covers(scopes))
                .findFirst();
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

    private static Envelope withinDelegation(Envelope envelope, long delegationEndSeconds) {
        try {
            return envelope.endingBy(delegationEndSeconds);
        } catch (IllegalArgumentException opensTooLate) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, opensTooLate.getMessage());
        }
    }

    private Delegation create(
            UserModel user,
            Agent agent,
            String portal,
            Scopes scopes,
            long seconds,
            Actor grantedBy,
            String purpose,
            String loginSessionId,
            String grantFlow,
            Envelope envelope,
            String boundKey) {
        long now = Time.currentTimeMillis();
        Envelope bounded = withinDelegation(envelope, now / 1000 + seconds);
        Delegation created = new Delegation(
                UUID.randomUUID().toString(),
                realm.getId(),
                user.getId(),
                agent.clientId(),
                portal,
                scopes,
                DelegationStatus.ACTIVE,
                now,
                now + seconds * 1000,
                null,
                null,
                grantedBy,
                purpose,
                loginSessionId,
                grantFlow,
                boundKey,
                bounded,
                0);
        delegations.create(created);
        return created;
    }

    /**
     * Mints under a delegation and writes the token's one record: no lock, no update of the delegation's row, no audit
     * row besides it (the trail shows the record as TOKEN_ISSUED). A Keycloak event per token only where the realm asks
     * ({@value Proxyme#TOKEN_EVENTS_ATTRIBUTE}): with events stored, it would be a second write.
     */
    private Grant issue(Delegation delegation, Agent agent, UserModel user, Scopes scopes, Actor actor) {
        checkStillRegistered(agent, delegation.portalClientId(), scopes);
        checkLoginSessionLasts(delegation);
        checkTokenRate(delegation.id());
        delegation = checkKeyBinding(delegation);
        EventBuilder event =
                new EventBuilder(realm, session, session.getContext().getConnection()).event(EventType.TOKEN_EXCHANGE);
        MintedToken token = new DelegationTokenMinter(session, realm)
                .mint(
                        agent.client(),
                        user,
                        delegation.portalClientId(),
                        scopes,
                        delegation.id(),
                        delegation.lastTokenSecond(),
                        event);
        recordIssuedToken(delegation, token.tokenId(), token.expiresAt(), token.scope(), actor);
        return new Grant(delegation, token);
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
    private static void checkTokenRate(String delegationId) {
        long now = Time.currentTimeMillis();
        if (!TOKENS_PER_DELEGATION.tryAcquire(
                delegationId, ProxymeSettings.current().maxTokensPerDelegationPerMinute(), now)) {
            throw ProxymeException.tooManyRequests(
                    "Too many tokens under this delegation: retry in " + RateLimit.secondsToNextWindow(now)
                            + " s (tokens live minutes: reuse them)",
                    RateLimit.secondsToNextWindow(now));
        }
    }

    /**
     * Every token is minted against what the agent is registered for now, not when the delegation began: an
     * administrator may since have taken the portal from the agent, or the portal's status from the client.
     */
    private void checkStillRegistered(Agent agent, String portal, Scopes scopes) {
        if (Portals.find(realm, portal).isEmpty() || !agent.allowsPortal(portal)) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.INVALID_TARGET,
                    "The agent is no longer registered for the delegation's portal: " + printable(portal));
        }
        if (!agent.allowedScopes().covers(scopes)) {
            throw ProxymeException.forbidden(
                    OAuthErrorException.INVALID_SCOPE,
                    "The agent is no longer registered for: "
                            + printable(String.join(" ", agent.allowedScopes().missingFrom(scopes))));
        }
    }

    /**
     * A delegation approved in a login session lasts as long as the session unless the realm says otherwise. Logout and
     * sign-out end it at once (lifecycle events); a session that merely expires sends no event, so renewal asks, and
     * the expiry task ends such delegations ({@link #endIfLoginSessionEnded}).
     */
    private void checkLoginSessionLasts(Delegation delegation) {
        if (loginSessionEnded(delegation)) {
            throw ProxymeException.forbidden(
                    ProxymeErrors.CONSENT_REQUIRED, "The login session in which the delegation was approved has ended");
        }
    }

    /** Ends the delegation when the login session in which it was approved no longer exists; true when it did. */
    public boolean endIfLoginSessionEnded(Delegation delegation) {
        if (!loginSessionEnded(delegation) || isStillLoggingIn(delegation)) {
            return false;
        }
        revocation.revoke(delegation.id(), Actor.SYSTEM, "login_session_ended");
        return true;
    }

    /**
     * Approved in a login that has not ended yet: required actions ordered after Proxyme's (setting up MFA, say) still
     * run, and Keycloak makes the login session only then, with the root authentication session's id. Such a delegation
     * grants nothing before, and its login session is not over: it has not begun.
     */
    private boolean isStillLoggingIn(Delegation delegation) {
        return delegation.isOfStandardFlow()
                && session.sessions().getUserSession(realm, delegation.grantedSessionId()) == null
                && session.authenticationSessions().getRootAuthenticationSession(realm, delegation.grantedSessionId())
                        != null;
    }

    private boolean loginSessionEnded(Delegation delegation) {
        if (delegation.grantedSessionId() == null) {
            return false;
        }
        if (delegation.isOfStandardFlow()) {
            return !DelegationTokenVerifier.isInItsClientSession(session, realm, delegation);
        }
        return !Boolean.parseBoolean(realm.getAttribute(Proxyme.OUTLIVE_LOGIN_ATTRIBUTE))
                && session.sessions().getUserSession(realm, delegation.grantedSessionId()) == null;
    }

    private static void checkStillActive(Delegation delegation) {
        if (!delegation.isActiveAt(Time.currentTimeMillis())) {
            throw ProxymeException.forbidden(ProxymeErrors.CONSENT_REQUIRED, "The delegation has ended");
        }
    }

    private static void checkUser(UserModel user) {
        if (!user.isEnabled()) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "The user is disabled");
        }
        if (user.getServiceAccountClientLink() != null) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "A service account cannot delegate");
        }
    }

    private static void checkAgentEnabled(Agent agent) {
        if (!agent.client().isEnabled()) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "The agent is disabled");
        }
    }

    private static void checkRegisteredScopes(Agent agent, Scopes scopes) {
        if (scopes.isEmpty()) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_SCOPE, "At least one scope is required");
        }
        if (!agent.allowedScopes().covers(scopes)) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_SCOPE,
                    "The agent is not registered for: "
                            + printable(String.join(" ", agent.allowedScopes().missingFrom(scopes))));
        }
    }

    /** RFC 8707-style target: the portal named, or the agent's only portal when it may access exactly one. */
    private String resolvePortal(Agent agent, String requestedPortal) {
        if (requestedPortal == null) {
            if (agent.allowedPortals().size() == 1) {
                return agent.allowedPortals().iterator().next();
            }
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_TARGET,
                    "'portal' is required: the agent may access more than one portal");
        }
        if (Portals.find(realm, requestedPortal).isEmpty()) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_TARGET, "Unknown portal: " + printable(requestedPortal));
        }
        if (!agent.allowsPortal(requestedPortal)) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_TARGET,
                    "The agent is not registered for portal: " + printable(requestedPortal));
        }
        return requestedPortal;
    }

    private static long checkDelegationLength(Long requestedSeconds) {
        ProxymeSettings settings = ProxymeSettings.current();
        if (requestedSeconds == null) {
            return settings.defaultDelegationSeconds();
        }
        if (requestedSeconds < settings.minDelegationSeconds() || requestedSeconds > settings.maxDelegationSeconds()) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_REQUEST,
                    "'expires_in' must be between " + settings.minDelegationSeconds() + " and "
                            + settings.maxDelegationSeconds() + " seconds");
        }
        return requestedSeconds;
    }

    private static ProxymeException unknownDelegation() {
        return ProxymeException.notFound(ProxymeErrors.NOT_FOUND, "Unknown delegation");
    }
}
