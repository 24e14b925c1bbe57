package dev.proxyme.delegation;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.proxyme.OAuthErrors;
import dev.proxyme.ProxymeSettings;
import dev.proxyme.ProxymeException;
import dev.proxyme.agent.Agent;
import dev.proxyme.agent.Portals;
import dev.proxyme.audit.Actor;
import dev.proxyme.audit.AuditAction;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.audit.AuditRecord;
import dev.proxyme.store.DelegationEntity;
import dev.proxyme.store.DelegationStore;
import dev.proxyme.store.IssuedTokenEntity;
import dev.proxyme.token.DelegationTokenMinter;
import dev.proxyme.token.MintedToken;
import org.keycloak.common.util.Time;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import static dev.proxyme.ProxymeException.printable;

/**
 * The rules of delegation: who may obtain a token for whom, under which delegation, and how a delegation ends. Every
 * path that creates, renews or ends a delegation goes through here, and each leaves an audit record.
 */
public class DelegationService {

    private static final RateLimit TOKENS_PER_DELEGATION = new RateLimit();

    private final KeycloakSession session;
    private final RealmModel realm;
    private final DelegationStore store;
    private final AuditLog audit;

    public DelegationService(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.store = new DelegationStore(session);
        this.audit = new AuditLog(session, realm);
    }

    /** A token issued under a delegation. */
    public record Grant(Delegation delegation, MintedToken token) {
    }

    /** What an agent may ask a user for: checked against its registration, with the portal resolved. */
    public record Terms(String portalClientId, Scopes scopes, long delegationSeconds) {
    }

    /** Checks an agent's request for consent against what the agent was registered for. */
    public Terms checkTerms(Agent agent, Scopes scopes, String requestedPortal, Long requestedSeconds) {
        checkAgentEnabled(agent);
        checkRegisteredScopes(agent, scopes);
        return new Terms(resolvePortal(agent, requestedPortal), scopes, checkDelegationLength(requestedSeconds));
    }

    /** The scopes the user's active delegations to the agent for the portal grant together. */
    public Scopes grantedScopes(UserModel user, String agentClientId, String portalClientId) {
        Set<String> granted = new LinkedHashSet<>();
        for (DelegationEntity active : store.findActive(realm.getId(), user.getId(), agentClientId, portalClientId,
                Time.currentTimeMillis())) {
            granted.addAll(Scopes.parse(active.getScopes()).names());
        }
        return Scopes.of(granted);
    }

    /**
     * The user approved in Keycloak's UI: one delegation covering the union of what was requested and what active
     * delegations to the agent for that portal granted, which it replaces.
     */
    public Delegation grantByConsent(UserModel user, Agent agent, Terms terms, String purpose, String loginSessionId) {
        checkUser(user);
        checkAgentEnabled(agent);
        Actor actor = Actor.user(user.getId());
        // Step-up: the new delegation covers what was granted and what is asked for now, and replaces the old ones.
        Scopes scopes = grantedScopes(user, agent.clientId(), terms.portalClientId()).union(terms.scopes());
        long now = Time.currentTimeMillis();
        for (DelegationEntity replaced : store.findActive(realm.getId(), user.getId(), agent.clientId(),
                terms.portalClientId(), now)) {
            revoke(replaced.getId(), actor, "superseded");
        }
        DelegationEntity created = newDelegation(user, agent, terms.portalClientId(), scopes, terms.delegationSeconds(), actor);
        created.setPurpose(purpose);
        created.setGrantedSessionId(loginSessionId);
        store.insert(created);
        audit.record(recordOf(AuditAction.DELEGATION_CREATED, actor, created).detail(purpose));
        return Delegation.of(created);
    }

    /** The user refused an agent's request: nothing is granted, the refusal is audited. */
    public void recordDenial(UserModel user, String agentClientId, Terms terms, String requestId) {
        audit.record(AuditRecord.of(AuditAction.CONSENT_DENIED, Actor.user(user.getId()))
                .delegation(null, user.getId(), agentClientId, terms.portalClientId(), terms.scopes().toString())
                .detail("request " + requestId));
    }

    /**
     * A trusted backend vouches that its user consented (the first Proxyme service's flow): reuses the user's active
     * delegation to the agent that covers the request, or creates one, and mints a token under it.
     */
    public Grant delegateForBackend(String backendClientId, UserModel user, Agent agent, Scopes scopes,
                                    String requestedPortal, Long requestedSeconds) {
        checkUser(user);
        checkAgentEnabled(agent);
        checkRegisteredScopes(agent, scopes);
        String portal = resolvePortal(agent, requestedPortal);
        long seconds = checkDelegationLength(requestedSeconds);
        Actor backend = Actor.backend(backendClientId);

        long now = Time.currentTimeMillis();
        for (DelegationEntity candidate : store.findActive(realm.getId(), user.getId(), agent.clientId(), portal, now)) {
            if (Scopes.parse(candidate.getScopes()).covers(scopes)) {
                return issue(lockActive(candidate), agent, user, scopes, backend);
            }
        }

        DelegationEntity created = newDelegation(user, agent, portal, scopes, seconds, backend);
        store.insert(created);
        audit.record(recordOf(AuditAction.DELEGATION_CREATED, backend, created));
        // Nobody else can see the new row before this transaction commits: no lock needed to mint under it.
        return issue(created, agent, user, scopes, backend);
    }

