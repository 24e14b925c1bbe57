package dev.proxyme.consent;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.proxyme.delegation.Scopes;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * Pending delegation requests, their user codes, decisions and consent-form nonces, in Keycloak's cluster-wide
 * single-use store: every node sees them, and each entry expires by itself.
 *
 * <p>Entries are never updated in place (the store's {@code replace} drops the entry's lifespan): a decision is an
 * entry of its own, claimed once with {@code putIfAbsent}; removals are atomic, so whoever removes an entry first owns
 * what it stood for.
 */
public class DelegationRequests {

    /** Realm attribute: how long a request waits for its user's decision (seconds, default 600). */
    public static final String LIFESPAN_ATTRIBUTE = "proxyme.requestLifespanSeconds";
    public static final long DEFAULT_LIFESPAN_SECONDS = 600;
    /** RFC 8628 section 3.2 polling interval. */
    public static final int POLL_INTERVAL_SECONDS = 5;
    private static final int CODE_ATTEMPTS_PER_MINUTE = 10;

    private static final String REQUEST = "proxyme:request:";
    private static final String CODE = "proxyme:user-code:";
    private static final String DECISION = "proxyme:decision:";
    private static final String DECIDED = "proxyme:decided:";
    private static final String POLLED = "proxyme:polled:";
    private static final String NONCE = "proxyme:consent-nonce:";
    private static final String CODE_ATTEMPT = "proxyme:code-attempt:";

    private final SingleUseObjectProvider store;
    private final long lifespanSeconds;

    public DelegationRequests(KeycloakSession session, RealmModel realm) {
        this.store = session.singleUseObjects();
        this.lifespanSeconds = lifespanOf(realm);
    }

    private static long lifespanOf(RealmModel realm) {
        try {
            long configured = Long.parseLong(realm.getAttribute(LIFESPAN_ATTRIBUTE));
            return Math.min(3600, Math.max(5, configured));
        } catch (NumberFormatException notConfigured) {
            return DEFAULT_LIFESPAN_SECONDS;
        }
    }

    public record Decision(boolean approved, String delegationId) {
    }

    public DelegationRequest create(String agentClientId, String portalClientId, Scopes scopes, String purpose,
                                    String userHint, long delegationSeconds) {
        DelegationRequest request = new DelegationRequest(UUID.randomUUID().toString(), UserCodes.generate(),
                agentClientId, portalClientId, scopes, purpose, userHint, delegationSeconds, Time.currentTime() + lifespanSeconds);
        store.put(REQUEST + request.id(), lifespanSeconds, request.toNotes());
        store.put(CODE + request.userCode(), lifespanSeconds, Map.of("id", request.id()));
        return request;
    }

    public Optional<DelegationRequest> byId(String requestId) {
        return Optional.ofNullable(store.get(REQUEST + requestId)).map(DelegationRequest::fromNotes)
                .filter(request -> !request.isExpiredAt(Time.currentTime()));
    }

    public Optional<DelegationRequest> byUserCode(String normalizedCode) {
        return Optional.ofNullable(store.get(CODE + normalizedCode)).flatMap(code -> byId(code.get("id")));
    }

    /**
     * Records the user's decision; true only for the first decision on this request. The user code stops working.
     */
    public boolean decide(DelegationRequest request, Decision decision) {
        long remaining = Math.max(1, request.expiresAt() - Time.currentTime());
        if (!store.putIfAbsent(DECIDED + request.id(), remaining)) {
            return false;
        }
        store.put(DECISION + request.id(), remaining, Map.of("approved", Boolean.toString(decision.approved()),
                "delegation_id", decision.delegationId() == null ? "" : decision.delegationId()));
        store.remove(CODE + request.userCode());
        return true;
    }

    public Optional<Decision> decisionOf(DelegationRequest request) {
        return Optional.ofNullable(store.get(DECISION + request.id()))
                .map(notes -> new Decision(Boolean.parseBoolean(notes.get("approved")),
                        notes.get("delegation_id").isEmpty() ? null : notes.get("delegation_id")));
    }

    /** False when the agent polled this request less than the interval ago (RFC 8628 section 3.5 slow_down). */
    public boolean allowPoll(DelegationRequest request) {
        return store.putIfAbsent(POLLED + request.id(), POLL_INTERVAL_SECONDS);
    }

    /** Ends the request once its outcome is delivered; true only for the one caller that ended it. */
    public boolean finish(DelegationRequest request) {
        return store.remove(REQUEST + request.id()) != null;
    }

    /** A one-time nonce binding a consent form to the request and the user it was shown to. */
    public String issueNonce(DelegationRequest request, String userId) {
        String nonce = UUID.randomUUID().toString();
        store.put(NONCE + nonce, Math.max(1, request.expiresAt() - Time.currentTime()),
                Map.of("request_id", request.id(), "user_id", userId));
        return nonce;
    }

    /** Consumes a nonce: true only once, and only for the request and user it was issued for. */
    public boolean consumeNonce(String nonce, DelegationRequest request, String userId) {
        if (nonce == null || nonce.length() > 64) {
            return false;
        }
        Map<String, String> bound = store.remove(NONCE + nonce);
        return bound != null && request.id().equals(bound.get("request_id")) && userId.equals(bound.get("user_id"));
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
