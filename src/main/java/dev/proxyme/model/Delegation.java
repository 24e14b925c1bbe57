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
        return toBuilder().dpopJkt(jkt).build();
    }

    /** This delegation as it is once ended. */
    public Delegation endedAs(DelegationStatus ending, long endedAtMillis, String reason) {
        return toBuilder()
                .status(ending)
                .endedAt(endedAtMillis)
                .endReason(reason)
                .build();
    }

    /** A new active delegation: set its parties, scopes and times, then what it was granted with. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .id(id)
                .realmId(realmId)
                .userId(userId)
                .agentClientId(agentClientId)
                .portalClientId(portalClientId)
                .scopes(scopes)
                .status(status)
                .createdAt(createdAt)
                .expiresAt(expiresAt)
                .endedAt(endedAt)
                .endReason(endReason)
                .grantedBy(grantedBy)
                .purpose(purpose)
                .grantedSessionId(grantedSessionId)
                .grantFlow(grantFlow)
                .dpopJkt(dpopJkt)
                .envelope(envelope)
                .callsUsed(callsUsed);
    }

    /** Builds a delegation field by field: the fields that are not set are those the delegation has none of. */
    public static final class Builder {
        private String id;
        private String realmId;
        private String userId;
        private String agentClientId;
        private String portalClientId;
        private Scopes scopes = Scopes.of(java.util.List.of());
        private DelegationStatus status = DelegationStatus.ACTIVE;
        private long createdAt;
        private long expiresAt;
        private Long endedAt;
        private String endReason;
        private Actor grantedBy = Actor.SYSTEM;
        private String purpose;
        private String grantedSessionId;
        private String grantFlow;
        private String dpopJkt;
        private Envelope envelope = Envelope.NONE;
        private int callsUsed;

        private Builder() {}

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder realmId(String realmId) {
            this.realmId = realmId;
            return this;
        }

        public Builder userId(String userId) {
            this.userId = userId;
            return this;
        }

        public Builder agentClientId(String agentClientId) {
            this.agentClientId = agentClientId;
            return this;
        }

        public Builder portalClientId(String portalClientId) {
            this.portalClientId = portalClientId;
            return this;
        }

        public Builder scopes(Scopes scopes) {
            this.scopes = scopes;
            return this;
        }

        public Builder status(DelegationStatus status) {
            this.status = status;
            return this;
        }

        public Builder createdAt(long createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder expiresAt(long expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public Builder endedAt(Long endedAt) {
            this.endedAt = endedAt;
            return this;
        }

        public Builder endReason(String endReason) {
            this.endReason = endReason;
            return this;
        }

        public Builder grantedBy(Actor grantedBy) {
            this.grantedBy = grantedBy;
            return this;
        }

        public Builder purpose(String purpose) {
            this.purpose = purpose;
            return this;
        }

        public Builder grantedSessionId(String grantedSessionId) {
            this.grantedSessionId = grantedSessionId;
            return this;
        }

        public Builder grantFlow(String grantFlow) {
            this.grantFlow = grantFlow;
            return this;
        }

        public Builder dpopJkt(String dpopJkt) {
            this.dpopJkt = dpopJkt;
            return this;
        }

        public Builder envelope(Envelope envelope) {
            this.envelope = envelope;
            return this;
        }

        public Builder callsUsed(int callsUsed) {
            this.callsUsed = callsUsed;
            return this;
        }

        public Delegation build() {
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
                    dpopJkt,
                    envelope,
                    callsUsed);
        }
    }
}
