package dev.proxyme.consent;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.keycloak.common.util.Time;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.utils.KeycloakModelUtils;

import dev.proxyme.clients.AgentTerms.Terms;
import dev.proxyme.model.Envelope;
import dev.proxyme.web.FormNonces;

/**
 * Pending delegation requests, their user codes, decisions and consent-form nonces, in Keycloak's cluster-wide
 * single-use store: every node sees them, and each entry expires by itself.
 *
 * <p>Entries are never updated in place (the store's {@code replace} drops the entry's lifespan): the right to decide is
 * an entry of its own, claimed once with {@code putIfAbsent} before anything is granted, and the outcome another;
 * removals are atomic, so whoever removes an entry first owns what it stood for.
 */
public class PendingRequests {

    /** Realm attribute: how long a request waits for its user's decision (seconds, default 600). */
    public static final String LIFESPAN_ATTRIBUTE = "proxyme.requestLifespanSeconds";

    public static final long DEFAULT_LIFESPAN_SECONDS = 600;
    public static final long MIN_LIFESPAN_SECONDS = 5;
    public static final long MAX_LIFESPAN_SECONDS = 3600;
    /** RFC 8628 section 3.2 polling interval. */
    public static final int POLL_INTERVAL_SECONDS = 5;

    private static final int CODE_ATTEMPTS_PER_MINUTE = 10;

    private static final String REQUEST = "proxyme:request:";
    private static final String CODE = "proxyme:user-code:";
    private static final String DECISION = "proxyme:decision:";
    private static final String DECIDED = "proxyme:decided:";
    private static final String POLLED = "proxyme:polled:";
    private static final String REQUEST_ID = "request_id";
    private static final String REPLACED_IDS = "replaced_ids";
    private static final String CODE_ATTEMPT = "proxyme:code-call:";

    private final SingleUseObjectProvider store;
    private final FormNonces nonces;
    private final long lifespanSeconds;

    public PendingRequests(KeycloakSession session, RealmModel realm) {
        this(session.singleUseObjects(), lifespanOf(realm));
    }

    private PendingRequests(SingleUseObjectProvider store, long lifespanSeconds) {
        this.store = store;
        this.nonces = new FormNonces(store);
        this.lifespanSeconds = lifespanSeconds;
    }

    /** How long the realm's requests wait: its setting, held within the bounds, or the default. */
    public static long lifespanOf(RealmModel realm) {
        try {
            long configured = Long.parseLong(realm.getAttribute(LIFESPAN_ATTRIBUTE));
            return Math.min(MAX_LIFESPAN_SECONDS, Math.max(MIN_LIFESPAN_SECONDS, configured));
        } catch (NumberFormatException notConfigured) {
            return DEFAULT_LIFESPAN_SECONDS;
        }
    }

    public record Decision(boolean approved, String delegationId) {}

    /** Keeps an agent's request, checked against its registration, until its user decides or it expires. */
    public PendingRequest create(
            String agentClientId, Terms terms, String purpose, String userHint, Envelope envelope) {
        PendingRequest request = new PendingRequest(
                UUID.randomUUID().toString(),
                UserCodes.generate(),
                agentClientId,
                terms.portalClientId(),
                terms.scopes(),
                purpose,
                userHint,
                terms.delegationSeconds(),
                Time.currentTime() + lifespanSeconds,
                envelope);
        store.put(REQUEST + request.id(), lifespanSeconds, request.toNotes());
        store.put(CODE + request.userCode(), lifespanSeconds, Map.of("id", request.id()));
        return request;
    }

    public Optional<PendingRequest> byId(String requestId) {
        return Optional.ofNullable(store.get(REQUEST + requestId))
                .map(PendingRequest::fromNotes)
                .filter(request -> !request.isExpiredAt(Time.currentTime()));
    }

    public Optional<PendingRequest> byUserCode(String normalizedCode) {
        return Optional.ofNullable(store.get(CODE + normalizedCode)).flatMap(code -> byId(code.get("id")));
    }

    /**
     * Claims the right to decide this request: true for exactly one caller, however many decide at once. The user
     * code stops working. Nothing may be granted or revoked for a request before its decision is claimed.
     */
    public boolean claimDecision(PendingRequest request) {
        if (!store.putIfAbsent(DECIDED + request.id(), remainingSeconds(request))) {
            return false;
        }
        store.remove(CODE + request.userCode());
        return true;
    }

