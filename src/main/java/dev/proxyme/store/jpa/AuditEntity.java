package dev.proxyme.store.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** One append-only audit record: who did what to which delegation, when, from where. */
@Entity
@Table(name = "PROXYME_AUDIT")
@NamedQueries({
    @NamedQuery(
            name = "proxyme.auditOfDelegation",
            query = "select a from AuditEntity a where a.realmId = :realmId and a.delegationId = :delegationId"
                    + " order by a.eventTime, a.id"),
    @NamedQuery(name = "proxyme.deleteAuditBefore", query = "delete from AuditEntity a where a.eventTime < :before"),
    @NamedQuery(name = "proxyme.deleteAuditOfRealm", query = "delete from AuditEntity a where a.realmId = :realmId")
})
public class AuditEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "EVENT_TIME", nullable = false)
    private long eventTime;

    @Column(name = "ACTION", nullable = false, length = 32)
    private String action;

    @Column(name = "DELEGATION_ID", length = 36)
    private String delegationId;

    @Column(name = "USER_ID", length = 36)
    private String userId;

    @Column(name = "AGENT_CLIENT_ID")
    private String agentClientId;

    @Column(name = "PORTAL_CLIENT_ID")
    private String portalClientId;

    @Column(name = "ACTOR_TYPE", nullable = false, length = 16)
    private String actorType;

    @Column(name = "ACTOR_ID")
    private String actorId;

    @Column(name = "SOURCE_ADDRESS", length = 64)
    private String sourceAddress;

    @Column(name = "DETAIL", length = 1024)
    private String detail;

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

    public long getEventTime() {
        return eventTime;
    }

    public void setEventTime(long eventTime) {
        this.eventTime = eventTime;
    }

    public String getAction() {
        return action;
    }

    public void setAction(String action) {
        this.action = action;
    }

    public String getDelegationId() {
        return delegationId;
    }

    public void setDelegationId(String delegationId) {
        this.delegationId = delegationId;
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

    public String getActorType() {
        return actorType;
    }

    public void setActorType(String actorType) {
        this.actorType = actorType;
    }

    public String getActorId() {
        return actorId;
    }

    public void setActorId(String actorId) {
        this.actorId = actorId;
    }

    public String getSourceAddress() {
        return sourceAddress;
    }

    public void setSourceAddress(String sourceAddress) {
        this.sourceAddress = sourceAddress;
    }

    public String getDetail() {
        return detail;
    }

    public void setDetail(String detail) {
        this.detail = detail;
    }
}