    /** The agent asks for a fresh token under a delegation it holds, optionally narrowed to fewer scopes. */
    public Grant renew(Agent agent, String delegationId, Scopes narrowedScopes, String requestedPortal) {
        checkAgentEnabled(agent);
        DelegationEntity delegation = store.lock(realm.getId(), delegationId)
                .orElseThrow(() -> ProxymeException.notFound(OAuthErrors.NOT_FOUND, "Unknown delegation"));
        if (!delegation.getAgentClientId().equals(agent.clientId())) {
            throw ProxymeException.forbidden(OAuthErrors.ACCESS_DENIED, "The delegation was granted to another agent");
        }
        checkStillActive(delegation);
        Scopes granted = Scopes.parse(delegation.getScopes());
        // An administrator may have taken scopes from the agent since the user granted them: those are gone.
        Scopes scopes = narrowedScopes == null || narrowedScopes.isEmpty() ? granted.intersection(agent.allowedScopes()) : narrowedScopes;
        if (narrowedScopes != null && !narrowedScopes.isEmpty()) {
            checkRegisteredScopes(agent, narrowedScopes);
        }
        if (scopes.isEmpty()) {
            throw ProxymeException.forbidden(OAuthErrors.INVALID_SCOPE, "The agent is no longer registered for any scope of the delegation");
        }
        if (!granted.covers(scopes)) {
            throw ProxymeException.forbidden(OAuthErrors.INVALID_SCOPE,
                    "The delegation does not grant: " + printable(String.join(" ", granted.missingFrom(scopes))));
        }
        if (requestedPortal != null && !requestedPortal.equals(delegation.getPortalClientId())) {
            throw ProxymeException.forbidden(OAuthErrors.INVALID_TARGET, "The delegation is for another portal");
        }
        UserModel user = session.users().getUserById(realm, delegation.getUserId());
        if (user == null || !user.isEnabled()) {
            throw ProxymeException.forbidden(OAuthErrors.CONSENT_REQUIRED, "The delegating user is no longer active");
        }
        return issue(delegation, agent, user, scopes, Actor.agent(agent.clientId()));
    }

    /** The agent asks for a token for a user without naming the delegation: one active delegation must cover it. */
    public Grant renew(Agent agent, UserModel user, Scopes scopes, String requestedPortal) {
        checkUser(user);
        checkAgentEnabled(agent);
        checkRegisteredScopes(agent, scopes);
        String portal = resolvePortal(agent, requestedPortal);
        List<DelegationEntity> active = store.findActive(realm.getId(), user.getId(), agent.clientId(), portal,
                Time.currentTimeMillis());
        for (DelegationEntity candidate : active) {
            if (Scopes.parse(candidate.getScopes()).covers(scopes)) {
                return issue(lockActive(candidate), agent, user, scopes, Actor.agent(agent.clientId()));
            }
        }
        throw ProxymeException.forbidden(OAuthErrors.CONSENT_REQUIRED,
                "No active delegation of this user covers the requested scopes and portal");
    }

    /**
     * Ends a delegation and revokes every token minted under it. Idempotent: revoking an ended delegation changes
     * nothing and succeeds.
     */
    public Delegation revoke(String delegationId, Actor actor, String reason) {
        DelegationEntity delegation = store.lock(realm.getId(), delegationId)
                .orElseThrow(() -> ProxymeException.notFound(OAuthErrors.NOT_FOUND, "Unknown delegation"));
        if (DelegationStatus.ACTIVE.name().equals(delegation.getStatus())) {
            delegation.setStatus(DelegationStatus.REVOKED.name());
            delegation.setEndedAt(Time.currentTimeMillis());
            delegation.setEndReason(reason);
            audit.record(recordOf(AuditAction.DELEGATION_REVOKED, actor, delegation).detail(reason));
        }
        revokeIssuedTokens(delegation.getId());
        return Delegation.of(delegation);
    }

    /** Ends every active delegation of the user to the agent, e.g. when the user revokes the agent in Keycloak. */
    public List<Delegation> revokeAll(String userId, String agentClientId, Actor actor, String reason) {
        return revokeEach(store.findActive(realm.getId(), userId, agentClientId), actor, reason);
    }

