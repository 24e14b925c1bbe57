package dev.proxyme.delegation;

import java.util.List;
import java.util.UUID;

import dev.proxyme.OAuthErrors;
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

    public static final long DEFAULT_DELEGATION_SECONDS = 3600;
    public static final long MIN_DELEGATION_SECONDS = 60;
    public static final long MAX_DELEGATION_SECONDS = 24 * 3600;

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
                DelegationEntity locked = lockActive(candidate.getId());
                return issue(locked, agent, user, scopes, backend);
            }
        }

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
        created.setGrantedByType(backend.type().name());
        created.setGrantedById(backend.id());
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
        Scopes scopes = narrowedScopes == null || narrowedScopes.isEmpty() ? granted : narrowedScopes;
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
                return issue(lockActive(candidate.getId()), agent, user, scopes, Actor.agent(agent.clientId()));
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

    /** Mints under a delegation whose row lock this transaction holds (or which it created). */
    private Grant issue(DelegationEntity delegation, Agent agent, UserModel user, Scopes scopes, Actor actor) {
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.TOKEN_EXCHANGE);
        MintedToken token = new DelegationTokenMinter(session, realm).mint(agent.client(), user,
                delegation.getPortalClientId(), scopes, delegation.getId(), delegation.getExpiresAt() / 1000, event);

        IssuedTokenEntity issued = new IssuedTokenEntity();
        issued.setTokenId(token.tokenId());
        issued.setDelegationId(delegation.getId());
        issued.setIssuedAt(token.issuedAt());
        issued.setExpiresAt(token.expiresAt());
        store.insert(issued);
        delegation.setTokensIssued(delegation.getTokensIssued() + 1);
        delegation.setLastTokenAt(Time.currentTimeMillis());

        audit.record(recordOf(AuditAction.TOKEN_ISSUED, actor, delegation)
                .delegation(delegation.getId(), delegation.getUserId(), delegation.getAgentClientId(),
                        delegation.getPortalClientId(), token.scope()));
        return new Grant(Delegation.of(delegation), token);
    }

    private DelegationEntity lockActive(String delegationId) {
        DelegationEntity delegation = store.lock(realm.getId(), delegationId)
                .orElseThrow(() -> ProxymeException.forbidden(OAuthErrors.CONSENT_REQUIRED, "The delegation has ended"));
        checkStillActive(delegation);
        return delegation;
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
        if (requestedSeconds == null) {
            return DEFAULT_DELEGATION_SECONDS;
        }
        if (requestedSeconds < MIN_DELEGATION_SECONDS || requestedSeconds > MAX_DELEGATION_SECONDS) {
            throw ProxymeException.badRequest(OAuthErrors.INVALID_REQUEST, "'expires_in' must be between "
                    + MIN_DELEGATION_SECONDS + " and " + MAX_DELEGATION_SECONDS + " seconds");
        }
        return requestedSeconds;
    }

    private static AuditRecord recordOf(AuditAction action, Actor actor, DelegationEntity delegation) {
        return AuditRecord.of(action, actor).delegation(delegation.getId(), delegation.getUserId(),
                delegation.getAgentClientId(), delegation.getPortalClientId(), delegation.getScopes());
    }
}
