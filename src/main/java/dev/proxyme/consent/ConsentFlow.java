package dev.proxyme.consent;

import java.util.Locale;
import java.util.Map;

import org.keycloak.OAuthErrorException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import dev.proxyme.ProxymeException;
import dev.proxyme.ProxymeNode;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.clients.Agent;
import dev.proxyme.clients.AgentTerms;
import dev.proxyme.clients.AgentTerms.Terms;
import dev.proxyme.delegation.Approval;
import dev.proxyme.delegation.ConsentGrants;
import dev.proxyme.delegation.DelegatedToken;
import dev.proxyme.delegation.TokenIssuance;
import dev.proxyme.model.Actor;
import dev.proxyme.model.AuditAction;
import dev.proxyme.model.AuditRecord;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.Envelope;
import dev.proxyme.model.Scopes;
import dev.proxyme.model.StepUp;
import dev.proxyme.sessions.KeycloakConsentMirror;

/**
 * Agent-initiated delegation, in the style of the OAuth device grant (RFC 8628): the agent asks, the user decides in
 * Keycloak's UI, the agent polls for the outcome.
 */
public class ConsentFlow {

    private static final int MAX_USER_HINT_LENGTH = 255;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final PendingRequests requests;

    public ConsentFlow(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.requests = new PendingRequests(session, realm);
    }

    /** Outcome of an agent's poll: a token under the approved delegation. */
    public DelegatedToken poll(Agent agent, String requestId) {
        PendingRequest request = requests.byId(requestId)
                .orElseThrow(() -> ProxymeException.badRequest(
                        OAuthErrorException.EXPIRED_TOKEN, "The delegation request has expired or is unknown"));
        if (!request.agentClientId().equals(agent.clientId())) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.INVALID_GRANT, "The delegation request was made by another agent");
        }
        if (!requests.allowPoll(request)) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.SLOW_DOWN,
                    "Poll at most every " + PendingRequests.POLL_INTERVAL_SECONDS + " seconds");
        }
        PendingRequests.Decision decision = requests.decisionOf(request)
                .orElseThrow(() -> ProxymeException.badRequest(
                        OAuthErrorException.AUTHORIZATION_PENDING, "The user has not decided yet"));
        if (!decision.approved()) {
            finish(request);
            throw ProxymeException.badRequest(OAuthErrorException.ACCESS_DENIED, "The user denied the request");
        }
        // The token first: a poll it refuses (a DPoP-bound delegation polled without the key's proof, say) leaves the
        // outcome to a poll that can take it. A token minted for a poll that then loses the race is rolled back.
        DelegatedToken token = new TokenIssuance(session, realm).renew(agent, decision.delegationId(), null, null);
        finish(request);
        return token;
    }

    private void finish(PendingRequest request) {
        if (!requests.finish(request)) {
            throw ProxymeException.badRequest(
                    OAuthErrorException.EXPIRED_TOKEN, "The outcome of this request was already delivered");
        }
    }

    /** An agent asks a user for a delegation: checked against its registration, kept until the user decides. */
    public PendingRequest request(
            Agent agent,
            Scopes scopes,
            String portal,
            String purpose,
            String userHint,
            Long delegationSeconds,
            Envelope envelope) {
        String checkedPurpose = Purpose.required(purpose);
        if (userHint != null && userHint.length() > MAX_USER_HINT_LENGTH) {
            throw ProxymeException.badRequest(OAuthErrorException.INVALID_REQUEST, "'user' is too long");
        }
        // Pending requests live in the cluster's single-use store: an agent may not fill it.
        ProxymeNode node = ProxymeNode.of(session);
        node.requestsPerAgent().acquire(agent.clientId(), "Too many delegation requests from this agent", null);
        Terms terms = AgentTerms.of(realm, agent, scopes, portal, node.settings(), delegationSeconds);
        PendingRequest request = requests.create(agent.clientId(), terms, checkedPurpose, userHint, envelope);
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
    public static boolean isForAnotherUser(PendingRequest request, UserModel user) {
        String hint = request.userHint();
        if (hint == null) {
            return false;
        }
        String normalized = hint.strip().toLowerCase(Locale.ROOT);
        return !normalized.equals(user.getUsername().toLowerCase(Locale.ROOT))
                && (user.getEmail() == null
                        || !normalized.equals(user.getEmail().toLowerCase(Locale.ROOT)));
    }

    /** The step-up approving this request would be, for the page and the decision alike. */
    public StepUp stepUpOf(UserModel user, PendingRequest request) {
        return new ConsentGrants(session, realm)
                .stepUpOf(user, request.agentClientId(), request.portalClientId(), request.envelope());
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
            UserModel user,
            String loginSessionId,
            PendingRequest request,
            StepUp stepUp,
            Envelope approvedEnvelope,
            Scopes chosen) {
        claim(request);
        try {
            Agent agent = agentOf(request);
            Delegation delegation = new ConsentGrants(session, realm)
                    .grant(new Approval(
                            user,
                            agent,
                            terms(request),
                            request.purpose(),
                            loginSessionId,
                            null,
                            stepUp,
                            approvedEnvelope,
                            chosen));
            KeycloakConsentMirror.followOnCommit(
                    session, realm, user.getId(), agent.client().getClientId());
            requests.recordApprovalOnCommit(session, request, delegation.id());
            return delegation;
        } catch (ProxymeException cannotBeGranted) {
            requests.recordDecision(request, new PendingRequests.Decision(false, null));
            throw cannotBeGranted;
        }
    }

    /** The user denied: nothing is granted, and nothing a step-up would have replaced is touched. */
    public void deny(UserModel user, PendingRequest request) {
        claim(request);
        requests.recordDecision(request, new PendingRequests.Decision(false, null));
        new ConsentGrants(session, realm)
                .recordDenial(user, request.agentClientId(), terms(request), "request " + request.id());
    }

    /** The user approved with no scope checked: nothing is allowed, and what the request would replace ends. */
    public void approveNothing(UserModel user, PendingRequest request, StepUp stepUp) {
        deny(user, request);
        new ConsentGrants(session, realm).endReplaced(user, stepUp);
    }

    private void claim(PendingRequest request) {
        if (!requests.claimDecision(request)) {
            throw new AlreadyDecidedException();
        }
    }

    /**
     * What the result page sums up of a decided request (see {@link ConsentView#summary}); none when the agent went
     * meanwhile: the page then says what was decided without naming it.
     */
    public Map<String, Object> summary(PendingRequest request, Scopes granted, Long untilMillis) {
        Agent agent;
        try {
            agent = agentOf(request);
        } catch (ProxymeException gone) {
            return null;
        }
        return ConsentView.summary(
                realm,
                agent,
                realm.getClientByClientId(request.portalClientId()),
                request.portalClientId(),
                granted,
                untilMillis);
    }

    public Agent agentOf(PendingRequest request) {
        return Agent.of(realm.getClientByClientId(request.agentClientId()))
                .filter(agent -> agent.client().isEnabled())
                .orElseThrow(() -> ProxymeException.badRequest(
                        OAuthErrorException.INVALID_REQUEST, "The agent is no longer registered"));
    }

    private static Terms terms(PendingRequest request) {
        return new Terms(request.portalClientId(), request.scopes(), request.delegationSeconds());
    }

    public PendingRequests requests() {
        return requests;
    }
}