    /** Ends every active delegation of a user: signed out by an admin, disabled, deleted, or their own "revoke all". */
    public List<Delegation> revokeAllOfUser(String userId, Actor actor, String reason) {
        return revokeEach(store.findActiveOfUser(realm.getId(), userId), actor, reason);
    }

    /** Ends every active delegation to an agent: the kill switch, and what disabling or deleting the agent does. */
    public List<Delegation> revokeAllOfAgent(String agentClientId, Actor actor, String reason) {
        return revokeEach(store.findActiveOfAgent(realm.getId(), agentClientId), actor, reason);
    }

    /** Ends the delegations a user approved in a Keycloak login session that has just ended. */
    public List<Delegation> revokeGrantedInSession(String sessionId, Actor actor, String reason) {
        return revokeEach(store.findActiveOfSession(sessionId).stream()
                .filter(delegation -> delegation.getRealmId().equals(realm.getId())).toList(), actor, reason);
    }

    /** Ends the delegations approved in any Keycloak login session: an administrator signed out every session. */
    public List<Delegation> revokeAllGrantedInSessions(Actor actor, String reason) {
        return revokeEach(store.findActiveGrantedInSessions(realm.getId()), actor, reason);
    }

    /**
     * Marks a delegation past its end time as expired. Its tokens need no revocation: none outlives its delegation.
     * False when it had already ended some other way.
     */
    public boolean expire(String delegationId) {
        Optional<DelegationEntity> locked = store.lock(realm.getId(), delegationId);
        if (locked.isEmpty() || !DelegationStatus.ACTIVE.name().equals(locked.get().getStatus())
                || locked.get().getExpiresAt() > Time.currentTimeMillis()) {
            return false;
        }
        DelegationEntity delegation = locked.get();
        delegation.setStatus(DelegationStatus.EXPIRED.name());
        delegation.setEndedAt(delegation.getExpiresAt());
        delegation.setEndReason("expired");
        audit.record(recordOf(AuditAction.DELEGATION_EXPIRED, Actor.SYSTEM, delegation).detail("expired"));
        return true;
    }

    private List<Delegation> revokeEach(List<DelegationEntity> delegations, Actor actor, String reason) {
        return delegations.stream().map(delegation -> revoke(delegation.getId(), actor, reason)).toList();
    }

    public Delegation find(String delegationId) {
        return store.find(realm.getId(), delegationId).map(Delegation::of)
                .orElseThrow(() -> ProxymeException.notFound(OAuthErrors.NOT_FOUND, "Unknown delegation"));
    }

    /** Keycloak's introspection consults the revoked-token store: this is what makes every token inactive at once. */
    private void revokeIssuedTokens(String delegationId) {
        long nowSeconds = Time.currentTime();
        for (IssuedTokenEntity token : store.findUnexpiredTokens(delegationId, nowSeconds)) {
            session.revokedTokens().put(token.getTokenId(), Math.max(1, token.getExpiresAt() - nowSeconds));
        }
    }

    private DelegationEntity newDelegation(UserModel user, Agent agent, String portal, Scopes scopes, long seconds,
                                           Actor grantedBy) {
        long now = Time.currentTimeMillis();
        DelegationEntity created = new DelegationEntity();
        created.setId(UUID.randomUUID().toString());
        created.setRealmId(realm.getId());
        created.setUserId(user.getId());
        created.setAgentClientId(agent.clientId());
        created.setPortalClientId(portal);
        created.setScopes(scopes.toString());
        created.setStatus(DelegationStatus.ACTIVE.name());
        created.setCreatedAt(now);
        created.setExpiresAt(now + seconds * 1000);
        created.setGrantedByType(grantedBy.type().name());
        created.setGrantedById(grantedBy.id());
        return created;
    }

    /** Mints under a delegation whose row lock this transaction holds (or which it created). */
    private Grant issue(DelegationEntity delegation, Agent agent, UserModel user, Scopes scopes, Actor actor) {
        checkStillRegistered(agent, delegation.getPortalClientId(), scopes);
        checkTokenRate(delegation.getId());
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.TOKEN_EXCHANGE);
        // Keycloak deems a token active while the current second is <= exp: the last second a token may cover is the
        // one before the delegation's end, so that no token outlives its delegation, even by a fraction of a second.
        long lastSecond = Math.floorDiv(delegation.getExpiresAt(), 1000) - 1;
        MintedToken token = new DelegationTokenMinter(session, realm).mint(agent.client(), user,
                delegation.getPortalClientId(), scopes, delegation.getId(), lastSecond, event);

        IssuedTokenEntity issued = new IssuedTokenEntity();
        issued.setTokenId(token.tokenId());
        issued.setDelegationId(delegation.getId());
        issued.setIssuedAt(token.issuedAt());
        issued.setExpiresAt(token.expiresAt());
        store.insert(issued);
        delegation.setTokensIssued(delegation.getTokensIssued() + 1);
        delegation.setLastTokenAt(Time.currentTimeMillis());

