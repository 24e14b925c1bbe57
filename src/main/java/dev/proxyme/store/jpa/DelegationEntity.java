package dev.proxyme.store.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import dev.proxyme.model.DelegationStatus;

/** One user's delegation of access to one portal, for some scopes, to one agent, until an end time. */
@Entity
@Table(name = "PROXYME_DELEGATION")
@NamedQueries({
    @NamedQuery(
            name = "proxyme.activeDelegationsOfUserToAgent",
            query = "select d from DelegationEntity d where d.realmId = :realmId and d.userId = :userId"
                    + " and d.agentClientId = :agentClientId and d.portalClientId = :portalClientId"
                    + " and d.status = :active and d.expiresAt > :now order by d.createdAt desc"),
    @NamedQuery(
            name = "proxyme.activeDelegationsOfUserToAnyPortal",
            query = "select d from DelegationEntity d where d.realmId = :realmId and d.userId = :userId"
                    + " and d.agentClientId = :agentClientId and d.status = :active order by d.createdAt desc"),
    @NamedQuery(
            name = "proxyme.activeDelegationsOfUser",
            query = "select d from DelegationEntity d where d.realmId = :realmId and d.userId = :userId"
                    + " and d.status = :active order by d.createdAt desc"),
    @NamedQuery(
            name = "proxyme.activeDelegationsOfAgent",
            query = "select d from DelegationEntity d where d.realmId = :realmId and d.agentClientId = :agentClientId"
                    + " and d.status = :active order by d.createdAt desc"),
    @NamedQuery(
            name = "proxyme.activeDelegationsOfSession",
            query = "select d from DelegationEntity d where d.grantedSessionId = :sessionId and d.status = :active"
                    + " order by d.createdAt desc"),
    @NamedQuery(
            name = "proxyme.activeDelegationsGrantedInSessions",
            query = "select d from DelegationEntity d where d.realmId = :realmId and d.grantedSessionId is not null"
                    + " and d.status = :active order by d.createdAt desc"),
    @NamedQuery(
            name = "proxyme.delegationsOfUserSince",
            query = "select d from DelegationEntity d where d.realmId = :realmId and d.userId = :userId"
                    + " and (d.status = :active or d.endedAt >= :endedSince) order by d.createdAt desc"),
    @NamedQuery(
            name = "proxyme.countDelegationsOfAgentInUseSince",
            query = "select count(d) from DelegationEntity d where d.realmId = :realmId"
                    + " and d.agentClientId = :agentClientId"
                    + " and (d.status = :active or d.createdAt >= :since or d.endedAt >= :since)"),
    @NamedQuery(
            name = "proxyme.countActiveDelegations",
            query = "select count(d) from DelegationEntity d where d.status = :active and d.expiresAt > :now"),
    @NamedQuery(
            name = "proxyme.delegationsPastTheirEnd",
            query =
                    "select d from DelegationEntity d where d.status = :active and d.expiresAt <= :now order by d.expiresAt"),
    @NamedQuery(
            name = "proxyme.countDelegationsByAgent",
            query = "select d.agentClientId, d.status, count(d) from DelegationEntity d where d.realmId = :realmId"
                    + " group by d.agentClientId, d.status"),
    @NamedQuery(
            name = "proxyme.deleteDelegationsOfRealm",
            query = "delete from DelegationEntity d where d.realmId = :realmId")
})
public class DelegationEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "USER_ID", nullable = false, length = 36)
    private String userId;

    @Column(name = "AGENT_CLIENT_ID", nullable = false)
    private String agentClientId;

    @Column(name = "PORTAL_CLIENT_ID", nullable = false)
    private String portalClientId;

    /** Space-delimited, as in an OAuth {@code scope} parameter. */
    @Column(name = "SCOPES", nullable = false, length = 1024)
    private String scopes;

    @Enumerated(EnumType.STRING)
    @Column(name = "STATUS", nullable = false, length = 16)
    private DelegationStatus status;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "EXPIRES_AT", nullable = false)
    private long expiresAt;

    @Column(name = "ENDED_AT")
    private Long endedAt;

    @Column(name = "END_REASON", length = 64)
    private String endReason;

    @Column(name = "GRANTED_BY_TYPE", nullable = false, length = 16)
    private String grantedByType;

    @Column(name = "GRANTED_BY_ID")
    private String grantedById;

    /** What the agent told the user it wants the access for, when the user consented in Keycloak's UI. */
    @Column(name = "PURPOSE")
    private String purpose;

    /** The Keycloak login session in which the user approved, when they did in Keycloak's UI. */
    @Column(name = "GRANTED_SESSION_ID", length = 64)
    private String grantedSessionId;

    /** The standard OAuth flow in which the user approved (authorization_code, device_code), or null. */
    @Column(name = "GRANT_FLOW", length = 32)
    private String grantFlow;

    /** The thumbprint of the DPoP key the delegation is bound to (RFC 9449), or null. */
    @Column(name = "DPOP_JKT", length = 128)
    private String dpopJkt;

    /** The task envelope (JSON: budget, routes, not_before, not_after), or null. */
    @Column(name = "ENVELOPE", length = 2048)
    private String envelope;

    /** Calls the proxy has let through under the envelope's budget. */
    @Column(name = "CALLS_USED")
    private Integer callsUsed;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getRealmId() {
        return realmId;
    }

    public void setRealmId(String realmId) {
        this.realmId = realmId;
    }

    public String getUserId() {
        return userId;
    }

    public void setUserId(String userId) {
        this.userId = userId;
    }

    public String getAgentClientId() {
        return agentClientId;
    }

    public void setAgentClientId(String agentClientId) {
        this.agentClientId = agentClientId;
    }

    public String getPortalClientId() {
        return portalClientId;
    }

    public void setPortalClientId(String portalClientId) {
        this.portalClientId = portalClientId;
    }

    public String getScopes() {
        return scopes;
    }

    public void setScopes(String scopes) {
        this.scopes = scopes;
    }

    public DelegationStatus getStatus() {
        return status;
    }

    public void setStatus(DelegationStatus status) {
        this.status = status;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(long createdAt) {
        this.createdAt = createdAt;
    }

    public long getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(long expiresAt) {
        this.expiresAt = expiresAt;
    }

    public Long getEndedAt() {
        return endedAt;
    }

    public void setEndedAt(Long endedAt) {
        this.endedAt = endedAt;
    }

    public String getEndReason() {
        return endReason;
    }

    public void setEndReason(String endReason) {
        this.endReason = endReason;
    }

    public String getGrantedByType() {
        return grantedByType;
    }

    public void setGrantedByType(String grantedByType) {
        this.grantedByType = grantedByType;
    }

    public String getGrantedById() {
        return grantedById;
    }

    public void setGrantedById(String grantedById) {
        this.grantedById = grantedById;
    }

    public String getPurpose() {
        return purpose;
    }

    public void setPurpose(String purpose) {
        this.purpose = purpose;
    }

    public String getGrantedSessionId() {
        return grantedSessionId;
    }

    public void setGrantedSessionId(String grantedSessionId) {
        this.grantedSessionId = grantedSessionId;
    }

    public String getGrantFlow() {
        return grantFlow;
    }

    public void setGrantFlow(String grantFlow) {
        this.grantFlow = grantFlow;
    }

    public String getDpopJkt() {
        return dpopJkt;
    }

    public void setDpopJkt(String dpopJkt) {
        this.dpopJkt = dpopJkt;
    }

    public String getEnvelope() {
        return envelope;
    }

    public void setEnvelope(String envelope) {
        this.envelope = envelope;
    }

    public Integer getCallsUsed() {
        return callsUsed;
    }

    public void setCallsUsed(Integer callsUsed) {
        this.callsUsed = callsUsed;
    }
}
