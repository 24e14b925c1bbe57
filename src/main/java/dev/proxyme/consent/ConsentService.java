package dev.proxyme.consent;

import java.util.Locale;

import org.keycloak.OAuthErrorException;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import dev.proxyme.ProxymeException;
import dev.proxyme.ProxymeSettings;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.delegation.DelegationService;
import dev.proxyme.delegation.RateLimit;
import dev.proxyme.model.Actor;
import dev.proxyme.model.Agent;
import dev.proxyme.model.AuditAction;
import dev.proxyme.model.AuditRecord;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.DisplayText;
import dev.proxyme.model.Envelope;
import dev.proxyme.model.Scopes;

/**
 * Agent-initiated delegation, in the style of the OAuth device grant (RFC 8628): the agent asks, the user decides in
 * Keycloak's UI, the agent polls for the outcome.
 */
public class ConsentService {

    public static final int MAX_PURPOSE_LENGTH = 200;
    /** Pending requests live in the cluster's single-use store: an agent may not fill it. */
    private static final RateLimit REQUESTS_PER_AGENT = new RateLimit();

    private static final int MAX_USER_HINT_LENGTH = 255;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final DelegationRequests requests;
    private final DelegationService delegations;

    public ConsentService(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.requests = new DelegationRequests(session, realm);
        this.delegations = new DelegationService(session, realm);
    }

    /** Outcome of an agent's poll: a token under the approved delegation. */
    public DelegationService.Grant poll(Agent agent, String requestId) {
        DelegationRequest request = requests.byId(requestId)
                .orElseThrow(() -> ProxymeException.badRequest(
                        OAuthErrorException.EXPIRED_TOKEN, "The delegation request has expired or is unknown"));
        if (!request.agentClientId().equals(agent.clientId())) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_GRANT, "The delegation request was made by another agent");
        }
        if (!requests.allowPoll(request)) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.SLOW_DOWN,
                    "Poll at most every " + DelegationRequests.POLL_INTERVAL_SECONDS + " seconds");
        }
        DelegationRequests.Decision decision = requests.decisionOf(request)
                .orElseThrow(() -> ProxymeException.badRequest(
                        OAuthErrorException.AUTHORIZATION_PENDING, "The user has not decided yet"));
        if (!decision.approved()) {
            finish(request);
            throw ProxymeException.badRequest(OAuthErrorException.ACCESS_DENIED, "The user denied the request");
        }
        // The token first: a poll it refuses (a DPoP-bound delegation polled without the key's proof, say) leaves the
        // outcome to a poll that can take it. A token minted for a poll that then loses the race is rolled back.
        DelegationService.Grant grant = delegations.renew(agent, decision.delegationId(), null, null);
        finish(request);
        return grant;
    }

    private void finish(DelegationRequest request) {
        if (!requests.finish(request)) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.EXPIRED_TOKEN, "The outcome of this request was already delivered");
        }
    }

    public DelegationRequest request(
            Agent agent,
            Scopes scopes,
            String portal,
            String purpose,
            String userHint,
            Long delegationSeconds,
            Envelope envelope) {
        if (purpose == null || purpose.length() > MAX_PURPOSE_LENGTH || !DisplayText.isPlain(purpose)) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_REQUEST,
                    "'purpose' is required: 1 to " + MAX_PURPOSE_LENGTH + " printable characters shown to the user");
        }
        if (userHint != null && userHint.length() > MAX_USER_HINT_LENGTH) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "'user' is too long");
        }
        long now = Time.currentTimeMillis();
        if (!REQUESTS_PER_AGENT.tryAcquire(
                agent.clientId(), ProxymeSettings.current().maxRequestsPerAgentPerMinute(), now)) {
            throw ProxymeException.tooManyRequests(
                    "Too many delegation requests from this agent: retry in " + RateLimit.secondsToNextWindow(now)
                            + " s",
                    RateLimit.secondsToNextWindow(now));
        }
        DelegationService.Terms terms = delegations.checkTerms(agent, scopes, portal, delegationSeconds);
        DelegationRequest request = requests.create(
                agent.clientId(),
                terms.portalClientId(),
                terms.scopes(),
                purpose.strip(),
                userHint,
                terms.delegationSeconds(),
                envelope);
        new AuditLog(session, realm)
                .record(AuditRecord.of(AuditAction.DELEGATION_REQUESTED, Actor.agent(agent.clientId()))
                        .delegation(
                                null,
                                null,
                                agent.clientId(),
                                terms.portalClientId(),
                                terms.scopes().toString())
                        .detail("request " + request.id()));
        return request;
    }

    /** Whether the request names a user (by username or email) other than the one logged in. */
    public static boolean isForAnotherUser(DelegationRequest request, UserModel user) {
        String hint = request.userHint();
        if (hint == null) {
            return false;
        }
        String normalized = hint.strip().toLowerCase(Locale.ROOT);
        return !normalized.equals(user.getUsername().toLowerCase(Locale.ROOT))
                && (user.getEmail() == null
                        || !normalized.equals(user.getEmail().toLowerCase(Locale.ROOT)));
    }

    /** What the user's active delegations to this agent for this portal already grant (step-up shows it). */
    public Scopes alreadyGranted(UserModel user, DelegationRequest request) {
        return delegations.grantedScopes(user, request.agentClientId(), request.portalClientId());
    }

    /**
     * The user approved. The decision is claimed first, so that of two forms of one request posted at once only one
     * grants or revokes anything; then the delegation is created (replacing what it steps up from) and Keycloak's
     * consent mirrors it; the agent's next poll gets a token once the transaction has committed. A request that can
     * no longer be granted (its agent disabled, say) is recorded as denied.
     *
     * @throws AlreadyDecidedException when another decision claimed the request first
     */
    public Delegation approve(
            UserModel user, String loginSessionId, DelegationRequest request, Envelope approvedEnvelope) {
        claim(request);
        try {
            Agent agent = agentOf(request);
            Delegation delegation = delegations.grantByConsent(
                    user,
                    agent,
                    terms(request),
                    request.purpose(),
                    loginSessionId,
                    null,
                    approvedEnvelope,
                    request.envelope().isEmpty());
            KeycloakConsentMirror.mirror(session, realm, user, agent.client(), delegation.scopes());
            requests.recordApprovalOnCommit(session, request, delegation.id());
            return delegation;
        } catch (ProxymeException cannotBeGranted) {
            requests.recordDecision(request, new DelegationRequests.Decision(false, null));
            throw cannotBeGranted;
        }
    }

    /** The user denied: nothing is granted, and nothing a step-up would have replaced is touched. */
    public void deny(UserModel user, DelegationRequest request) {
        claim(request);
        requests.recordDecision(request, new DelegationRequests.Decision(false, null));
        delegations.recordDenial(user, request.agentClientId(), terms(request), "request " + request.id());
    }

    private void claim(DelegationRequest request) {
        if (!requests.claimDecision(request)) {
            throw new AlreadyDecidedException();
        }
    }

    public Agent agentOf(DelegationRequest request) {
        return Agent.of(realm.getClientByClientId(request.agentClientId()))
                .filter(agent -> agent.client().isEnabled())
                .orElseThrow(() -> ProxymeException.badRequest(
                        OAuthErrorException.INVALID_REQUEST, "The agent is no longer registered"));
    }

    private static DelegationService.Terms terms(DelegationRequest request) {
        return new DelegationService.Terms(request.portalClientId(), request.scopes(), request.delegationSeconds());
    }

    public DelegationRequests requests() {
        return requests;
    }
}