        audit.record(AuditRecord.of(AuditAction.TOKEN_ISSUED, actor).delegation(delegation.getId(),
                delegation.getUserId(), delegation.getAgentClientId(), delegation.getPortalClientId(), token.scope()));
        return new Grant(Delegation.of(delegation), token);
    }

    private DelegationEntity lockActive(DelegationEntity alreadyRead) {
        DelegationEntity delegation = store.lock(alreadyRead);
        checkStillActive(delegation);
        return delegation;
    }

    /** A misbehaving agent renewing in a loop must not fill the database with token records. */
    private static void checkTokenRate(String delegationId) {
        long now = Time.currentTimeMillis();
        if (!TOKENS_PER_DELEGATION.tryAcquire(delegationId, ProxymeSettings.current().maxTokensPerDelegationPerMinute(), now)) {
            throw ProxymeException.tooManyRequests("Too many tokens under this delegation: retry in "
                    + RateLimit.secondsToNextWindow(now) + " s (tokens live minutes: reuse them)", RateLimit.secondsToNextWindow(now));
        }
    }

    /**
     * Every token is minted against what the agent is registered for now, not when the delegation began: an
     * administrator may since have taken the portal from the agent, or the portal's status from the client.
     */
    private void checkStillRegistered(Agent agent, String portal, Scopes scopes) {
        if (Portals.find(realm, portal).isEmpty() || !agent.allowsPortal(portal)) {
            throw ProxymeException.forbidden(OAuthErrors.INVALID_TARGET,
                    "The agent is no longer registered for the delegation's portal: " + printable(portal));
        }
        if (!agent.allowedScopes().covers(scopes)) {
            throw ProxymeException.forbidden(OAuthErrors.INVALID_SCOPE, "The agent is no longer registered for: "
                    + printable(String.join(" ", agent.allowedScopes().missingFrom(scopes))));
        }
    }

    private static void checkStillActive(DelegationEntity delegation) {
        if (!Delegation.of(delegation).isActiveAt(Time.currentTimeMillis())) {
            throw ProxymeException.forbidden(OAuthErrors.CONSENT_REQUIRED, "The delegation has ended");
        }
    }

    private static void checkUser(UserModel user) {
        if (!user.isEnabled()) {
            throw ProxymeException.badRequest(OAuthErrors.INVALID_REQUEST, "The user is disabled");
        }
        if (user.getServiceAccountClientLink() != null) {
            throw ProxymeException.badRequest(OAuthErrors.INVALID_REQUEST, "A service account cannot delegate");
        }
    }

    private static void checkAgentEnabled(Agent agent) {
        if (!agent.client().isEnabled()) {
            throw ProxymeException.badRequest(OAuthErrors.INVALID_REQUEST, "The agent is disabled");
        }
    }

    private static void checkRegisteredScopes(Agent agent, Scopes scopes) {
        if (scopes.isEmpty()) {
            throw ProxymeException.badRequest(OAuthErrors.INVALID_SCOPE, "At least one scope is required");
        }
        if (!agent.allowedScopes().covers(scopes)) {
            throw ProxymeException.badRequest(OAuthErrors.INVALID_SCOPE, "The agent is not registered for: "
                    + printable(String.join(" ", agent.allowedScopes().missingFrom(scopes))));
        }
    }

    /** RFC 8707-style target: the portal named, or the agent's only portal when it may access exactly one. */
    private String resolvePortal(Agent agent, String requestedPortal) {
        if (requestedPortal == null) {
            if (agent.allowedPortals().size() == 1) {
                return agent.allowedPortals().iterator().next();
            }
            throw ProxymeException.badRequest(OAuthErrors.INVALID_TARGET,
                    "'portal' is required: the agent may access more than one portal");
        }
        if (Portals.find(realm, requestedPortal).isEmpty()) {
            throw ProxymeException.badRequest(OAuthErrors.INVALID_TARGET, "Unknown portal: " + printable(requestedPortal));
        }
        if (!agent.allowsPortal(requestedPortal)) {
            throw ProxymeException.badRequest(OAuthErrors.INVALID_TARGET,
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
            throw ProxymeException.badRequest(OAuthErrors.INVALID_REQUEST, "'expires_in' must be between "
                    + settings.minDelegationSeconds() + " and " + settings.maxDelegationSeconds() + " seconds");
        }
        return requestedSeconds;
    }

    private static AuditRecord recordOf(AuditAction action, Actor actor, DelegationEntity delegation) {
        return AuditRecord.of(action, actor).delegation(delegation.getId(), delegation.getUserId(),
                delegation.getAgentClientId(), delegation.getPortalClientId(), delegation.getScopes());
    }
}
