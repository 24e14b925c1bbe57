package dev.proxyme.model;

/**
 * A user's delegation of access to one portal, for some scopes, to one agent, until an end time. Times are epoch
 * milliseconds.
 *
 * @param grantedBy        who created it: the user (in Keycloak's UI) or the trusted backend that vouched for them
 * @param purpose          what the agent told the user it wants the access for, when the user consented in Keycloak's UI
 * @param grantedSessionId the Keycloak login session in which the user approved, when they did in Keycloak's UI
 * @param grantFlow        the standard OAuth flow in which the user approved ({@value #AUTHORIZATION_CODE_FLOW},
 *                         {@value #DEVICE_FLOW}), or null: the delegation's tokens then also live in that login session
 * @param dpopJkt          the thumbprint (RFC 7638) of the DPoP key the delegation is bound to (RFC 9449), or null: the
 *                         first token issued with a proof binds it, and every later token must be issued with that key
 * @param envelope         what the proxy lets it be used for besides its scopes ({@link Envelope#NONE}: nothing more)
 * @param callsUsed        requests the proxy has let through under the envelope's budget
 */
public record Delegation(
        String id,
        String realmId,
        String userId,
        String agentClientId,
        String portalClientId,
        Scopes scopes,
        DelegationStatus status,
        long createdAt,
        long expiresAt,
        Long endedAt,
        String endReason,
        Actor grantedBy,
        String purpose,
        String grantedSessionId,
        String grantFlow,
        String dpopJkt,
        Envelope envelope,
        int callsUsed) {

    public static final String AUTHORIZATION_CODE_FLOW = "authorization_code";
    public static final String DEVICE_FLOW = "device_code";

    /** Approved in an agent's standard flow: its refresh token lives in the login session and cannot outlive it. */
    public boolean isOfStandardFlow() {
        return grantFlow != null;
    }

    public boolean isActiveAt(long nowMillis) {
        return status == DelegationStatus.ACTIVE && expiresAt > nowMillis;
    }

    /**
     * The last second a token may cover. Keycloak deems a token active while the current second is at most its
     * {@code exp}: a token ending in the second before the delegation's end never outlives it, even by a fraction.
     */
    public long lastTokenSecond() {
        return Math.floorDiv(expiresAt, 1000) - 1;
    }

    /** This delegation bound to a DPoP key. */
    public Delegation boundTo(String jkt) {
        return new Delegation(
                id,
                realmId,
                userId,
                agentClientId,
                portalClientId,
                scopes,
                status,
                createdAt,
                expiresAt,
                endedAt,
                endReason,
                grantedBy,
                purpose,
                grantedSessionId,
                grantFlow,
                jkt,
                envelope,
                callsUsed);
    }

    /** This delegation as it is once ended. */
    public Delegation endedAs(DelegationStatus ending, long endedAtMillis, String reason) {
        return new Delegation(
                id,
                realmId,
                userId,
                agentClientId,
                portalClientId,
                scopes,
                ending,
                createdAt,
                expiresAt,
                endedAtMillis,
                reason,
                grantedBy,
                purpose,
                grantedSessionId,
                grantFlow,
                dpopJkt,
                envelope,
                callsUsed);
    }
}