    /** Whether somebody has claimed the decision (its outcome may not be recorded yet). */
    public boolean isDecided(PendingRequest request) {
        return store.contains(DECIDED + request.id());
    }

    /** Records the outcome of a claimed decision, which the agent's next poll reads. */
    public void recordDecision(PendingRequest request, Decision decision) {
        store.put(
                DECISION + request.id(),
                remainingSeconds(request),
                Map.of(
                        "approved",
                        Boolean.toString(decision.approved()),
                        "delegation_id",
                        decision.delegationId() == null ? "" : decision.delegationId()));
    }

    /**
     * Records an approval once the request's transaction has committed, so that the agent never polls for a delegation
     * that is not in the database yet; should the transaction roll back, the agent is told the request was denied.
     * The store defers {@code put} to the transaction it was called in, so the outcome is written in one of its own.
     */
    public void recordApprovalOnCommit(KeycloakSession session, PendingRequest request, String delegationId) {
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                record(new Decision(true, delegationId));
            }

            @Override
            protected void rollbackImpl() {
                record(new Decision(false, null));
            }

            private void record(Decision decision) {
                KeycloakModelUtils.runJobInTransaction(
                        factory,
                        outcome -> new PendingRequests(outcome.singleUseObjects(), lifespanSeconds)
                                .recordDecision(request, decision));
            }
        });
    }

    private static long remainingSeconds(PendingRequest request) {
        return Math.max(1, request.expiresAt() - Time.currentTime());
    }

    public Optional<Decision> decisionOf(PendingRequest request) {
        return Optional.ofNullable(store.get(DECISION + request.id()))
                .map(notes -> new Decision(
                        Boolean.parseBoolean(notes.get("approved")),
                        notes.get("delegation_id").isEmpty() ? null : notes.get("delegation_id")));
    }

    /** False when the agent polled this request less than the interval ago (RFC 8628 section 3.5 slow_down). */
    public boolean allowPoll(PendingRequest request) {
        return store.putIfAbsent(POLLED + request.id(), POLL_INTERVAL_SECONDS);
    }

    /** Ends the request once its outcome is delivered; true only for the one caller that ended it. */
    public boolean finish(PendingRequest request) {
        return store.remove(REQUEST + request.id()) != null;
    }

    /** What a consent form was shown for: the request, and the access its approval would replace. */
    public record ShownForm(String requestId, String replacedIds) {}

    /**
     * A one-time nonce binding a consent form to the request and the user it was shown to, and to the access the page
     * said an approval replaces ({@link dev.proxyme.model.StepUp#replacedIds()}).
     */
    public String issueNonce(PendingRequest request, String userId, String replacedIds) {
        return nonces.issue(
                userId, remainingSeconds(request), Map.of(REQUEST_ID, request.id(), REPLACED_IDS, replacedIds));
    }

    /**
     * Consumes a nonce: once, and only for the user it was issued to. It names the request its form was shown for,
     * so that a decision never depends on which user code the form carries.
     */
    public Optional<ShownForm> consumeNonce(String nonce, String userId) {
        return nonces.consume(nonce, userId)
                .map(bound -> new ShownForm(bound.get(REQUEST_ID), bound.getOrDefault(REPLACED_IDS, "")));
    }

    /** Whether this address used up its {@value #CODE_ATTEMPTS_PER_MINUTE} wrong user codes of the last minute. */
    public boolean tooManyWrongCodes(String sourceAddress) {
        for (int slot = 0; slot < CODE_ATTEMPTS_PER_MINUTE; slot++) {
            if (!store.contains(CODE_ATTEMPT + sourceAddress + ":" + slot)) {
                return false;
            }
        }
        return true;
    }

    /** Counts a wrong user code against the address for a minute. */
    public void recordWrongCode(String sourceAddress) {
        for (int slot = 0; slot < CODE_ATTEMPTS_PER_MINUTE; slot++) {
            if (store.putIfAbsent(CODE_ATTEMPT + sourceAddress + ":" + slot, 60)) {
                return;
            }
        }
    }
}
